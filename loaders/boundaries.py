"""Municipal boundaries supplied by hub staff: ``python -m loaders boundaries FILE --country XX ...``.

Reads GeoJSON, TopoJSON, GeoPackage or a zipped Shapefile (anything GDAL reads), reprojects to WGS 84,
repairs invalid geometries (``shapely.make_valid``, polygonal parts kept), simplifies the layer as a
coverage (shared edges stay shared), rounds coordinates to 5 decimals, matches each feature to a member
municipality of that country (by code; else by name with diacritics and scripts folded, Čair = Cair =
Чаир, trying each of "A/B" and dropping "(...)"; else by the member city's coordinates lying inside),
and stores the layer in ``boundaries`` in one transaction, replacing that country's previous layer
(loading the same file twice gives the same table). Features that match no member municipality are
stored too and listed in the report; nothing is dropped silently. From then on ``hub.maps`` draws that
country at municipal level.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from sqlalchemy import delete, insert, select

from hub.i18n import fold
from hub.models import COUNTRIES, Boundary, LoadLog, Municipality
from loaders.errors import LoadError, LoadRefused
from loaders.matching import MunicipalityIndex, name_variants  # noqa: F401  (name_variants: re-exported)

LEVELS = ("municipality",)
DEFAULT_TOLERANCE = 0.002      # degrees (~200 m): plenty for a regional map, keeps the payload small
GRID = 1e-5
REGION = (12.0, 38.0, 25.0, 48.0)   # lon/lat box around the six economies: a sanity check on the CRS


@dataclass
class Match:
    feature_code: str
    name: str
    municipality_code: str | None
    how: str | None                       # code | name | location | None


@dataclass
class BoundaryReport:
    file: str
    country: str
    level: str
    features: int = 0
    repaired: int = 0
    source_crs: str | None = None
    crs_assumed: bool = False
    matches: list[Match] = field(default_factory=list)
    members_without_polygon: list[tuple[str, str]] = field(default_factory=list)
    dropped_empty: list[str] = field(default_factory=list)
    bytes_stored: int = 0

    @property
    def matched(self) -> list[Match]:
        return [m for m in self.matches if m.municipality_code]

    @property
    def unmatched(self) -> list[Match]:
        return [m for m in self.matches if not m.municipality_code]

    def __str__(self) -> str:
        how = pd.Series([m.how for m in self.matched], dtype=object).value_counts().to_dict()
        lines = [
            f"{self.file}: {self.features} {self.level} polygons stored for {self.country} "
            f"({self.bytes_stored / 1024:.0f} KB), replacing any earlier layer",
            f"  source CRS: {self.source_crs or 'none declared'}"
            + (" (coordinates look like longitude/latitude: WGS 84 assumed)" if self.crs_assumed else ""),
            f"  geometries repaired: {self.repaired}",
            f"  matched to member municipalities: {len(self.matched)} "
            f"({', '.join(f'{k}: {v}' for k, v in how.items()) or 'none'})",
        ]
        if self.dropped_empty:
            lines.append(f"  features without geometry, not stored: {', '.join(self.dropped_empty)}")
        if self.unmatched:
            lines.append(f"  not matched to any member municipality ({len(self.unmatched)}, stored, drawn without data):")
            lines += textwrap.wrap(", ".join(m.name or m.feature_code for m in self.unmatched),
                                   width=100, initial_indent="    ", subsequent_indent="    ")
        if self.members_without_polygon:
            lines.append(f"  member municipalities with no polygon ({len(self.members_without_polygon)}):")
            lines += textwrap.wrap(", ".join(f"{n} ({c})" for c, n in self.members_without_polygon),
                                   width=100, initial_indent="    ", subsequent_indent="    ")
        return "\n".join(lines)


# --- reading ------------------------------------------------------------------------------
def read_layer(path: str | Path, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a boundary file with GDAL (pyogrio): GeoJSON, TopoJSON, GeoPackage, zipped Shapefile."""
    path = Path(path)
    src = str(path)
    if path.suffix.lower() == ".zip":
        src = f"/vsizip/{path}"
    layers = pyogrio.list_layers(src)
    if layer is None:
        polygonal = [str(n) for n, kind in layers if kind is None or "Polygon" in str(kind) or kind == "Unknown"]
        layer = (polygonal or [str(layers[0][0])])[0]
    return gpd.read_file(src, layer=layer)


def _looks_lonlat(gdf: gpd.GeoDataFrame) -> bool:
    minx, miny, maxx, maxy = gdf.total_bounds
    return -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90


def _polygonal(geom):
    """make_valid may return a collection: keep its polygons (a bow-tie becomes two triangles)."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    polys = []
    for g in parts:
        polys.extend(shapely.get_parts(g) if g.geom_type == "MultiPolygon" else [g])
    if not polys:
        return None
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


def _round(coords):
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(c), 5) for c in coords]
    return [_round(c) for c in coords]


def geometry_json(geom) -> str:
    gj = shapely.geometry.mapping(geom)
    return json.dumps({"type": gj["type"], "coordinates": _round(gj["coordinates"])}, separators=(",", ":"))


def simplify(geoms, tolerance: float):
    """Coverage simplification (neighbours keep shared edges); per-polygon if the layer is not a clean coverage."""
    geoms = shapely.make_valid(geoms)
    try:
        out = shapely.coverage_simplify(geoms, tolerance, simplify_boundary=True)
    except shapely.errors.GEOSException:
        out = shapely.simplify(geoms, tolerance, preserve_topology=True)
    out = shapely.set_precision(out, GRID)
    return [_polygonal(shapely.make_valid(g)) if g is not None and not g.is_valid else _polygonal(g) for g in out]


# --- matching -----------------------------------------------------------------------------
def match_features(features: pd.DataFrame, members: pd.DataFrame) -> list[tuple[str | None, str | None]]:
    """For each feature (columns code, name, geometry): (municipality_code, how)."""
    index = MunicipalityIndex((r.code, r.name, r.name_local) for r in members.itertuples())
    result: list[tuple[str | None, str | None]] = []
    for rec in features.itertuples():
        code = rec.source_code if rec.source_code is not None and not pd.isna(rec.source_code) else None
        result.append(index.match(code, rec.name, unique=False))
    # Location: a member city still unmatched whose coordinates fall inside an unmatched feature.
    taken = {c for c, _ in result if c}
    geoms = list(features.geometry)
    for rec in members.itertuples():
        if rec.code in taken or pd.isna(rec.latitude) or pd.isna(rec.longitude):
            continue
        pt = shapely.Point(float(rec.longitude), float(rec.latitude))
        for i, (c, _) in enumerate(result):
            if c is None and geoms[i] is not None and geoms[i].covers(pt):
                result[i] = (rec.code, "location")
                taken.add(rec.code)
                break
    return result


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "feature"


# --- the load -----------------------------------------------------------------------------
def load_boundaries(path: str | Path, *, country: str, level: str = "municipality",
                    code_field: str | None = None, name_field: str = "name", layer: str | None = None,
                    engine=None, tolerance: float = DEFAULT_TOLERANCE, user: str | None = None) -> BoundaryReport:
    """Read, repair, reproject, simplify, match and store one boundary file; see the module docstring.
    Raises ``LoadRefused`` (nothing written) for a file that cannot be used."""
    from hub.db import get_engine
    path = Path(path)
    engine = engine or get_engine()
    fname = path.name
    country = (country or "").upper()
    problems: list[LoadError] = []
    if country not in COUNTRIES:
        problems.append(LoadError(fname, None, None, f"unknown country {country!r} (one of {', '.join(COUNTRIES)})"))
    if level not in LEVELS:
        problems.append(LoadError(fname, None, None, f"unknown level {level!r} (one of {', '.join(LEVELS)})"))
    if problems:
        raise LoadRefused(problems, "boundaries", fname)
    try:
        gdf = read_layer(path, layer)
    except Exception as exc:  # GDAL: not a readable vector file
        raise LoadRefused([LoadError(fname, None, None, f"cannot read as a vector layer: {exc}")], "boundaries", fname)
    for fld, what in ((name_field, "--name-field"), (code_field, "--code-field")):
        if fld and fld not in gdf.columns:
            problems.append(LoadError(fname, None, fld, f"{what} {fld!r} is not a property of the features "
                                                        f"(properties: {', '.join(c for c in gdf.columns if c != 'geometry')})"))
    if gdf.empty:
        problems.append(LoadError(fname, None, None, "the layer has no features"))
    if problems:
        raise LoadRefused(problems, "boundaries", fname)

    report = BoundaryReport(file=fname, country=country, level=level)
    if gdf.crs is None:
        if not _looks_lonlat(gdf):
            raise LoadRefused([LoadError(fname, None, None, "no coordinate reference system declared and the "
                                                            "coordinates are not longitude/latitude")], "boundaries", fname)
        gdf = gdf.set_crs(4326)
        report.crs_assumed = True
    else:
        report.source_crs = gdf.crs.to_string()
    gdf = gdf.to_crs(4326)
    minx, miny, maxx, maxy = gdf.total_bounds
    if not (REGION[0] <= minx <= maxx <= REGION[2] and REGION[1] <= miny <= maxy <= REGION[3]):
        raise LoadRefused([LoadError(fname, None, None,
                                     f"the features lie outside the Western Balkans after reading them as "
                                     f"{report.source_crs or 'WGS 84'} (bounds {minx:.4g}, {miny:.4g}, {maxx:.4g}, "
                                     f"{maxy:.4g}): is the coordinate reference system declared correctly?")],
                          "boundaries", fname)

    names = gdf[name_field].astype("string").fillna("").str.strip()
    empty = gdf.geometry.isna() | gdf.geometry.is_empty
    report.dropped_empty = [str(n) for n in names[empty]]
    gdf, names = gdf[~empty].copy(), names[~empty]
    report.repaired = int((~gdf.geometry.is_valid).sum())
    geoms = simplify(gdf.geometry.values, tolerance)

    feats = pd.DataFrame({
        "name": names.values,
        "source_code": gdf[code_field].astype("string").values if code_field else [None] * len(gdf),
        "geometry": geoms,
    })
    feats = feats[feats["geometry"].notna()].reset_index(drop=True)
    if feats.empty:
        raise LoadRefused([LoadError(fname, None, None, "no polygon survived repair")], "boundaries", fname)
    codes, seen = [], set()
    for rec in feats.itertuples():
        has_code = rec.source_code is not None and not pd.isna(rec.source_code) and str(rec.source_code).strip()
        base = str(rec.source_code).strip() if has_code else f"{country}-{_slug(rec.name)}"
        code, i = base, 2
        while code in seen:
            code, i = f"{base}-{i}", i + 1
        seen.add(code)
        codes.append(code)
    feats["feature_code"] = codes

    M = Municipality.__table__
    with engine.connect() as conn:
        members = pd.read_sql(select(M.c.code, M.c.name, M.c.name_local, M.c.latitude, M.c.longitude)
                              .where(M.c.country == country).order_by(M.c.code), conn)
    matches = match_features(feats, members)
    report.matches = [Match(fc, n, c, how) for fc, n, (c, how) in zip(feats["feature_code"], feats["name"], matches)]
    matched_codes = {c for c, _ in matches if c}
    report.members_without_polygon = [(r.code, r.name) for r in members.itertuples() if r.code not in matched_codes]
    report.features = len(feats)

    rows = [{"country": country, "level": level, "feature_code": fc, "name": n or fc,
             "municipality_code": c, "geojson": geometry_json(g)}
            for fc, n, (c, _), g in zip(feats["feature_code"], feats["name"], matches, feats["geometry"])]
    report.bytes_stored = sum(len(r["geojson"]) for r in rows)
    B = Boundary.__table__
    from hub import state
    with engine.begin() as conn:           # one transaction: the old layer goes only if the new one lands
        state.bump(conn)                   # first: orders writers; caches keyed on it see the new layer
        conn.execute(delete(B).where(B.c.country == country, B.c.level == level))
        conn.execute(insert(B), rows)
        conn.execute(insert(LoadLog.__table__), [{
            "dataset": "boundaries", "file_name": fname, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "rows_inserted": len(rows), "rows_updated": 0, "loaded_by": user, "outcome": "ok",
            "message": f"{country} {level}: {len(report.matched)} matched, {len(report.unmatched)} unmatched",
            "loaded_at": pd.Timestamp.utcnow().tz_localize(None).to_pydatetime(),
        }])
    from loaders.core import rescore
    why = rescore(engine)                  # any scores a crashed load left stale
    if why:
        print(f"warning: {why}", file=sys.stderr)
    return report


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m loaders boundaries",
                                description="Load municipal boundary polygons (GeoJSON, TopoJSON, GeoPackage, "
                                            "zipped Shapefile) for one economy.")
    p.add_argument("file")
    p.add_argument("--country", required=True, help=f"one of {', '.join(COUNTRIES)}")
    p.add_argument("--level", default="municipality", choices=LEVELS)
    p.add_argument("--code-field", help="property holding the municipality code (optional)")
    p.add_argument("--name-field", default="name", help="property holding the municipality name (default: name)")
    p.add_argument("--layer", help="layer inside the file (default: the first polygon layer)")
    p.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE, help="simplification, degrees")
    p.add_argument("--user")
    p.add_argument("--database-url")
    args = p.parse_args(argv)
    from hub.db import get_engine
    engine = get_engine(args.database_url) if args.database_url else get_engine()
    try:
        report = load_boundaries(args.file, country=args.country, level=args.level, code_field=args.code_field,
                                 name_field=args.name_field, layer=args.layer, engine=engine,
                                 tolerance=args.tolerance, user=args.user)
    except LoadRefused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{args.file}: cannot read the file: {exc}", file=sys.stderr)
        return 1
    print(str(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
