"""The overview's map: its layers' names, the map of one layer (built from ``hub.maps``, cached), shown
with st_folium's component; a click on a city's marker opens its profile.

``streamlit_folium`` is imported only once the server runs (``_streamlit_folium``): a component declared
before Streamlit's runtime exists hung the first page run, and one declared outside a page run is not
registered (``ui.prefetch``'s thread renders the first map after a sign-in), so it is registered by hand."""
from __future__ import annotations

import threading

import branca
import folium
import folium.elements
import pandas as pd
import streamlit as st

from hub import i18n, maps
from hub.maps import city_for_click

# Only what the page uses comes back from the browser: panning and zooming return nothing, so they
# cause no rerun; a click on a marker or area returns its point and tooltip text (one rerun per click).
RETURNED = ["last_object_clicked", "last_object_clicked_tooltip"]
CITY_PAGE = "pages/city.py"
_RENDER_LOCK = threading.Lock()
MAP_FRAME_EXTRA = 10    # px the component adds around its frame (the element container is 567.6 px for a 560 px map)
DEFAULT_LAYER = "need"  # the layer the overview opens on


def layer_label(layer: str, lang: str) -> str:
    """A layer's name (``hub.queries.overview.map_layers``) in ``lang``: the map's title and the picker's words."""
    from hub.charts.needs import dimension_label
    from ui.labels import humanise, label
    kind, _, code = layer.partition(":")
    if layer in ("need", "fund_per_capita"):
        return i18n.t(f"overview.layer.{layer}", lang)
    if kind == "dim":
        return i18n.t("overview.layer.dimension", lang, name=dimension_label(code, lang))
    return i18n.t("overview.layer.youth", lang, name=label("overview.youth_indicator", code, lang, fallback=humanise))


def layer_map(viewer, period: str | None, layer: str, lang: str) -> tuple[pd.DataFrame, folium.Map | None]:
    """The values of one layer in ``period`` as ``viewer`` may see them, and their map (None when there
    are none): what the overview's map tab shows, and what ``ui.prefetch`` reads for it after a sign-in."""
    from hub.queries import overview as q
    from ui.cache import cached_query
    values = cached_query(q.map_layer, viewer, period=period, layer=layer)
    if values.empty:
        return values, None
    decimals = 2 if layer == "fund_per_capita" else 1
    return values, regional_map(viewer, values, "value", lang, title=layer_label(layer, lang), decimals=decimals)


@st.cache_resource(max_entries=32, show_spinner=False)
def _cached_regional_map(cities: pd.DataFrame, value_col: str, lang: str, title: str | None, decimals: int,
                         data_version: tuple, designation: str, _viewer):
    # The loaded boundaries are the same for every role and change only with the data version (in
    # the key), so the viewer is left out of it; they are read on a miss only, through ui.cache.
    from hub.queries.geo import boundaries
    from ui.cache import cached_query
    units = maps.map_units(cached_query(boundaries, _viewer))
    return maps.regional_map(cities, value_col, lang, title=title, decimals=decimals, units=units)


def regional_map(viewer, cities: pd.DataFrame, value_col: str = "value", lang: str = "en", *,
                 title: str | None = None, decimals: int = 1):
    """``hub.maps.regional_map`` through st.cache_resource, over the shipped units and the boundaries
    hub staff loaded (``hub.queries.geo.boundaries``, read as ``viewer``): rebuilt only when the data,
    the language, the store's data version (loaded boundaries included) or the Kosovo designation change."""
    from ui.cache import data_version
    return _cached_regional_map(cities, value_col, lang, title, decimals,
                                data_version(), maps.kosovo_designation(), viewer)


def show_map(m, key: str, *, height: int = 560, open_city: bool = True) -> str | None:
    """Draw ``m`` with st_folium's component (rendered once per map object, see ``_st_folium``); returns the code of the member city clicked since the last run
    (None otherwise) and, with ``open_city``, switches to its profile (``pages/city.py?city=<code>``)."""
    with st.container(height=height + MAP_FRAME_EXTRA, border=False):   # the page does not jump when the map arrives
        out = _st_folium(m, key=key, height=height)
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
        from ui.session import lang
        st.switch_page(CITY_PAGE, query_params={"city": code, "lang": lang()})   # the language stays chosen
    return code


def _may_open_city_page() -> bool:
    """Donors have no city page: their clicks stay on the map (the page guard would refuse anyway)."""
    from hub.access import pages_for
    from ui.session import current_viewer
    viewer = current_viewer()
    return viewer is not None and "city" in pages_for(viewer)


# --- st_folium with the map rendered once -------------------------------------------------------------
# ``streamlit_folium.st_folium`` renders the whole map to HTML and Leaflet script on every call (seconds
# for 500+ cities, on every rerun, although a map from the cache never changes). ``_st_folium`` sends the
# component the very arguments st_folium 0.27 sends for a map with ``use_container_width=True``,
# ``returned_objects=RETURNED`` and no feature groups or layer control, but renders each map object
# only once and keeps the result on it (maps from ``regional_map`` are cached, so reruns reuse it).


def prerender(m: folium.Map) -> None:
    """Render ``m`` for its component ahead of its page run (``ui.prefetch``, after a sign-in); only in a
    running server (see ``_streamlit_folium``): elsewhere the page renders it when it shows it."""
    from streamlit import runtime
    if runtime.exists():
        _rendered(m)


def _streamlit_folium():
    """``streamlit_folium``, with its component registered with the running server: importing it declares
    the component, which Streamlit registers only when the import runs inside a page run."""
    import streamlit_folium as sf
    from streamlit import runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    if get_script_run_ctx() is None and runtime.exists():
        runtime.get_instance().component_registry.register_component(sf._component_func)
    return sf


def _st_folium(m: folium.Map, key: str, height: int):
    """``st_folium(m, key=key, height=height, use_container_width=True, returned_objects=RETURNED)``."""
    sf = _streamlit_folium()
    args = _rendered(m)
    hashes = args["hash_by_key"]
    if key not in hashes:       # the component's own key: st_folium's hash of the script and our key
        hashes[key] = sf.generate_js_hash(args["script"], key, False)
    hash_key = hashes[key]

    def on_change():            # st_folium keeps the last value under our key as well
        st.session_state[key] = st.session_state.get(hash_key, {})

    return sf._component_func(
        script=args["script"], header=args["header"], html=args["html"], id=args["id"], key=hash_key,
        height=height, width=None, returned_objects=RETURNED, default=dict(args["default"]), zoom=None,
        center=None, feature_group=None, return_on_hover=False, layer_control=None, pixelated=False,
        css_links=args["css_links"], js_links=args["js_links"], on_change=on_change, wrap_longitude=False)


def _rendered(m: folium.Map) -> dict:
    """The component arguments of ``m`` that do not depend on the call, rendered on first use (under
    a lock: a cached map is shared by every session, and rendering renames its elements)."""
    args = getattr(m, "_hub_component_args", None)
    if args is None:
        with _RENDER_LOCK:
            args = getattr(m, "_hub_component_args", None)
            if args is None:
                args = _render(m)
                m._hub_component_args = args
    return args


def _render(m: folium.Map) -> dict:
    """What ``st_folium`` computes from the map itself, in its order (html and header before the
    script, which renames the map's elements). st_folium renders the figure and then the map again;
    rendering the figure once (which renders the map) gives the same header, html and script for our
    maps at half the cost (tests/app/test_map_render_once.py compares them)."""
    sf = _streamlit_folium()
    _render_figure(m)
    html = sf._get_html(m)
    header = sf._get_header(m)
    script = sf._get_map_string(m)
    # st_folium's initial value, restricted to RETURNED (clicks only: no bounds or zoom to compute)
    default = {k: None for k in RETURNED}
    css_links: list[str] = []
    js_links: list[str] = []
    for elem in _walk(m):
        if isinstance(elem, branca.colormap.ColorMap):
            js_links.insert(0, "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js")
            js_links.insert(0, "https://d3js.org/d3.v4.min.js")
        css_links.extend(href for _, href in getattr(elem, "default_css", []))
        js_links.extend(src for _, src in getattr(elem, "default_js", []))
    return {"script": script, "header": header, "html": html, "id": sf.get_full_id(m), "default": default,
            "css_links": list(dict.fromkeys(css_links)), "js_links": list(dict.fromkeys(js_links)),
            "hash_by_key": {}}


def _render_figure(m: folium.Map) -> None:
    """Render the figure for its header and html (the city markers are one element,
    ``hub.maps.CityMarkers``, rendered once: no per-marker Jinja compilation to skip any more)."""
    m.get_root().render()


def _walk(fig):
    """The map's elements as st_folium walks them for script and style links."""
    if isinstance(fig, (branca.colormap.ColorMap, folium.elements.JSCSSMixin)):
        yield fig
    for child in getattr(fig, "_children", {}).values():
        yield from _walk(child)
