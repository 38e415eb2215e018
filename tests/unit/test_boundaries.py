"""The boundary loader on data the repo ships (tests/fixtures/mk_municipalities.gpkg, made from the
shipped Natural Earth layer) and on files the tests write: a zipped Shapefile, a GeoJSON in
EPSG:3857, an invalid bow-tie polygon, names that need folding and codes."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import shape
from sqlalchemy import func, insert, select

from hub.db import get_engine
from hub.models import Boundary, LoadLog, Municipality
from loaders import boundaries as lb
from loaders.errors import LoadRefused

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "mk_municipalities.gpkg"
B = Boundary.__table__

MEMBERS = [
    # code, name, name_local, country, lat, lon
    ("MK001", "Kumanovo", "Куманово", "MK", 42.13279, 21.71585),
    ("MK002", "Cair", "Чаир", "MK", 42.01528, 21.44111),        # the layer writes "Čair"
    ("MK003", "Tetovo", "Тетово", "MK", 42.00973, 20.97155),
    ("MK004", "Kicevo seat", None, "MK", 41.51267, 20.95886),   # no name match: found by location
    ("RS001", "Niš", "Ниш", "RS", 43.32472, 21.90333),          # another country: never matched
]


@pytest.fixture
def engine(empty_url):
    eng = get_engine(empty_url)
    with eng.begin() as conn:
        conn.execute(insert(Municipality.__table__), [
            {"code": c, "name": n, "name_local": nl, "country": cc, "latitude": lat, "longitude": lon}
            for c, n, nl, cc, lat, lon in MEMBERS])
    return eng


def stored(engine, country="MK"):
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(
            select(B).where(B.c.country == country).order_by(B.c.feature_code)).mappings()]


def write_geojson(path: Path, features: list[dict], crs: str | None = None) -> Path:
    fc = {"type": "FeatureCollection", "features": features}
    if crs:
        fc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(fc), encoding="utf-8")
    return path


def square(lon, lat, d=0.05):
    return {"type": "Polygon", "coordinates": [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d],
                                                [lon - d, lat + d], [lon - d, lat - d]]]}


def test_fixture_is_the_shipped_macedonian_layer():
    gdf = gpd.read_file(FIXTURE)
    assert len(gdf) == 80 and "Čair" in set(gdf["name"]) and gdf.crs.to_epsg() == 4326


def test_geopackage_loads_matches_and_reports_unmatched(engine):
    report = lb.load_boundaries(FIXTURE, country="MK", name_field="name", engine=engine)
    rows = stored(engine)
    assert report.features == len(rows) == 80
    by_member = {r["municipality_code"]: r for r in rows if r["municipality_code"]}
    assert set(by_member) == {"MK001", "MK002", "MK003", "MK004"}
    assert by_member["MK002"]["name"] == "Čair"                     # folded: Cair = Čair
    assert by_member["MK004"]["name"] == "Kičevo"                   # by location
    hows = {m.municipality_code: m.how for m in report.matched}
    assert hows == {"MK001": "name", "MK002": "name", "MK003": "name", "MK004": "location"}
    # Unmatched features are stored and listed, not dropped.
    assert len(report.unmatched) == 76
    assert {m.name for m in report.unmatched} >= {"Ohrid", "Bitola", "Karpoš"}
    text = str(report)
    assert "not matched to any member municipality (76" in text and "Ohrid" in text
    assert report.members_without_polygon == []
    # Geometry: valid WGS 84 polygons with 5-decimal coordinates.
    g = shape(json.loads(by_member["MK001"]["geojson"]))
    assert g.is_valid and 21.4 < g.centroid.x < 22.1 and 41.9 < g.centroid.y < 42.4
    coords = json.loads(by_member["MK001"]["geojson"])["coordinates"]
    flat = shapely.get_coordinates(g)
    assert all(abs(round(x, 5) - x) < 1e-9 for x in flat.ravel()) and coords
    with engine.connect() as conn:
        log = conn.execute(select(LoadLog.__table__).where(LoadLog.__table__.c.dataset == "boundaries")).mappings().one()
    assert log["rows_inserted"] == 80 and log["outcome"] == "ok"


def test_loading_twice_is_idempotent_and_replaces_only_that_country(engine, tmp_path):
    other = write_geojson(tmp_path / "rs.geojson", [
        {"type": "Feature", "properties": {"name": "Niš"}, "geometry": square(21.9, 43.32)}])
    lb.load_boundaries(other, country="RS", engine=engine)
    lb.load_boundaries(FIXTURE, country="MK", engine=engine)
    first = stored(engine)
    lb.load_boundaries(FIXTURE, country="MK", engine=engine)
    assert stored(engine) == first
    assert [r["municipality_code"] for r in stored(engine, "RS")] == ["RS001"]


def test_zipped_shapefile(engine, tmp_path):
    gdf = gpd.read_file(FIXTURE)
    gdf = gdf[gdf["name"].isin(["Kumanovo", "Čair", "Ohrid"])]
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    gdf.to_file(shp_dir / "opstini.shp", driver="ESRI Shapefile", encoding="UTF-8")
    zpath = tmp_path / "opstini.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for f in shp_dir.iterdir():
            zf.write(f, f.name)
    report = lb.load_boundaries(zpath, country="MK", name_field="name", engine=engine)
    assert report.features == 3
    assert {m.municipality_code for m in report.matched} == {"MK001", "MK002"}
    assert [m.name for m in report.unmatched] == ["Ohrid"]


def test_wrong_crs_is_reprojected_to_wgs84(engine, tmp_path):
    gdf = gpd.read_file(FIXTURE)
    gdf = gdf[gdf["name"] == "Kumanovo"].to_crs(3857)
    src = tmp_path / "kumanovo_3857.geojson"
    gdf.to_file(src, driver="GeoJSON")
    assert gpd.read_file(src).crs.to_epsg() == 3857
    assert abs(gpd.read_file(src).total_bounds[0]) > 1000          # metres, not degrees
    report = lb.load_boundaries(src, country="MK", engine=engine)
    assert "3857" in report.source_crs and not report.crs_assumed
    g = shape(json.loads(stored(engine)[0]["geojson"]))
    minx, miny, maxx, maxy = g.bounds
    assert 21.3 < minx < maxx < 22.2 and 41.9 < miny < maxy < 42.5
    assert stored(engine)[0]["municipality_code"] == "MK001"


def test_projected_coordinates_without_crs_are_refused(engine, tmp_path):
    bad = {"type": "Polygon", "coordinates": [[[2400000, 5170000], [2410000, 5170000], [2410000, 5180000],
                                               [2400000, 5170000]]]}
    src = write_geojson(tmp_path / "nocrs.geojson", [{"type": "Feature", "properties": {"name": "Kumanovo"},
                                                      "geometry": bad}])
    # GeoJSON without a crs member means WGS 84 to GDAL: metres read as degrees land far outside the region.
    with pytest.raises(LoadRefused, match="outside the Western Balkans"):
        lb.load_boundaries(src, country="MK", engine=engine)
    assert stored(engine) == []


def test_invalid_bowtie_is_repaired(engine, tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[21.6, 42.0], [21.8, 42.2], [21.8, 42.0], [21.6, 42.2],
                                                  [21.6, 42.0]]]}
    assert not shape(bowtie).is_valid
    src = write_geojson(tmp_path / "bowtie.geojson", [
        {"type": "Feature", "properties": {"name": "Kumanovo"}, "geometry": bowtie}])
    report = lb.load_boundaries(src, country="MK", engine=engine)
    assert report.repaired == 1
    g = shape(json.loads(stored(engine)[0]["geojson"]))
    assert g.is_valid and g.geom_type == "MultiPolygon" and len(g.geoms) == 2
    assert g.area == pytest.approx(0.02, rel=0.05)                   # two triangles of 0.01 deg²


@pytest.mark.parametrize("written", ["Čair", "Cair", "Чаир", "ČAIR", "čair"])
def test_names_are_folded_across_scripts(engine, tmp_path, written):
    src = write_geojson(tmp_path / "n.geojson", [
        {"type": "Feature", "properties": {"opstina": written}, "geometry": square(21.44, 42.02, 0.01)}])
    report = lb.load_boundaries(src, country="MK", name_field="opstina", engine=engine)
    assert [(m.municipality_code, m.how) for m in report.matches] == [("MK002", "name")]


def test_code_field_wins_over_name(engine, tmp_path):
    src = write_geojson(tmp_path / "c.geojson", [
        {"type": "Feature", "properties": {"name": "Some other label", "sifra": "mk003"},
         "geometry": square(20.97, 42.01, 0.01)}])
    report = lb.load_boundaries(src, country="MK", code_field="sifra", engine=engine)
    assert [(m.municipality_code, m.how, m.feature_code) for m in report.matches] == [("MK003", "code", "mk003")]


def test_name_variants():
    assert "gradiska" in lb.name_variants("Bosanska Gradiška/Gradiška")
    assert "centar" in lb.name_variants("Centar (Sarajevo)")
    assert lb.name_variants(None) == []


def test_refusals_write_nothing_and_keep_the_previous_layer(engine, tmp_path):
    lb.load_boundaries(FIXTURE, country="MK", engine=engine)
    before = stored(engine)
    with pytest.raises(LoadRefused, match="unknown country"):
        lb.load_boundaries(FIXTURE, country="XX", engine=engine)
    with pytest.raises(LoadRefused, match="naziv"):
        lb.load_boundaries(FIXTURE, country="MK", name_field="naziv", engine=engine)
    not_geo = tmp_path / "notes.geojson"
    not_geo.write_text("this is not a vector file", encoding="utf-8")
    with pytest.raises(LoadRefused, match="cannot read"):
        lb.load_boundaries(not_geo, country="MK", engine=engine)
    assert stored(engine) == before


def test_cli_main(engine, empty_url, capsys):
    rc = lb.main([str(FIXTURE), "--country", "MK", "--level", "municipality", "--name-field", "name",
                  "--database-url", empty_url])
    out = capsys.readouterr().out
    assert rc == 0 and "80 municipality polygons stored for MK" in out and "Ohrid" in out
    rc = lb.main([str(FIXTURE), "--country", "QQ", "--database-url", empty_url])
    assert rc == 1 and "unknown country" in capsys.readouterr().err
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(B)).scalar() == 80


def test_loaded_country_replaces_the_shipped_layer_on_the_map(engine):
    import pandas as pd

    from hub import maps
    from hub.access import Viewer
    from hub.queries.geo import boundaries
    lb.load_boundaries(FIXTURE, country="MK", engine=engine)
    all_units = maps.map_units(boundaries(Viewer("h", "hub"), engine=engine))
    units = all_units["features"]
    mk = [f for f in units if f["properties"]["country"] == "MK"]
    assert len(mk) == 80 and all("municipality_code" in f["properties"] for f in mk)   # from the store
    assert sum(1 for f in mk if f["properties"].get("municipality_code") == "MK002") == 1
    assert any(f["properties"]["country"] == "AL" for f in units)      # other countries stay shipped
    cities = pd.DataFrame([{"municipality_code": c, "name": n, "name_local": nl, "country": cc,
                            "latitude": lat, "longitude": lon, "population": 1000, "value": v}
                           for (c, n, nl, cc, lat, lon), v in zip(MEMBERS[:4], (10.0, 20.0, 30.0, 40.0))])
    m = maps.regional_map(cities, lang="en", units=all_units)
    feats = {f["properties"].get("municipality_code"): f["properties"] for f in m.units_geojson["features"]}
    assert feats["MK002"]["value"] == 20.0 and feats["MK004"]["value"] == 40.0
