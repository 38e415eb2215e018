"""Show a folium map from ``hub.maps`` and open a city's profile when its marker is clicked."""
from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from hub import maps
from hub.maps import city_for_click

# Only what the page uses comes back from the browser: panning and zooming return nothing, so they
# cause no rerun; a click on a marker or area returns its tooltip text (one rerun per new click).
RETURNED = ["last_object_clicked_tooltip"]
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
    """Draw ``m`` with st_folium; returns the code of the clicked member city (None otherwise) and,
    with ``open_city``, switches to its profile (``pages/city.py?city=<code>``)."""
    out = st_folium(m, key=key, height=height, use_container_width=True, returned_objects=RETURNED)
    code = city_for_click(m, (out or {}).get("last_object_clicked_tooltip"))
    if code and open_city:
        st.switch_page(CITY_PAGE, query_params={"city": code})
    return code
