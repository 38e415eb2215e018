"""The sidebar every page shares: language, the signed-in account, sign-out, credits."""
from __future__ import annotations

import streamlit as st

from hub import i18n
from hub.access import Viewer
from hub.accounts import set_language
from hub.tokens import sign_out
from ui.session import LANG_KEY, auth_source, lang, md, sign_out_session, t

LANG_WIDGET = "lang_select"


def _language_changed(username: str | None) -> None:
    new = st.session_state[LANG_WIDGET]
    st.session_state[LANG_KEY] = new
    st.query_params["lang"] = new
    if username:
        set_language(username, new)          # remembered for the next sign-in


def language_selector(viewer: Viewer | None) -> str:
    """A selectbox of the four languages; the choice goes to ?lang=, the session and the user row."""
    current = lang()
    if st.session_state.get(LANG_WIDGET) != current:
        st.session_state[LANG_WIDGET] = current
    st.sidebar.selectbox(
        t("common.language"), i18n.LANGUAGES, format_func=i18n.LANGUAGE_NAMES.get, key=LANG_WIDGET,
        on_change=_language_changed, args=(viewer.username if viewer else None,),
    )
    return current


def _sign_out_clicked(username: str, source: str | None) -> None:
    sign_out(username, via="app")
    sign_out_session()
    if source == "cookie":
        st.session_state["_redirect_signout"] = True


def account(viewer: Viewer) -> None:
    """Who is signed in, and the sign-out button."""
    role = t(f"auth.role_{viewer.role}")
    st.sidebar.caption(t("auth.signed_in_as", name=md(f"{viewer.display_name or viewer.username} · {role}")))
    source = auth_source()
    if source == "oidc":
        st.sidebar.button(t("auth.sign_out"), key="sign_out", on_click=st.logout)
    else:
        st.sidebar.button(t("auth.sign_out"), key="sign_out", icon=":material/logout:",
                          on_click=_sign_out_clicked, args=(viewer.username, source))


def redirect_after_sign_out() -> bool:
    """After a sign-out in a browser, send it to /signout, which clears the cookie.

    The button's click reaches the server over the app's websocket (same origin only), and the
    sign-out itself is recorded there (``_sign_out_clicked``); the GET that follows finds the
    session already ended and only clears the cookie. A GET /signout with a live session, as
    from a link on another site, only shows a confirmation form (POST with a CSRF token)."""
    if not st.session_state.pop("_redirect_signout", False):
        return False
    from ui.auth import _redirect, signin_route
    if signin_route():
        _redirect(f"/signout?lang={lang()}")
        st.session_state["_signout_redirected"] = True      # the sign-in page need not redirect too
    return True


def footer() -> None:
    st.sidebar.divider()
    st.sidebar.caption(t("common.credits"))
