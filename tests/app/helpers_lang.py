"""Open a page in another UI language, the way a user switching language does: sign in, open the
page, then choose the language (session state) and rerun. Our pages' option labels are bound to the
language at render time, so AppTest can re-serialise the widgets between runs."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.helpers import app_as


def app_in(lang: str, username: str, page: str, timeout: float = 60) -> AppTest:
    at: AppTest = app_as(username, page=page, timeout=timeout)
    at.session_state["lang"] = lang
    at.query_params["lang"] = lang
    at.run()
    return at
