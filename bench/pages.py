"""Server-side time and payload of every page, as the hub role, on one database.

Run in its own process (``python -m bench.pages DATABASE_URL RUNS``) so that engine and cache
state of one scale never leak into another; prints one JSON object.
Cold = caches cleared before the run; warm = the same page rerun with caches full.
Payload = bytes of the protobuf messages the page sends: its map (the folium component's
arguments: GeoJSON and markers) and its largest table (the Arrow bytes of st.dataframe).
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("overview", "needs", "city", "youth", "fund", "helpdesk", "events", "methodology", "data")


def _payload(at) -> tuple[int, int]:
    """(map bytes, largest table bytes) of the elements the last run produced."""
    map_bytes, table_bytes = 0, 0
    stack = [at._tree]
    while stack:
        node = stack.pop()
        children = getattr(node, "children", {}) or {}
        stack.extend(children.values())
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        kind = getattr(node, "type", "")
        if kind in ("component_instance",) or proto.DESCRIPTOR.name == "ComponentInstance":
            map_bytes += proto.ByteSize()
        elif kind in ("arrow_data_frame", "dataframe") or proto.DESCRIPTOR.name == "Arrow":
            table_bytes = max(table_bytes, proto.ByteSize())
    return map_bytes, table_bytes


def measure(runs: int = 3) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    out = {}
    for page in PAGES:
        path = ROOT / "pages" / f"{page}.py"
        if not path.exists():
            continue
        cold, warm = [], []
        payload = (0, 0)
        error = None
        for _ in range(runs):
            st.cache_data.clear()
            st.cache_resource.clear()
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.session_state["auth_user"] = "hub.admin"
            at.run()
            # The first run already drew the role's first page: empty the caches again so that
            # "cold" really is the page's first run on an empty cache.
            st.cache_data.clear()
            st.cache_resource.clear()
            at.switch_page(f"pages/{page}.py")
            t0 = time.perf_counter()
            at.run()
            cold.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
            if at.exception:
                error = str(at.exception[0].value)[:200]
            payload = _payload(at)
        out[page] = {"cold": statistics.median(cold), "warm": statistics.median(warm),
                     "map_bytes": payload[0], "table_bytes": payload[1], "error": error}
    return out


if __name__ == "__main__":
    os.environ["DATABASE_URL"] = sys.argv[1]
    print(json.dumps(measure(int(sys.argv[2]) if len(sys.argv) > 2 else 3)))
