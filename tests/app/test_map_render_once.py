"""ui.map.show_map sends the browser what streamlit_folium.st_folium sends, but renders a map only once:
a cached map's reruns reuse the rendered script (rendering is seconds at 500+ cities, issue 8), and the
component keeps its key, so the browser keeps the map it has."""
from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest


def _script(use_show_map: bool):
    """Draws one map object, kept across reruns (as st.cache_resource keeps a page's map), through
    show_map or through st_folium with the arguments show_map stands for."""
    import pandas as pd
    import streamlit as st
    from streamlit_folium import st_folium

    from hub import maps
    from ui.map import RETURNED, show_map

    if "m" not in st.session_state:
        cities = pd.DataFrame([
            ("MK001", "Kumanovo", "Куманово", "MK", 75051, 42.13279, 21.71585, 71.0),
            ("AL001", "Tirana", "Tiranë", "AL", 418495, 41.3275, 19.81889, 32.0),
            ("XK001", "Pristina", "Prishtinë", "XK", 161751, 42.67272, 21.16688, 40.0),
        ], columns=["municipality_code", "name", "name_local", "country", "population", "latitude",
                    "longitude", "value"])
        st.session_state["m"] = maps.regional_map(cities, lang="sq", title="Indeksi", units=maps.shipped_units())
    if use_show_map:
        st.session_state["clicked"] = show_map(st.session_state["m"], key="the-map")
    else:
        st_folium(st.session_state["m"], key="the-map", height=560, use_container_width=True,
                  returned_objects=RETURNED)


def _component_args(at) -> list[dict]:
    found, stack = [], [at._tree]
    while stack:
        node = stack.pop()
        stack.extend((getattr(node, "children", {}) or {}).values())
        proto = getattr(node, "proto", None)
        if proto is not None and proto.DESCRIPTOR.name == "ComponentInstance":
            found.append(json.loads(proto.json_args))
    return found


def _runs(use_show_map: bool, n: int = 2) -> list[dict]:
    at = AppTest.from_function(_script, kwargs={"use_show_map": use_show_map}, default_timeout=60)
    out = []
    for _ in range(n):
        at.run()
        assert not at.exception
        (args,) = _component_args(at)
        out.append(args)
    return out, at


def test_first_run_sends_exactly_what_st_folium_sends():
    ours, at = _runs(True, 1)
    theirs, _ = _runs(False, 1)
    assert ours[0] == theirs[0]                          # script, header, html, links, key, defaults
    assert "Kumanovo" in ours[0]["script"] and ours[0]["default"] == {
        "last_object_clicked": None, "last_object_clicked_tooltip": None}
    assert at.session_state["clicked"] is None


def test_reruns_resend_the_same_map_with_the_same_key():
    first, second = _runs(True, 2)[0]
    assert first == second
    # The script adds each GeoJSON layer once; rendering a rendered map again adds them twice (and changes
    # st_folium's component key, which remounts the map in the browser): show_map never does that.
    assert first["script"].count(".addTo(map_div)") == second["script"].count(".addTo(map_div)")
    theirs = _runs(False, 2)[0]
    assert theirs[1]["key"] != theirs[0]["key"]          # why: st_folium re-renders the same map object
    assert theirs[1]["script"].count(".addTo(map_div)") > first["script"].count(".addTo(map_div)")
