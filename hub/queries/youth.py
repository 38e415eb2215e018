"""Youth engagement: youth indicators by city and economy, trends across periods, and cities
with a youth council against those without.

Scope: city-level values — hub management sees every city; donors see every city's values of
non-sensitive indicators (the youth indicators are not sensitive; any indicator flagged
``sensitive`` is withheld from donors at city level and shown to them only as an economy
aggregate over at least ``MIN_GROUP_SIZE`` cities, otherwise None); a mayor sees only their own
city's values, plus the economy and regional aggregates; anyone else sees nothing (the rules are
``hub.queries.scope``: ``city_values`` for city rows, ``anyone`` for rows entering aggregates).

Filters: ``period`` (one period), ``countries`` (economies).
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, case, func, literal_column, select

from hub.access import Viewer
from hub.i18n import name_order
from hub.models import Indicator, IndicatorValue, Municipality
from hub.queries import scope
from hub.queries.base import as_list, read

YOUTH_INDICATORS = ("youth_council", "youth_share", "youth_reached", "youth_in_decision_making",
                    "youth_unemployment")
COUNCIL = "youth_council"

V = IndicatorValue.__table__
I = Indicator.__table__  # noqa: E741
M = Municipality.__table__
_J = V.join(M, V.c.municipality_code == M.c.code).join(I, I.c.code == V.c.indicator_code)
# Any sensitive row in the group (PostgreSQL has no max(boolean); 1/0 works everywhere).
_ANY_SENSITIVE = func.max(case((I.c.sensitive, 1), else_=0)).label("sensitive")


def _common(stmt, *, period=None, countries=None):
    stmt = stmt.where(V.c.indicator_code.in_(YOUTH_INDICATORS)).where(V.c.value.is_not(None))
    if period:
        stmt = stmt.where(V.c.period == str(period))
    if (v := as_list(countries)):
        stmt = stmt.where(M.c.country.in_(v))
    return stmt


def periods(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """Periods that have youth values, oldest first: column ``period``."""
    stmt = _common(select(V.c.period).select_from(_J).where(scope.anyone(viewer)).distinct())
    return read(stmt.order_by(V.c.period), engine)


def indicators(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """The youth indicators in the catalogue: ``code``, ``name``, ``unit``, ``polarity``, ``sensitive``."""
    stmt = (select(I.c.code, I.c.name, I.c.unit, I.c.polarity, I.c.sensitive)
            .where(I.c.code.in_(YOUTH_INDICATORS), scope.anyone(viewer)))
    df = read(stmt, engine)
    order = {c: i for i, c in enumerate(YOUTH_INDICATORS)}
    return df.sort_values("code", key=lambda s: s.map(order)).reset_index(drop=True)


def by_city(viewer: Viewer, *, engine=None, period=None, countries=None) -> pd.DataFrame:
    """One row per city the viewer may see: ``municipality_code``, ``municipality``,
    ``municipality_local``, ``country``, then one column per youth indicator (None when missing)."""
    stmt = select(V.c.municipality_code, M.c.name.label("municipality"), M.c.name_local.label("municipality_local"),
                  M.c.country, V.c.indicator_code, V.c.value).select_from(_J)
    stmt = stmt.where(scope.city_values(viewer, V.c.municipality_code, I.c.sensitive))
    df = read(_common(stmt, period=period, countries=countries), engine)
    keys = ["municipality_code", "municipality", "municipality_local", "country"]
    if df.empty:
        return pd.DataFrame(columns=keys + list(YOUTH_INDICATORS))
    values = df.pivot(index="municipality_code", columns="indicator_code", values="value")
    values = values.reindex(columns=list(YOUTH_INDICATORS)).rename_axis(None, axis=1)
    names = df[keys].drop_duplicates("municipality_code").set_index("municipality_code")
    wide = names.join(values).reset_index()
    return wide.sort_values(["country", "municipality"], key=name_order, kind="stable").reset_index(drop=True)


def _suppress(df: pd.DataFrame, viewer: Viewer, sensitive_col="sensitive", n_col="cities", value_cols=("mean",)):
    """Donors see a sensitive indicator's aggregate over a small group as None (``scope.group_value``)."""
    if viewer.is_donor and len(df):
        small = df[sensitive_col].astype(bool) & df[n_col].map(scope.small_group)
        for col in value_cols:
            df[col] = df[col].astype(object).where(~small, None)
    return df.drop(columns=[sensitive_col])


def by_economy(viewer: Viewer, *, engine=None, period=None, countries=None) -> pd.DataFrame:
    """Economy averages: ``country``, ``indicator_code``, ``cities`` (with a value), ``mean``
    (for ``youth_council`` the share of cities with a council)."""
    stmt = select(M.c.country, V.c.indicator_code, _ANY_SENSITIVE,
                  func.count(V.c.value).label("cities"), func.avg(V.c.value).label("mean")
                  ).select_from(_J).where(scope.anyone(viewer))
    stmt = _common(stmt, period=period, countries=countries).group_by(M.c.country, V.c.indicator_code)
    return _suppress(read(stmt.order_by(M.c.country, V.c.indicator_code), engine), viewer)


def trend(viewer: Viewer, *, engine=None, countries=None) -> pd.DataFrame:
    """Average of each youth indicator per period (over the selected economies): ``period``,
    ``indicator_code``, ``cities``, ``mean``."""
    stmt = select(V.c.period, V.c.indicator_code, _ANY_SENSITIVE,
                  func.count(V.c.value).label("cities"), func.avg(V.c.value).label("mean")
                  ).select_from(_J).where(scope.anyone(viewer))
    stmt = _common(stmt, countries=countries).group_by(V.c.period, V.c.indicator_code)
    return _suppress(read(stmt.order_by(V.c.period, V.c.indicator_code), engine), viewer)


def council_comparison(viewer: Viewer, *, engine=None, period=None, countries=None) -> pd.DataFrame:
    """Cities with a youth council against those without, same period: ``has_council`` (True/False),
    ``indicator_code``, ``cities``, ``mean`` of each other youth indicator."""
    C = V.alias("council")
    # The same SQL text in SELECT and GROUP BY: a bound 0.5 would be two parameters there, which
    # PostgreSQL refuses to match (GroupingError).
    has_council = C.c.value >= literal_column("0.5")
    stmt = (select(has_council.label("has_council"), V.c.indicator_code,
                   _ANY_SENSITIVE,
                   func.count(V.c.value).label("cities"), func.avg(V.c.value).label("mean"))
            .select_from(_J.join(C, and_(C.c.municipality_code == V.c.municipality_code,
                                         C.c.period == V.c.period, C.c.indicator_code == COUNCIL)))
            .where(C.c.value.is_not(None)).where(V.c.indicator_code != COUNCIL).where(scope.anyone(viewer)))
    stmt = _common(stmt, period=period, countries=countries).group_by(has_council, V.c.indicator_code)
    df = _suppress(read(stmt, engine), viewer)
    df["has_council"] = df["has_council"].astype(bool)
    return df.sort_values(["indicator_code", "has_council"], ascending=[True, False]).reset_index(drop=True)
