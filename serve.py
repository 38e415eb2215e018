"""The web server: Streamlit's ASGI ``st.App`` around app.py, plus cookie sign-in.

``streamlit run serve.py`` (``make run``) serves:

- ``GET/POST /signin``: a translated HTML sign-in form (``?lang=``, ``?next=``) with a CSRF
  token; a good password sets a signed, HttpOnly, SameSite=Lax cookie that expires
  (``HUB_SESSION_HOURS``, default 8) and redirects to ``next`` with its query kept;
- ``/signout``: ends the session (server side too) and clears the cookie;
- the Streamlit app, behind a middleware that refuses the websocket and data endpoints to
  browsers without a valid session cookie and sends their page loads to ``/signin``
  (health checks and static assets stay open).

The signing key is ``HUB_SECRET_KEY`` or a random key kept in the git-ignored
``data/.secret_key`` (see ``hub.access.secret_key``).
"""
from __future__ import annotations

import os
import tomllib
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.routing import Route

from hub.web import SIGNIN_PATH, SIGNOUT_PATH, SessionGate, signin, signout

os.environ["HUB_SIGNIN_ROUTE"] = SIGNIN_PATH   # app.py's sign-in page sends browsers here

# Our pages/ folder would otherwise put a fresh server in Streamlit's legacy multipage mode
# until app.py first calls st.navigation: a deep link such as /fund would then run
# pages/fund.py on its own, without app.py's shell. Every run goes through app.py instead.
from streamlit.runtime.pages_manager import PagesManager  # noqa: E402

PagesManager.uses_pages_directory = False

# Import what the pages need while the server waits for its first visitor (speed stream, hub/warm.py).
import threading  # noqa: E402

from hub.warm import warm_up  # noqa: E402

threading.Thread(target=warm_up, name="hub-warm-up", daemon=True).start()


def _oidc_configured() -> bool:
    """An ``[auth]`` section in .streamlit/secrets.toml switches on st.login (OIDC) as well."""
    path = Path(__file__).with_name(".streamlit") / "secrets.toml"
    try:
        return "auth" in tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError):
        return False


app = st.App(
    "app.py",
    routes=[
        Route(SIGNIN_PATH, signin, methods=["GET", "POST"]),
        Route(SIGNOUT_PATH, signout, methods=["GET", "POST"]),
    ],
    middleware=[Middleware(SessionGate, allow_oidc=_oidc_configured())],
)

if __name__ == "__main__":
    app.run()
