"""municipalities: the member (and candidate) municipalities of the six economies."""
from __future__ import annotations

from hub.models import COUNTRIES, Municipality
from loaders.spec import CODE, Column, DatasetSpec

# A generous box around the six economies; a point outside it is probably a swapped lat/lon.
LAT_RANGE, LON_RANGE = (39.0, 47.5), (13.0, 24.5)


def check(ctx) -> None:
    for rownum, rec in ctx.rows:
        pop, youth = rec.get("population"), rec.get("youth_population")
        if pop is not None and youth is not None and youth > pop:
            ctx.error(rownum, "youth_population", f"youth population {youth} exceeds the population {pop}")
        lat, lon = rec.get("latitude"), rec.get("longitude")
        if (lat is None) != (lon is None) and {"latitude", "longitude"} <= ctx.present:
            ctx.error(rownum, "longitude" if lon is None else "latitude",
                      "latitude and longitude go together: give both or neither")
        elif lat is not None and lon is not None and not (
                LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
            ctx.warn(rownum, "latitude", f"({lat}, {lon}) lies outside the Western Balkans; "
                                         "are latitude and longitude swapped?")


SPEC = DatasetSpec(
    name="municipalities",
    model=Municipality,
    key=("code",),
    description="Municipalities of the six economies, with population and membership.",
    columns=(
        Column("code", "text", True, "the municipality's code, used by every other file", "MK001", pattern=CODE),
        Column("name", "text", True, "name in Latin script", "Kumanovo"),
        Column("name_local", "text", False, "name in the local script", "Куманово"),
        Column("country", "text", True, "ISO 3166-1 alpha-2 code (XK for Kosovo)", "MK", choices=COUNTRIES),
        Column("region", "text", False, "statistical region", "Northeastern"),
        Column("population", "int", False, "residents", "98104", minimum=0),
        Column("youth_population", "int", False, "residents aged 15-29", "21500", minimum=0),
        Column("latitude", "number", False, "WGS84 latitude", "42.13222", minimum=-90, maximum=90),
        Column("longitude", "number", False, "WGS84 longitude", "21.71444", minimum=-180, maximum=180),
        Column("member_since", "date", False, "date the city joined the network; empty = not a member",
               "2019-05-14"),
    ),
    check=check,
    rescore=True,
)
