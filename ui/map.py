"""Show a folium map from ``hub.maps`` and open a city's profile when its marker is clicked."""
from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from hub.maps import city_for_click

# Only what the page uses comes back from the browser: panning and zooming return nothing, so they
# cause no rerun; a click on a marker or area returns its tooltip text (one rerun per new click).
RETURNED = ["last_object_clicked_tooltip"]
CITY_PAGE = "pages/city.py"


def show_map(m, key: str, *, height: int = 560, open_city: bool = True) -> str | None:
    """Draw ``m`` with st_folium; returns the code of the clicked member city (None otherwise) and,
    with ``open_city``, switches to its profile (``pages/city.py?city=<code>``)."""
    out = st_folium(m, key=key, height=height, use_container_width=True, returned_objects=RETURNED)
    code = city_for_click(m, (out or {}).get("last_object_clicked_tooltip"))
    if code and open_city:
        st.switch_page(CITY_PAGE, query_params={"city": code})
    return code
