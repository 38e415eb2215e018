"""The web server: Streamlit's ASGI ``st.App`` around app.py, plus cookie sign-in.

``streamlit run serve.py`` (``make run``) serves:

- ``GET/POST /signin``: a translated HTML sign-in form (``?lang=``, ``?next=``) with a CSRF
  token; a good password sets a signed, HttpOnly, SameSite=Lax cookie that expires
  (``HUB_SESSION_HOURS``, default 8) and redirects to ``next`` with its query kept;
- ``/signout``: GET asks for confirmation, POST (with its CSRF token) ends the session
  everywhere and clears the cookie;
- ``/media/<file>``: generated downloads, answered by the session gate from the store, only
  to the user who made them (``ui.media`` binds each file to its user, ``hub.web.serve_media``);
- the Streamlit app, behind a middleware that refuses the websocket and data endpoints to
  browsers without a valid session cookie and sends their page loads to ``/signin``
  (health checks and static assets stay open), and one that adds security headers
  (no framing by other sites, nosniff, same-origin referrer).

The signing key is ``HUB_SECRET_KEY`` or, for a SQLite store on one machine only, a random key
kept in the git-ignored ``data/.secret_key`` (see ``hub.tokens.secret_key``). With a shared
store (PostgreSQL, several app processes) ``HUB_SECRET_KEY`` is required, the same everywhere.
"""
from __future__ import annotations

import os
import tomllib
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.routing import Route

from hub.web import SIGNED_IN_HOOKS, SIGNIN_PATH, SIGNOUT_PATH, SecurityHeaders, SessionGate, signin, signout

os.environ["HUB_SIGNIN_ROUTE"] = SIGNIN_PATH   # app.py's sign-in page sends browsers here

# Our pages/ folder would otherwise put a fresh server in Streamlit's legacy multipage mode
# until app.py first calls st.navigation: a deep link such as /fund would then run
# pages/fund.py on its own, without app.py's shell. Every run goes through app.py instead.
from streamlit.runtime.pages_manager import PagesManager  # noqa: E402

PagesManager.uses_pages_directory = False

# Import what the pages need while the server waits for its first visitor (hub/warm.py, ui/warm.py),
# and start the first page's heaviest reads the moment a password is accepted (ui/prefetch.py). Both
# once per process: `streamlit run` executes this file twice (once to find `app`, once to serve it).
from ui.prefetch import after_sign_in  # noqa: E402
from ui.warm import start_warm_up  # noqa: E402

start_warm_up()
if after_sign_in not in SIGNED_IN_HOOKS:
    SIGNED_IN_HOOKS.append(after_sign_in)


def _oidc_configured() -> bool:
    """An ``[auth]`` section in .streamlit/secrets.toml switches on st.login (OIDC) as well."""
    path = Path(__file__).with_name(".streamlit") / "secrets.toml"
    try:
        return "auth" in tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError):
        return False


def _oidc_email(request) -> str | None:
    """The e-mail in Streamlit's signed st.login cookie (for /media downloads of SSO users)."""
    import json
    try:
        from streamlit.web.server.starlette.starlette_auth_routes import (
            USER_COOKIE_NAME, _get_cookie_value_from_request)
        raw = _get_cookie_value_from_request(request, USER_COOKIE_NAME)
        info = json.loads(raw) if raw else {}
        return info.get("email") if isinstance(info, dict) else None
    except Exception:
        return None


from hub.settings import SettingsError, settings  # noqa: E402
from hub.tokens import check_secret_for_store  # noqa: E402

try:
    settings()                    # every setting checked before serving: a bad value stops here, named
except SettingsError as exc:
    raise SystemExit(f"Cannot start: {exc}") from None
check_secret_for_store()          # refuses a shared store without HUB_SECRET_KEY; warns on a mismatch

app = st.App(   # (`streamlit run` finds the app by this very form: `app = st.App(...)`)
    "app.py",
    routes=[
        Route(SIGNIN_PATH, signin, methods=["GET", "POST"]),
        Route(SIGNOUT_PATH, signout, methods=["GET", "POST"]),
    ],
    middleware=[Middleware(SecurityHeaders), Middleware(SessionGate, allow_oidc=_oidc_configured(), oidc_email=_oidc_email)],
)


def _own_media_files(asgi_app) -> None:
    """Give the runtime a media file manager that binds every generated file to its user and
    keeps it in the store (``ui.media``), so downloads work from any app process."""
    create = asgi_app._create_runtime

    def create_runtime():
        from ui.media import OwnedMediaFileManager
        runtime = create()
        runtime._media_file_mgr = OwnedMediaFileManager(runtime._media_file_mgr._storage)
        return runtime

    asgi_app._create_runtime = create_runtime


_own_media_files(app)

if __name__ == "__main__":
    app.run()
