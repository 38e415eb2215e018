"""The viewer of this Streamlit session, and the guard every page starts with.

The viewer is resolved in one place: ``current_viewer()``, in this order:

1. the signed ``hub_session`` cookie that serve.py's ``/signin`` route sets (a browser);
2. a session token in ``st.session_state["auth_token"]``, set by the in-app sign-in form
   (AppTest, or ``streamlit run app.py`` without serve.py); same signature and expiry check;
3. ``st.session_state["auth_user"]``: a username put there by server-side code only
   (the AppTest helper ``tests/app/helpers.app_as``); browsers cannot write session state;
4. an identity-provider sign-in (``st.login``), when ``[auth]`` is configured in secrets.

Whatever the source, the user row is read from the store, so role and city always come
from the data layer. An expired or tampered token means no viewer.
"""
from __future__ import annotations

import streamlit as st

from hub import i18n
from hub.access import Viewer
from hub.tokens import SESSION_COOKIE

SESSION_KEY = "auth_user"          # username (trusted: only server code writes session state)
TOKEN_KEY = "auth_token"           # signed session token from the in-app sign-in form
LANG_KEY = "lang"                  # the language chosen in this session


def _cookie_token() -> str | None:
    try:
        return st.context.cookies.get(SESSION_COOKIE)
    except Exception:  # no browser context (bare mode)
        return None


def oidc_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section (``st.login`` usable)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file
        return False


def _oidc_viewer() -> Viewer | None:
    if not oidc_configured():
        return None
    try:
        if not st.user.is_logged_in:
            return None
        email = st.user.get("email")
    except Exception:
        return None
    from hub.accounts import viewer_for_email
    return viewer_for_email(email)


def auth_source() -> str | None:
    """Where the sign-in of this session lives: ``cookie``, ``session``, ``oidc`` or None."""
    if _cookie_token():
        return "cookie"
    if st.session_state.get(TOKEN_KEY) or st.session_state.get(SESSION_KEY):
        return "session"
    if oidc_configured():
        return "oidc"
    return None


def current_viewer() -> Viewer | None:
    """The signed-in viewer, read from the store; None when nobody (valid) is signed in."""
    from hub.accounts import load_viewer
    from hub.tokens import viewer_for_token

    token = _cookie_token()
    if token:
        viewer = viewer_for_token(token)
        if viewer is not None:
            return viewer
    token = st.session_state.get(TOKEN_KEY)
    if token:
        viewer = viewer_for_token(token)
        if viewer is None:                       # expired or revoked: forget it
            st.session_state.pop(TOKEN_KEY, None)
            st.session_state.pop(SESSION_KEY, None)
        return viewer
    username = st.session_state.get(SESSION_KEY)
    if username:
        return load_viewer(username)
    return _oidc_viewer()


def sign_in_session(viewer: Viewer) -> None:
    """Remember a viewer signed in through the in-app form (a signed, expiring token)."""
    from hub.tokens import issue_token_for
    st.session_state[TOKEN_KEY] = issue_token_for(viewer)
    st.session_state[SESSION_KEY] = viewer.username


def sign_out_session() -> None:
    for key in (TOKEN_KEY, SESSION_KEY):
        st.session_state.pop(key, None)


_last_lang = i18n.DEFAULT_LANGUAGE


def lang() -> str:
    """The UI language: ?lang= in the URL, then the session, then the user's own."""
    global _last_lang
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    if get_script_run_ctx(suppress_warning=True) is None:
        # Outside a script run (AppTest calling a widget's format_func between runs): the
        # language of the last run, so widget labels match what that run rendered.
        return _last_lang
    q = st.query_params.get("lang")
    if q in i18n.LANGUAGES:
        _last_lang = q
        st.session_state[LANG_KEY] = q     # kept when a menu click or a switch_page drops ?lang=
        return q
    s = st.session_state.get(LANG_KEY)
    if s in i18n.LANGUAGES:
        _last_lang = s
        return s
    v = current_viewer()
    _last_lang = i18n.normalise_language(v.language if v else None)
    return _last_lang


def t(key: str, **params) -> str:
    return i18n.t(key, lang(), **params)


def md(value) -> str:
    """A value from data or from the URL, shown as literal text inside an element that parses
    Markdown (st.markdown/caption/title/header/subheader/info/warning/error/success, metric labels
    and values, tab, expander and button labels): ``ui.t("city.unknown_city", code=ui.md(code))``.
    Widget options (``format_func``) and dataframe cells are plain text already: pass them as they are."""
    from hub.escape import markdown_text
    return markdown_text(value)


def refuse(viewer: Viewer | None, target: str, detail: str | None = None) -> None:
    """Say politely that something is not available to this account, audit the attempt, stop.

    For pages that receive a value the viewer may not use (e.g. a mayor's ``?city=`` edited
    to another city): ``ui.refuse(viewer, f"city:{code}")``.
    """
    from hub.audit import audit
    audit(viewer.username if viewer else None, "refused", target=target, detail=detail)
    st.warning(t("common.not_available"), icon=":material/lock:")
    st.stop()


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
        refuse(viewer, f"page:{page}")
    return viewer
