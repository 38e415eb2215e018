"""AppTest helpers: run app.py as a signed-in user and open a page, like a user would."""
from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def fresh_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def app_as(username: str | None, page: str | None = None, query: dict | None = None,
           timeout: float = 60, *, fresh: bool = True) -> AppTest:
    """app.py run as ``username`` (resolved from the store like a cookie would be), then ``page``
    (a path such as ``"pages/fund.py"``) opened through the navigation; on empty caches unless
    ``fresh=False``."""
    if fresh:
        fresh_caches()
    at = AppTest.from_file(APP, default_timeout=timeout)
    if username:
        at.session_state["auth_user"] = username
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def open_tab(at: AppTest, label: str, key: str = "tab") -> AppTest:
    """Open the tab called ``label`` of a page whose tabs run lazily (``ui.tabs``), as a click would."""
    at.session_state[key] = label
    at.query_params[key] = label     # the tab is bound to the URL too (a click sets both)
    return at.run()


def each_tab(at: AppTest, key: str = "tab"):
    """Open each tab of a lazily run tab set in turn (``ui.tabs``), yielding the app test with it open."""
    for label in [tab.label for tab in at.tabs if tab.label]:
        yield open_tab(at, label, key)


def table_with(at: AppTest, *columns: str, key: str = "tab"):
    """The first table (its frame) that has all ``columns``: on the page as it is, else in the first
    tab of a lazily run tab set (``ui.tabs``) that shows one, which is then left open."""
    def found():
        return next((df.value for df in at.dataframe if all(c in df.value.columns for c in columns)), None)
    if (df := found()) is not None or not at.tabs:
        return df
    for _ in each_tab(at, key):
        if (df := found()) is not None:
            return df
    raise AssertionError(f"no table with columns {columns} in any tab")


def texts(at: AppTest) -> str:
    """All visible text of the rendered page, for assertions."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning",
                 "error", "success", "metric"):
        for el in getattr(at, kind, []):
            parts.append(str(getattr(el, "value", "")))
            if kind == "metric":
                parts.append(str(el.label))
    return "\n".join(parts)


def numeric(df, lang: str = "en"):
    """A table as shown (cells written the language's way by ``ui.table``: "1,500", "€1,500", "50.0%",
    "—") with its figure columns read back into numbers (shares as fractions, "—" as NaN), so tests can
    compare them with the store. Text columns stay as they are."""
    import re


    from hub.display import DASH, _symbols
    dec, group, minus = _symbols(lang)
    figure = re.compile(r"^[-−]?[€]?[\d" + re.escape(group) + re.escape(dec) + r"]+(\u00a0?[€%])?%?$")

    def parse(v):
        if v is None or v == DASH:
            return float("nan")
        s = str(v).replace("\u00a0", "").replace("\u202f", "")
        share = s.endswith("%")
        s = s.replace("€", "").replace("%", "").replace(group.replace("\u00a0", ""), "").replace(dec, ".")
        s = s.replace(minus, "-").replace("−", "-")
        x = float(s)
        return x / 100 if share else x

    out = df.copy()
    for col in out.columns:
        vals = [v for v in out[col] if v is not None and v != DASH]
        if not vals and len(out[col]):
            out[col] = [float("nan")] * len(out[col])
        elif vals and all(isinstance(v, str) and figure.match(v.replace("\u202f", "\u00a0")) for v in vals) \
                and not all(re.fullmatch(r"\d{4}", v) for v in vals):
            out[col] = [parse(v) for v in out[col]]
    return out
