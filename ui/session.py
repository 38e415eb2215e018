"""The viewer of this Streamlit session, and the guard every page starts with.

The viewer is resolved in one place: ``current_viewer()``. In a browser the signed
cookie set by the sign-in route names the user; in AppTest (which cannot seed
cookies) the same check runs on ``st.session_state["auth_user"]``. Either way the
user row is read from the store, so role and city always come from the data layer.
"""
from __future__ import annotations

import streamlit as st

from hub import i18n
from hub.access import Viewer

SESSION_KEY = "auth_user"


def _username() -> str | None:
    return st.session_state.get(SESSION_KEY)


def current_viewer() -> Viewer | None:
    username = _username()
    if not username:
        return None
    from hub.access import load_viewer  # the store decides role and city
    return load_viewer(username)


def lang() -> str:
    """The UI language: ?lang= in the URL, then the session, then the user's own."""
    q = st.query_params.get("lang")
    if q in i18n.LANGUAGES:
        return q
    s = st.session_state.get("lang")
    if s in i18n.LANGUAGES:
        return s
    v = current_viewer()
    return i18n.normalise_language(v.language if v else None)


def t(key: str, **params) -> str:
    return i18n.t(key, lang(), **params)


def require_viewer(page: str) -> Viewer:
    """First line of every page: the viewer, or back to app.py's sign-in.

    A page this role may not open stops with a polite notice (and the refusal is
    audited); a page run without app.py (Streamlit's legacy pages/ mode) has no
    viewer and is sent to the sign-in.
    """
    viewer = current_viewer()
    if viewer is None:
        st.switch_page("app.py")
        st.stop()
    if not viewer.may_open(page):
        from hub.access import audit
        audit(viewer.username, "refused", target=f"page:{page}")
        st.warning(t("common.not_available"))
        st.stop()
    return viewer
