"""Where a page's bytes go: the elements one run of each page sends, by kind, largest first.

``python -m bench.payload DATABASE_URL [role]`` prints, per page, the protobuf bytes of its
elements (what the websocket carries as forward messages): tables (Arrow), Plotly figures (JSON
spec), the folium map (component arguments: Leaflet HTML and script), and the rest.
"""
from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERS = {"hub": "hub.admin", "donor": "donor.demo", "mayor": "mayor.kumanovo"}


def elements(at) -> list[tuple[str, int, str]]:
    """(kind, bytes, detail) of every element of the last run."""
    out, stack = [], [at._tree]
    while stack:
        node = stack.pop()
        stack.extend((getattr(node, "children", {}) or {}).values())
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ByteSize"):
            continue
        name = proto.DESCRIPTOR.name
        detail = ""
        if name == "Arrow":
            import pyarrow as pa
            t = pa.ipc.open_stream(proto.data).read_all()
            detail = f"{t.num_rows} rows x {t.num_columns} cols"
        elif name == "PlotlyChart":
            spec = json.loads(proto.spec)
            detail = f"{sum(len(tr.get('x', []) or []) for tr in spec.get('data', []))} points"
        out.append((name, proto.ByteSize(), detail))
    return out


def measure(role: str = "hub") -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from hub.access import PAGES_BY_ROLE
    res = {}
    for page in PAGES_BY_ROLE[role]:
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.session_state["auth_user"] = USERS[role]
        at.run()
        at.switch_page(f"pages/{page}.py")
        at.run()
        els = elements(at)
        by = defaultdict(int)
        for kind, n, _ in els:
            by[kind] += n
        res[page] = {"total": sum(by.values()), "by_kind": dict(sorted(by.items(), key=lambda kv: -kv[1])),
                     "largest": sorted(els, key=lambda e: -e[1])[:5]}
    return res


if __name__ == "__main__":
    os.environ["DATABASE_URL"] = sys.argv[1]
    print(json.dumps(measure(sys.argv[2] if len(sys.argv) > 2 else "hub"), indent=1))
