"""ui.map in a real Streamlit run (AppTest): the cached map builder and show_map."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.helpers import fresh_caches


def _script():
    import pandas as pd
    import streamlit as st

    from hub.access import Viewer
    from ui.map import regional_map, show_map

    cities = pd.DataFrame([
        ("MK001", "Kumanovo", "Куманово", "MK", 75051, 42.13279, 21.71585, 71.0),
        ("AL001", "Tirana", "Tiranë", "AL", 418495, 41.3275, 19.81889, 32.0),
    ], columns=["municipality_code", "name", "name_local", "country", "population", "latitude", "longitude",
                "value"])
    m = regional_map(Viewer("hub.admin", "hub"), cities, lang="sq", title="Indeksi")
    st.session_state.setdefault("map_ids", []).append(id(m))
    st.session_state["clicked"] = show_map(m, key="t-map")
    st.session_state["n_markers"] = len(m.city_by_tooltip)


def test_show_map_runs_and_the_map_is_cached_across_reruns(empty_env):
    fresh_caches()
    at = AppTest.from_function(_script, default_timeout=60)
    at.run()
    assert not at.exception
    at.run()
    assert not at.exception
    ids = at.session_state["map_ids"]
    assert len(ids) == 2 and ids[0] == ids[1]          # second run: the cached map, not a rebuild
    assert at.session_state["clicked"] is None and at.session_state["n_markers"] == 2
    fresh_caches()
