"""Boundary polygons for the maps: the municipal polygons hub staff loaded into the ``boundaries``
table (``python -m loaders boundaries``). ``hub.maps`` turns them into map units (a loaded country
replaces its shipped units); ``ui.map`` reads them through ``ui.cache`` (keyed on the data version).

Scope: boundaries are no one's data, so every role gets every polygon; a viewer of unknown role none.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from hub.access import Viewer
from hub.models import Boundary
from hub.queries import scope
from hub.queries.base import read

B = Boundary.__table__


def boundaries(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """The loaded municipal polygons by economy and feature code: ``country``, ``feature_code``,
    ``name``, ``municipality_code`` (the member city it was matched to, or None), ``geojson``
    (the geometry as GeoJSON text)."""
    stmt = (select(B.c.country, B.c.feature_code, B.c.name, B.c.municipality_code, B.c.geojson)
            .where(B.c.level == "municipality", scope.anyone(viewer))
            .order_by(B.c.country, B.c.feature_code))
    return read(stmt, engine)
