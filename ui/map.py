"""Show a folium map from ``hub.maps`` and open a city's profile when its marker is clicked."""
from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from hub import maps
from hub.maps import city_for_click

# Only what the page uses comes back from the browser: panning and zooming return nothing, so they
# cause no rerun; a click on a marker or area returns its point and tooltip text (one rerun per click).
RETURNED = ["last_object_clicked", "last_object_clicked_tooltip"]
CITY_PAGE = "pages/city.py"


@st.cache_resource(max_entries=32, show_spinner=False)
def _cached_regional_map(cities: pd.DataFrame, value_col: str, lang: str, title: str | None, decimals: int,
                         boundaries_version: tuple, designation: str):
    return maps.regional_map(cities, value_col, lang, title=title, decimals=decimals)


def regional_map(cities: pd.DataFrame, value_col: str = "value", lang: str = "en", *,
                 title: str | None = None, decimals: int = 1):
    """``hub.maps.regional_map`` through st.cache_resource: rebuilt only when the data, the language,
    the loaded boundaries or the Kosovo designation change."""
    return _cached_regional_map(cities, value_col, lang, title, decimals,
                                maps.boundaries_version(), maps.kosovo_designation())


def show_map(m, key: str, *, height: int = 560, open_city: bool = True) -> str | None:
    """Draw ``m`` with st_folium; returns the code of the member city clicked since the last run
    (None otherwise) and, with ``open_city``, switches to its profile (``pages/city.py?city=<code>``)."""
    out = st_folium(m, key=key, height=height, use_container_width=True, returned_objects=RETURNED)
    # Inside a multipage app st_folium's return value can lag behind the click; the on_change copy it
    # keeps under ``key`` carries it. Each click is handled once (a click has its own point).
    data = out if out and out.get("last_object_clicked_tooltip") else (st.session_state.get(key) or {})
    token = (data.get("last_object_clicked_tooltip"), str(data.get("last_object_clicked")))
    handled_key = f"{key}__handled"
    if data.get("last_object_clicked_tooltip") is None or st.session_state.get(handled_key) == token:
        return None
    st.session_state[handled_key] = token
    code = city_for_click(m, data.get("last_object_clicked_tooltip"))
    if code and open_city and _may_open_city_page():
        st.switch_page(CITY_PAGE, query_params={"city": code})
    return code


def _may_open_city_page() -> bool:
    """Donors have no city page: their clicks stay on the map (the page guard would refuse anyway)."""
    from hub.access import pages_for
    from ui.session import current_viewer
    viewer = current_viewer()
    return viewer is not None and "city" in pages_for(viewer)
