"""Folium map builders (DataFrame in, map out) and the boundary layers they draw.

Layers: the shipped Natural Earth layers in ``geo/`` (six outlines; first-level units, which are
municipalities for MK, ME and XK) and municipal polygons hub staff loaded into the ``boundaries``
table (``python -m loaders boundaries``), which the caller reads with ``hub.queries.geo.boundaries``
and passes in (``map_units``); a loaded country replaces its shipped units. This module reads no
store. The shipped files are read once (``functools.lru_cache``; pages wrap the builders in
``st.cache_resource``, see ``ui.map``).

The map needs no tile server and no CDN: the boundaries are the map, tiles are optional, and
Leaflet comes from our own origin (``hub.assets``).

Kosovo's designation is a setting: ``KOSOVO_DESIGNATION=asterisk`` (default: "Kosovo*" with the
footnote used by EU and regional institutions, shown under every map and table naming it) or
``plain`` ("Kosovo", no footnote).
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import branca.colormap as bcm
import folium
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import shape

from hub import assets
from hub.escape import geojson_value, html_text, leaflet_text, script_json
from hub.i18n import fmt_number, fold, place_name, t
# Economy names and the Kosovo designation live in hub.labels; re-exported for the map's callers.
from hub.labels import country_name, kosovo_designation, kosovo_footnote  # noqa: F401

GEO_DIR = Path(__file__).resolve().parent.parent / "geo"
COUNTRIES_FILE = GEO_DIR / "countries.geojson"
UNITS_FILE = GEO_DIR / "admin1.geojson"
BOUNDS = [[39.6, 15.7], [46.2, 23.1]]          # the six economies, south-west / north-east
CENTRE, ZOOM = [42.9, 19.4], 6.5               # until FitRegion runs
NO_DATA = "#d9d9d9"
PALETTE = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"]   # light = low, dark = high


# --- layers ---------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _read_geojson(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def country_outlines() -> dict:
    """The six outlines (a fresh FeatureCollection dict)."""
    return json.loads(_read_geojson(str(COUNTRIES_FILE)))


def shipped_units() -> dict:
    """First-level units of the six (a fresh FeatureCollection dict)."""
    return json.loads(_read_geojson(str(UNITS_FILE)))


def _unit_code(country: str, feature_code: str) -> str:
    """Unit codes are unique across countries: prefix the country unless the code carries it."""
    return feature_code if feature_code.upper().startswith(country.upper()) else f"{country}-{feature_code}"


def loaded_units(boundaries: pd.DataFrame | None) -> dict:
    """The rows of ``hub.queries.geo.boundaries`` (municipal polygons hub staff loaded) as a
    FeatureCollection of units."""
    rows = [] if boundaries is None else boundaries.to_dict("records")
    feats = [{"type": "Feature",
              "properties": {"country": r["country"], "code": _unit_code(r["country"], r["feature_code"]),
                             "name": r["name"], "kind": "municipality",
                             "municipality_code": None if pd.isna(r["municipality_code"]) else r["municipality_code"]},
              "geometry": json.loads(r["geojson"])} for r in rows]
    return {"type": "FeatureCollection", "features": feats}


def map_units(boundaries: pd.DataFrame | None = None) -> dict:
    """Units the regional map draws: shipped units, with each country that has loaded municipal
    polygons (``boundaries``: the rows of ``hub.queries.geo.boundaries``) drawn from those instead."""
    loaded = loaded_units(boundaries)["features"]
    replaced = {f["properties"]["country"] for f in loaded}
    shipped = [f for f in shipped_units()["features"] if f["properties"]["country"] not in replaced]
    return {"type": "FeatureCollection", "features": shipped + loaded}


# --- joining cities to units -----------------------------------------------------------------
def assign_units(cities: pd.DataFrame, units: dict) -> pd.Series:
    """Unit code of each city (index aligned with ``cities``; None when outside every unit).

    Order: a loaded polygon already matched to the city's code; a unit of the same country whose
    folded name (or alternative name) equals the city's folded name or local name (Čair = Cair =
    Чаир); else the unit containing the city's coordinates.
    """
    feats = units["features"]
    by_muni_code = {f["properties"].get("municipality_code"): f["properties"]["code"]
                    for f in feats if f["properties"].get("municipality_code")}
    by_name: dict[tuple[str, str], str] = {}
    for f in feats:
        p = f["properties"]
        for n in (p.get("name"), p.get("name_alt")):
            if n:
                by_name.setdefault((p["country"], fold(n)), p["code"])
    geoms = [shape(f["geometry"]) for f in feats]
    tree = shapely.STRtree(geoms)
    out = []
    for rec in cities.itertuples(index=False):
        code_ = getattr(rec, "municipality_code", None) or getattr(rec, "code", None)
        country = getattr(rec, "country", None)
        hit = by_muni_code.get(code_)
        if hit is None:
            for n in (getattr(rec, "name", None), getattr(rec, "name_local", None)):
                hit = hit or by_name.get((country, fold(n)))
        lat, lon = getattr(rec, "latitude", None), getattr(rec, "longitude", None)
        if hit is None and _is_number(lat) and _is_number(lon):
            pt = shapely.Point(float(lon), float(lat))
            idx = tree.query(pt, predicate="intersects")
            same = [i for i in idx if feats[i]["properties"]["country"] == country] or list(idx)
            if same:
                hit = feats[int(same[0])]["properties"]["code"]
        out.append(hit)
    return pd.Series(out, index=cities.index, dtype=object)


def _is_number(x) -> bool:
    return x is not None and isinstance(x, (int, float)) and not math.isnan(x)


# --- classes and legend ------------------------------------------------------------------------
def classes(values: pd.Series, k: int = 5) -> list[float]:
    """Class breaks (k+1 edges) at quantiles of the values; fewer classes when values repeat."""
    v = pd.to_numeric(values, errors="coerce").dropna()
    if v.empty:
        return []
    edges = sorted(set(round(float(x), 6) for x in v.quantile([i / k for i in range(k + 1)])))
    if len(edges) == 1:
        edges = [edges[0], edges[0] + 1e-9]
    return edges


def colormap(edges: list[float]) -> bcm.StepColormap | None:
    if not edges:
        return None
    n = len(edges) - 1
    colours = PALETTE if n >= len(PALETTE) else [PALETTE[round(i * (len(PALETTE) - 1) / max(n - 1, 1))]
                                                  for i in range(n)]
    return bcm.StepColormap(colours[:n], index=edges, vmin=edges[0], vmax=edges[-1])


def colour(cmap: bcm.StepColormap | None, value) -> str:
    if cmap is None or not _is_number(value):
        return NO_DATA
    return cmap(min(max(float(value), cmap.vmin), cmap.vmax))


class Legend(MacroElement):
    """The scale and its classes as a Leaflet control: plain HTML, no script library (branca's own
    colormap legend would make streamlit-folium fetch d3 from a CDN)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var legend = L.control({position: "bottomleft"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "hub-legend");
                div.innerHTML = {{ this.html|tojson }};
                var rows = div.querySelector(".hub-legend-rows");
                var wasNarrow = null;
                // A phone: small, and folded until tapped; again when the window narrows to a phone's
                // width (a page opened wide and then narrowed kept a legend over a quarter of the map).
                function fit() {
                    var narrow = window.innerWidth < 520;
                    if (narrow === wasNarrow) { return; }
                    wasNarrow = narrow;
                    div.style.cssText = "background:#fff;padding:5px 7px;font:" + (narrow ? "10px" : "11px")
                        + "/1.35 sans-serif;border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3);max-width:"
                        + (narrow ? "140px" : "190px") + ";cursor:pointer";
                    if (rows) { rows.style.display = narrow ? "none" : ""; }
                }
                fit();
                window.addEventListener("resize", fit);
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.on(div, "click", function () {
                    if (rows) { rows.style.display = rows.style.display === "none" ? "" : "none"; }
                });
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, title: str, rows: list[tuple[str, str]], note: str | None = None):
        super().__init__()
        self._name = "Legend"
        self.rows = rows
        parts = [f"<b>{html_text(title)} ▾</b>", "<div class='hub-legend-rows'>"]
        for col, label in rows:
            parts.append(f'<div><i style="display:inline-block;width:14px;height:10px;margin-right:6px;'
                         f'background:{html_text(col)};border:1px solid #999"></i>{html_text(label)}</div>')
        if note:
            parts.append(f"<div style='color:#555'>{html_text(note)}</div>")
        parts.append("</div>")
        self.html = "".join(parts)


class CityMarkers(MacroElement):
    """Member cities as Leaflet circle markers with sticky tooltips, drawn by one loop over a compact
    array (``[lat, lon, radius, fill, tooltip lines]`` per city) with the style given once: what 522
    ``folium.CircleMarker`` + ``Tooltip`` blocks drew (~700 bytes each, mostly indentation and
    Leaflet's default options), at a fifth of the bytes. Each marker is added to the map itself, so
    st_folium's click handler (``initComponent`` walks ``map._layers``) sees it and hands back its
    tooltip's text content, as before.

    ``markers``: one dict per city (``location``, ``radius``, ``fill``, ``tooltip``: the tooltip's
    HTML, as a folium ``Tooltip`` held it). The tooltip lines are HTML built with
    :func:`hub.escape.leaflet_text`, exactly as before; the array reaches the script through
    :func:`hub.escape.script_json`."""

    STYLE = {"color": "#222222", "weight": 1, "fill": True, "fillOpacity": 0.95}

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }}, style = {{ this.style_json }};
            {{ this.points_json }}.forEach(function (p) {
                var o = Object.assign({}, style, {radius: p[2], fillColor: p[3]});
                L.circleMarker([p[0], p[1]], o).bindTooltip(
                    "<div><b>" + p[4][0] + "</b><br>" + p[4].slice(1).join("<br>") + "</div>", {sticky: true}
                ).addTo(map);
            });
        })();
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "CityMarkers"
        self.points: list[list] = []      # [lat, lon, radius, fill, tooltip lines] per city, as the script reads it

    def add(self, lat: float, lon: float, radius: float, fill: str, lines: list[str]) -> None:
        """One city; ``lines``: the tooltip's lines, each already escaped (``leaflet_text``), the first
        shown bold."""
        self.points.append([lat, lon, radius, fill, lines])

    @property
    def markers(self) -> list[dict]:
        """One dict per city: ``location``, ``radius``, ``fill`` and ``tooltip`` (the tooltip's HTML
        without the script's wrapping ``<div>``)."""
        return [{"location": (lat, lon), "radius": radius, "fill": fill,
                 "tooltip": "<br>".join([f"<b>{lines[0]}</b>", *lines[1:]])}
                for lat, lon, radius, fill, lines in self.points]

    @property
    def style_json(self) -> str:
        return script_json(self.STYLE)

    @property
    def points_json(self) -> str:
        return script_json(self.points)


class PlaceLabels(MacroElement):
    """Names on the map: the economies always, member cities from ``city_zoom`` on (closer in).
    Text goes in with ``textContent`` (never as HTML)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            function label(p, cls, css) {
                var el = document.createElement("div");
                el.textContent = p[2];
                el.style.cssText = "white-space:nowrap;transform:translate(-50%,-50%);pointer-events:none;"
                    + "text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;" + css;
                return L.marker([p[0], p[1]], {interactive: false, keyboard: false,
                    icon: L.divIcon({className: cls, html: el, iconSize: null})});
            }
            var economies = L.layerGroup({{ this.economies_json }}.map(function (p) {
                return label(p, "hub-economy-label", "font:600 13px sans-serif;color:#222;letter-spacing:.04em");
            })).addTo(map);
            var cities = L.layerGroup({{ this.cities_json }}.map(function (p) {
                return label(p, "hub-city-label", "font:11px sans-serif;color:#333;margin-top:-12px");
            }));
            function update() {
                if (map.getZoom() >= {{ this.city_zoom }}) { cities.addTo(map); } else { cities.remove(); }
            }
            map.on("zoomend", update);
            update();
        })();
        {% endmacro %}
    """)

    def __init__(self, economies: list, cities: list, city_zoom: float = 8):
        super().__init__()
        self._name = "PlaceLabels"
        self.economies = economies
        self.cities = cities
        self.city_zoom = city_zoom

    @property
    def economies_json(self) -> str:
        return script_json(self.economies)

    @property
    def cities_json(self) -> str:
        return script_json(self.cities)


def economy_label_points(outlines: dict, lang: str) -> list[list]:
    """``[lat, lon, name]`` inside each economy (shapely's representative point of its outline)."""
    from shapely.geometry import shape
    out = []
    for f in outlines.get("features", []):
        code = (f.get("properties") or {}).get("code")
        try:
            pt = shape(f["geometry"]).representative_point()
        except Exception:
            continue
        out.append([round(pt.y, 4), round(pt.x, 4), country_name(code, lang) if code else ""])
    return out


class FitRegion(MacroElement):
    """Fit the six once the frame has its final size (streamlit-folium sizes it after Leaflet starts,
    so an initial fitBounds would centre on the wrong box)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        setTimeout(function () {
            {{ this._parent.get_name() }}.invalidateSize();
            {{ this._parent.get_name() }}.fitBounds({{ this.bounds|tojson }}, {padding: [4, 4]});
        }, 150);
        {% endmacro %}
    """)

    def __init__(self, bounds):
        super().__init__()
        self._name = "FitRegion"
        self.bounds = bounds


class Credit(MacroElement):
    """Sources in Leaflet's attribution corner (no tile layer carries one)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}
    """)

    def __init__(self, text: str):
        super().__init__()
        self._name = "Credit"
        self.text = html_text(text)


def legend_rows(edges: list[float], cmap, lang: str, decimals: int) -> list[tuple[str, str]]:
    rows = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        rows.append((colour(cmap, (lo + hi) / 2),
                     f"{fmt_number(lo, lang, decimals)} – {fmt_number(hi, lang, decimals)}"))
    rows.append((NO_DATA, t("geo.no_data", lang)))
    return rows


# --- the regional map --------------------------------------------------------------------------
def _ranks(cities: pd.DataFrame, value_col: str) -> pd.Series:
    if "rank" in cities.columns:
        return cities["rank"]
    if "level" in cities.columns and (cities["level"] == "economy").any():
        return pd.Series([None] * len(cities), index=cities.index)
    return cities[value_col].rank(ascending=False, method="min")


def regional_map(cities: pd.DataFrame, value_col: str = "value", lang: str = "en", *,
                 title: str | None = None, units: dict | None = None,
                 decimals: int = 1, tiles: str | None = None, height: str = "100%") -> folium.Map:
    """The regional map: six outlines, units coloured by the median ``value_col`` of their member
    cities (units without members stay grey), member cities as circles sized by population and
    coloured on the same scale, a legend with the classes, tooltips with name (local script too),
    score and rank. ``cities`` needs municipality_code (or code), name, name_local, country,
    population, latitude, longitude and ``value_col``; ``units`` (see :func:`map_units`) defaults to
    the shipped units.
    A clicked city marker resolves to its code with :func:`city_for_click` (see ``ui.map.show_map``)."""
    title = title or t("geo.legend_value", lang)
    cities = cities.copy()
    if "municipality_code" not in cities.columns and "code" in cities.columns:
        cities["municipality_code"] = cities["code"]
    cities[value_col] = pd.to_numeric(cities[value_col], errors="coerce")
    units = units if units is not None else map_units()
    cities["unit"] = assign_units(cities, units)
    cities["rank_"] = _ranks(cities, value_col)
    unit_values = cities.dropna(subset=[value_col]).groupby("unit")[value_col].median()
    unit_members = cities.groupby("unit")["municipality_code"].count()

    edges = classes(cities[value_col])
    cmap = colormap(edges)

    m = folium.Map(location=CENTRE, zoom_start=ZOOM, tiles=tiles, control_scale=True,
                   zoom_snap=0.25, prefer_canvas=True, height=height)
    m.default_js = list(assets.LEAFLET_JS)
    m.default_css = list(assets.LEAFLET_CSS)

    # Units: fill by the median of member cities.
    feats = []
    for f in units["features"]:
        p = dict(f["properties"])
        val = unit_values.get(p["code"])
        p["value"] = None if val is None or pd.isna(val) else round(float(val), 4)
        # Shown by GeoJsonTooltip, which inserts properties as HTML: escaped here (hub.escape).
        p["label"] = geojson_value(p["name"] + (f" / {p['name_alt']}" if p.get("name_alt") else ""))
        p["value_txt"] = geojson_value(fmt_number(p["value"], lang, decimals))
        p["members"] = int(unit_members.get(p["code"], 0))
        p["fill"] = colour(cmap, p["value"])
        feats.append({"type": "Feature", "properties": p, "geometry": f["geometry"]})
    fills = {f["properties"]["code"]: f["properties"]["fill"] for f in feats}
    # The browser gets only what it uses: the code (folium keys the styles on it), the tooltip's fields
    # and the geometry; the other properties (names, kind, value, fill...) stay in m.units_geojson.
    shown = ("code", "label", "value_txt", "members")
    folium.GeoJson(
        {"type": "FeatureCollection",
         "features": [{"type": "Feature", "properties": {k: f["properties"][k] for k in shown},
                       "geometry": f["geometry"]} for f in feats]},
        name=t("geo.layer_units", lang),
        style_function=lambda f: {"fillColor": fills[f["properties"]["code"]], "fillOpacity": 0.75,
                                  "color": "#ffffff", "weight": 0.6},
        highlight_function=lambda f: {"weight": 2, "color": "#333333"},
        tooltip=folium.GeoJsonTooltip(
            fields=["label", "value_txt", "members"],
            aliases=[geojson_value(t(k, lang)) for k in
                     ("geo.tooltip_unit", "geo.tooltip_unit_value", "geo.tooltip_members")],
            sticky=True),
        embed=True, zoom_on_click=False,
    ).add_to(m)

    outlines = country_outlines()
    folium.GeoJson(
        outlines, name=t("geo.layer_countries", lang), interactive=False,
        style_function=lambda f: {"fill": False, "color": "#333333", "weight": 1.6},
    ).add_to(m)

    # Member cities: circle markers.
    pops = pd.to_numeric(cities.get("population"), errors="coerce")
    max_pop = float(pops.max()) if pops.notna().any() else 0.0
    city_by_tooltip: dict[str, str] = {}
    city_labels: list[list] = []
    markers = CityMarkers()
    n_txt = fmt_number(int(cities[value_col].notna().sum()), lang)     # cities ranked, same for every tooltip
    for rec, pop in zip(cities.itertuples(index=False), pops):
        lat, lon = getattr(rec, "latitude", None), getattr(rec, "longitude", None)
        if not (_is_number(lat) and _is_number(lon)):
            continue
        val = getattr(rec, value_col)
        radius = 4 + (12 * math.sqrt(pop / max_pop) if max_pop and _is_number(pop) else 0)
        shown = place_name(rec.name, getattr(rec, "name_local", None), lang, rec.country)
        other = getattr(rec, "name_local", None) if shown == rec.name else rec.name
        if not isinstance(other, str) or not other.strip() or other == shown:
            other = None
        rank = getattr(rec, "rank_", None)
        head = [shown + (f" ({other})" if other else ""), country_name(rec.country, lang)]
        # Leaflet inserts the tooltip as HTML: every piece goes through leaflet_text (hub.escape), only
        # our own <b> and <br> (added by CityMarkers) are markup.
        lines = [leaflet_text(head[0]), leaflet_text(head[1]),
                 leaflet_text(f"{title}: {fmt_number(val, lang, decimals)}")]
        if _is_number(rank):
            lines.append(leaflet_text(t("geo.tooltip_rank", lang, rank=fmt_number(rank, lang), n=n_txt)))
        if _is_number(pop):
            lines.append(leaflet_text(t("geo.tooltip_population", lang, population=fmt_number(pop, lang))))
        markers.add(round(float(lat), 5), round(float(lon), 5), round(radius, 1), colour(cmap, val), lines)
        city_by_tooltip["".join(head)] = rec.municipality_code
        city_labels.append([round(float(lat), 5), round(float(lon), 5), shown])

    markers.add_to(m)
    note = t("geo.legend_note", lang)
    Legend(title, legend_rows(edges, cmap, lang, decimals), note).add_to(m)
    PlaceLabels(economy_label_points(outlines, lang), city_labels).add_to(m)
    FitRegion(BOUNDS).add_to(m)
    Credit(t("geo.map_credit_short", lang)).add_to(m)
    m.city_by_tooltip = city_by_tooltip
    m.units_geojson = {"type": "FeatureCollection", "features": feats}
    return m


def city_for_click(m: folium.Map, tooltip_text: str | None) -> str | None:
    """The member city whose marker was clicked, from ``st_folium``'s ``last_object_clicked_tooltip``
    (the tooltip's text content: its first two lines, name and economy, identify the city)."""
    if not tooltip_text:
        return None
    best = None
    for prefix, code in getattr(m, "city_by_tooltip", {}).items():
        if tooltip_text.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, code)
    return best[1] if best else None
