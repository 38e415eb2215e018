"""Entry point: page config, sign-in, language, and the navigation of the pages the role may see.

Run through ``serve.py`` (``make run``). st.navigation is called on every run (a sign-in page
alone when nobody is signed in), so Streamlit never falls back to legacy pages/ mode.
"""
from __future__ import annotations

import streamlit as st

import ui
from hub.access import pages_for

st.set_page_config(page_title="Strong Cities Western Balkans Hub", page_icon=":material/location_city:",
                   layout="wide")

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
}


def sign_in_page() -> None:
    st.title(ui.t("common.app_title"))
    st.info(ui.t("common.sign_in_required"))


viewer = ui.current_viewer()
if viewer is None:
    nav = st.navigation([st.Page(sign_in_page, title=ui.t("common.sign_in"), default=True)])
else:
    from pathlib import Path
    root = Path(__file__).parent
    pages = [
        st.Page(PAGE_FILES[p][0], title=ui.t(f"nav.{p}"), icon=PAGE_FILES[p][1], url_path=p)
        for p in pages_for(viewer) if (root / PAGE_FILES[p][0]).exists()
    ]
    nav = st.navigation(pages) if pages else st.navigation([st.Page(sign_in_page, default=True)])
nav.run()
