"""A tiny Streamlit script that draws the regional map through ui.map.show_map (browser test target
until the overview page can be reached through the cookie sign-in)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from hub.maps import kosovo_footnote, regional_map, shipped_units  # noqa: E402
from ui.map import show_map  # noqa: E402

CITIES = pd.DataFrame([
    ("MK001", "Kumanovo", "Куманово", "MK", 75051, 42.13279, 21.71585, 71.0),
    ("MK002", "Čair", "Чаир", "MK", 64773, 42.01528, 21.44111, 64.0),
    ("RS001", "Niš", "Ниш", "RS", 187544, 43.32472, 21.90333, 48.0),
    ("BA001", "Tuzla", None, "BA", 110979, 44.53842, 18.66709, 55.0),
    ("AL001", "Tirana", "Tiranë", "AL", 418495, 41.3275, 19.81889, 32.0),
    ("XK001", "Pristina", "Prishtinë", "XK", 161751, 42.67272, 21.16688, 40.0),
    ("ME001", "Podgorica", None, "ME", 150977, 42.44111, 19.26361, 27.0),
], columns=["municipality_code", "name", "name_local", "country", "population", "latitude", "longitude", "value"])

st.title("map")
clicked = show_map(regional_map(CITIES, lang="en", title="Need index", units=shipped_units()),
                   key="test-map", open_city=False)
if clicked:
    st.session_state["clicked"] = clicked
st.write(f"clicked: {st.session_state.get('clicked')}")
st.caption(kosovo_footnote("en"))
