"""Entry point: page config, sign-in, language, and the navigation of the pages the role may see.

Run through ``serve.py`` (``make run``), which adds the cookie sign-in routes and the
middleware. st.navigation is called on every run (the sign-in page alone when nobody is
signed in), so Streamlit never falls back to legacy pages/ mode, and it registers only the
pages the viewer's role may open (``hub.access.pages_for``).
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

import ui
from hub.access import pages_for
from ui import sidebar
from ui.auth import sign_in_page

ROOT = Path(__file__).resolve().parent

PAGE_FILES = {
    "overview": ("pages/overview.py", ":material/public:"),
    "needs": ("pages/needs.py", ":material/leaderboard:"),
    "city": ("pages/city.py", ":material/location_city:"),
    "youth": ("pages/youth.py", ":material/groups:"),
    "fund": ("pages/fund.py", ":material/payments:"),
    "helpdesk": ("pages/helpdesk.py", ":material/support_agent:"),
    "events": ("pages/events.py", ":material/event:"),
    "methodology": ("pages/methodology.py", ":material/functions:"),
    "data": ("pages/data.py", ":material/upload_file:"),
    "practices": ("pages/practices.py", ":material/lightbulb:"),   # stream know (issue 16)
}


def no_pages() -> None:
    ui.demo_notice()
    st.info(ui.t("auth.no_pages"))


viewer = ui.current_viewer()

# The language: ?lang=, then this session's choice, then the user's own; kept in the URL once
# someone is signed in (before that, an unchosen default must not override the user's own).
language = ui.lang()
if (viewer is not None or "lang" in st.query_params) and st.query_params.get("lang") != language:
    st.query_params["lang"] = language

st.set_page_config(page_title=ui.t("common.app_title"), page_icon="🏙️",
                   layout="wide")

if viewer is None:
    nav = st.navigation([st.Page(sign_in_page, title=ui.t("auth.title"), icon=":material/login:",
                                 default=True)])
else:
    pages = [
        st.Page(PAGE_FILES[p][0], title=ui.t(f"nav.{p}"), icon=PAGE_FILES[p][1], url_path=p)
        for p in pages_for(viewer) if (ROOT / PAGE_FILES[p][0]).exists()
    ]
    if pages:
        # A hidden landing page holds the root URL, so every real page keeps its own path:
        # a shared /city?city=MK001 or /overview link opens that page, and / opens the role's first.
        def home() -> None:
            st.switch_page(pages[0], query_params=dict(st.query_params))

        home_page = st.Page(home, title=ui.t("nav.home"), url_path="home", default=True,
                            visibility="hidden")
        nav = st.navigation([home_page, *pages])
    else:
        nav = st.navigation([st.Page(no_pages, title=ui.t("nav.home"), default=True)])

sidebar.language_selector(viewer)
if viewer is not None:
    sidebar.account(viewer)
elif sidebar.redirect_after_sign_out():
    st.info(ui.t("auth.signed_out"))
try:
    nav.run()   # every page shows ui.demo_notice() under its own title (the sign-in page too)
finally:
    sidebar.footer()   # the credits last, under the page's own sidebar filters (even after st.stop)
