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
           timeout: float = 60) -> AppTest:
    """app.py run as ``username`` (resolved from the store like a cookie would be), then ``page``
    (a path such as ``"pages/fund.py"``) opened through the navigation."""
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
