"""The sign-in page inside the Streamlit app (the only page before anyone signs in).

Under serve.py the browser signs in through the ``/signin`` route (a signed cookie that
survives reloads), so this page sends the browser there, keeping the link it came for.
Without serve.py (AppTest, or ``streamlit run app.py``) it is a real form that signs in
through ``hub.accounts.sign_in`` and keeps a signed, expiring token in session state.
"""
from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st

from hub.accounts import demo_accounts, sign_in, wait_minutes
from hub.settings import settings
from ui.session import lang, md, oidc_configured, sign_in_session, t

def signin_route() -> str | None:
    """The path of serve.py's sign-in route (``HUB_SIGNIN_ROUTE``, which serve.py sets); None without serve.py."""
    return settings().signin_route


def signin_url(route: str) -> str:
    """``/signin?next=<the page and query this browser asked for>&lang=..``."""
    try:
        parts = urlsplit(st.context.url or "")
        here = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    except Exception:
        here = "/"
    if not here.startswith("/") or here.startswith("//"):
        here = "/"
    return f"{route}?{urlencode({'next': here, 'lang': lang()})}"


def _redirect(url: str) -> None:
    """Send the browser to a same-origin URL (a constant script; the URL is JSON-encoded).

    A sandboxed component frame may not navigate the top window itself, but it shares our
    origin, so it hands a one-line script to the app's own document, which then navigates."""
    import json
    import streamlit.components.v1 as components
    target = json.dumps(url).replace("<", "\\u003c")
    components.html(
        "<script>const d = window.parent.document, s = d.createElement('script');"
        f"s.textContent = 'window.location.assign(' + JSON.stringify({target}) + ')';"
        "d.body.appendChild(s);</script>", height=0)


def _form() -> None:
    with st.form("signin", clear_on_submit=False):
        username = st.text_input(t("auth.username"), key="signin_username", autocomplete="username")
        password = st.text_input(t("auth.password"), type="password", key="signin_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(t("auth.submit"), type="primary")
    if not submitted:
        return
    try:
        address = st.context.ip_address
    except Exception:
        address = None
    result = sign_in(username, password, via="app", address=address)
    if result.viewer is not None:
        sign_in_session(result.viewer)
        st.session_state.pop("signin_password", None)
        st.rerun()
    elif result.outcome in ("locked", "throttled"):
        st.error(t(f"auth.{result.outcome}", minutes=wait_minutes(result.locked_until)))
    else:
        st.error(t("auth.invalid"))


def sign_in_page() -> None:
    from ui.widgets import demo_notice
    st.title(t("auth.title"))
    demo_notice()
    st.write(t("auth.intro"))
    route = signin_route()
    if route:
        url = signin_url(route)
        st.link_button(t("auth.continue"), url, type="primary")
        if not st.session_state.pop("_signout_redirected", False):
            _redirect(url)
    else:
        _form()
    if oidc_configured():
        if st.button(t("auth.sso")):
            st.login()
        try:
            if st.user.is_logged_in:
                st.warning(t("auth.no_account_for_email", email=md(st.user.get("email") or "?")))
        except Exception:
            pass
    accounts = demo_accounts()
    if accounts:
        st.warning(t("auth.demo_warning", accounts=md(", ".join(accounts))), icon=":material/warning:")
