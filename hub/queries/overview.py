"""Regional overview: headline figures, economies side by side, map layers, change since the
previous period, and need versus support.

Role rules (their clauses are ``hub.queries.scope``):

* hub: every city.
* donor: the need index contains the sensitive threat-landscape dimension, so donors get need
  scores (and every sensitive dimension or indicator) **only as economy medians over at least
  ``MIN_GROUP_SIZE`` cities** (``None`` otherwise, shown as "—"). Non-sensitive dimension scores,
  non-sensitive youth indicators and fund money are city-level. The need-versus-support quadrant
  and the change table are economy-level for donors.
* mayor: their own city only (plus economy medians under the same suppression as donors).
* any other role: nothing.

Member cities are municipalities with a ``member_since`` date; maps and the quadrant show members.
Support received by a city in a period counts fund money disbursed and help-desk requests
resolved up to the end of that period (a period named by a year ends on 31 December).
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, case, func, select

from hub.access import Viewer
from hub.db import get_engine
from hub.models import (
    COUNTRIES, FUNDED_STATUSES, HELPDESK_OPEN_STATUSES, DimensionScore, Disbursement, FundApplication, HelpdeskRequest, Indicator,
    IndicatorValue, Municipality, NeedScore,
)
from hub.queries import scope
from hub.queries.base import latest, period_end, previous, read, scalar
from hub.queries.dates import days_between, weighted_median

M = Municipality.__table__
NS = NeedScore.__table__
DS = DimensionScore.__table__
FA = FundApplication.__table__
DB = Disbursement.__table__
HR = HelpdeskRequest.__table__
IND = Indicator.__table__
IV = IndicatorValue.__table__

YOUTH_DOMAIN = "youth_engagement"
CITY_COLUMNS = ["municipality_code", "name", "name_local", "country"]
MEMBER = M.c.member_since.is_not(None)   # municipalities data: an empty member_since = not a member


def periods(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """Periods with need scores, oldest first (column ``period``)."""
    stmt = select(NS.c.period).where(scope.anyone(viewer)).distinct().order_by(NS.c.period)
    return read(stmt, engine)


# --- headline figures -------------------------------------------------------------------
def headline(viewer: Viewer, *, engine=None, period: str | None = None) -> pd.DataFrame:
    """One row: member cities, cities assessed in ``period`` (default: latest), open help-desk
    requests, median days to resolve, fund approved (committed) and disbursed, in EUR.
    Counts and sums only, so the same figures are fine for donors; a mayor gets their city's.
    A viewer of unknown role gets zeros and no period."""
    engine = engine or get_engine()
    period = period or latest(NS.c.period, engine, scope.anyone(viewer))
    with engine.connect() as conn:
        def scoped(stmt, code_col):   # one figure over the cities the viewer may see
            return conn.execute(stmt.where(scope.cities(viewer, code_col))).scalar()
        members = scoped(select(func.count()).select_from(M).where(MEMBER), M.c.code)
        assessed = scoped(select(func.count()).select_from(NS).where(NS.c.period == period,
                                                                     NS.c.score.is_not(None)),
                          NS.c.municipality_code)
        open_requests = scoped(select(func.count()).select_from(HR).where(HR.c.status.in_(HELPDESK_OPEN_STATUSES)),
                               HR.c.municipality_code)
        approved = scoped(select(func.coalesce(func.sum(FA.c.approved_eur), 0.0))
                          .where(FA.c.status.in_(FUNDED_STATUSES)), FA.c.municipality_code)
        disbursed = scoped(select(func.coalesce(func.sum(DB.c.amount_eur), 0.0))
                           .select_from(DB.join(FA, DB.c.application_id == FA.c.application_id)),
                           FA.c.municipality_code)
        days = days_between(HR.c.opened_on, HR.c.resolved_on)
        dist = pd.DataFrame(conn.execute(
            select(days.label("days"), func.count().label("n"))
            .where(HR.c.status == "resolved", HR.c.resolved_on.is_not(None),
                   scope.cities(viewer, HR.c.municipality_code)).group_by(days)).all(), columns=["days", "n"])
    median_days = weighted_median(dist["days"], dist["n"]) if len(dist) else None
    return pd.DataFrame([{
        "period": period, "members": int(members or 0), "assessed": int(assessed or 0),
        "open_requests": int(open_requests or 0), "median_days_to_resolve": median_days,
        "fund_approved_eur": float(approved or 0), "fund_disbursed_eur": float(disbursed or 0),
    }])


# --- economies side by side ----------------------------------------------------------------
def economies(viewer: Viewer, *, engine=None, period: str | None = None) -> pd.DataFrame:
    """One row per economy (all six, and any other found): members, cities assessed, median need index, fund approved and
    disbursed (EUR), help-desk requests (all, open). Non-hub viewers get the median need only
    over at least ``MIN_GROUP_SIZE`` assessed cities. Nothing for a viewer of unknown role."""
    cols = ["country", "members", "assessed", "median_need", "fund_approved_eur", "fund_disbursed_eur",
            "requests", "open_requests"]
    if not scope.known(viewer):
        return pd.DataFrame(columns=cols)
    engine = engine or get_engine()
    period = period or latest(NS.c.period, engine)
    members = read(select(M.c.country, func.count().label("members")).where(MEMBER).group_by(M.c.country), engine)
    members = (pd.DataFrame({"country": list(COUNTRIES)}).merge(members, on="country", how="outer")
               .fillna({"members": 0}).astype({"members": int}))
    scores = read(
        select(M.c.country, NS.c.score).select_from(NS.join(M, NS.c.municipality_code == M.c.code))
        .where(NS.c.period == period, NS.c.score.is_not(None)), engine)
    need = scores.groupby("country")["score"].agg(assessed="count", median_need="median").reset_index()
    approved = read(
        select(M.c.country, func.sum(FA.c.approved_eur).label("fund_approved_eur"))
        .select_from(FA.join(M, FA.c.municipality_code == M.c.code))
        .where(FA.c.status.in_(FUNDED_STATUSES)).group_by(M.c.country), engine)
    disbursed = read(
        select(M.c.country, func.sum(DB.c.amount_eur).label("fund_disbursed_eur"))
        .select_from(DB.join(FA, DB.c.application_id == FA.c.application_id)
                     .join(M, FA.c.municipality_code == M.c.code))
        .group_by(M.c.country), engine)
    requests = read(
        select(M.c.country, func.count().label("requests"),
               func.sum(case((HR.c.status != "resolved", 1), else_=0)).label("open_requests"))
        .select_from(HR.join(M, HR.c.municipality_code == M.c.code)).group_by(M.c.country), engine)
    out = members
    for part in (need, approved, disbursed, requests):
        out = out.merge(part, on="country", how="left")
    for col in ("assessed", "requests", "open_requests"):
        out[col] = out[col].fillna(0).astype(int)
    for col in ("fund_approved_eur", "fund_disbursed_eur"):
        out[col] = out[col].fillna(0.0).astype(float)
    if not viewer.is_hub:
        out["median_need"] = [scope.group_value(n, v) for n, v in zip(out["assessed"], out["median_need"])]
    return out[cols].sort_values("country").reset_index(drop=True)


# --- map layers -----------------------------------------------------------------------------
def map_layers(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """The scores a map can be coloured by: ``layer`` key, ``kind`` (need | dimension | youth |
    fund) and ``code``. Keys: ``need``, ``dim:<dimension>``, ``youth:<indicator>``, ``fund_per_capita``.
    None for a viewer of unknown role."""
    if not scope.known(viewer):
        return pd.DataFrame(columns=["layer", "kind", "code"])
    engine = engine or get_engine()
    dims = read(select(DS.c.dimension).distinct().order_by(DS.c.dimension), engine)["dimension"]
    youth = read(select(IND.c.code).where(IND.c.domain == YOUTH_DOMAIN).order_by(IND.c.code), engine)["code"]
    rows = [{"layer": "need", "kind": "need", "code": "need"}]
    rows += [{"layer": f"dim:{d}", "kind": "dimension", "code": d} for d in dims]
    rows += [{"layer": f"youth:{c}", "kind": "youth", "code": c} for c in youth]
    rows.append({"layer": "fund_per_capita", "kind": "fund", "code": "fund_per_capita"})
    return pd.DataFrame(rows, columns=["layer", "kind", "code"])


def _cities(viewer: Viewer, engine) -> pd.DataFrame:
    stmt = select(M.c.code.label("municipality_code"), M.c.name, M.c.name_local, M.c.country,
                  M.c.population, M.c.latitude, M.c.longitude).where(MEMBER, scope.cities(viewer, M.c.code))
    return read(stmt.order_by(M.c.code), engine)


def _disbursed_by_city(engine, period: str | None) -> pd.DataFrame:
    stmt = (select(FA.c.municipality_code, func.sum(DB.c.amount_eur).label("fund_disbursed_eur"))
            .select_from(DB.join(FA, DB.c.application_id == FA.c.application_id))
            .group_by(FA.c.municipality_code))
    end = period_end(period)
    if end is not None:
        stmt = stmt.where(DB.c.paid_on <= end)
    return read(stmt, engine)


def map_layer(viewer: Viewer, *, engine=None, period: str | None = None, layer: str = "need") -> pd.DataFrame:
    """Per city: code, names, country, population, coordinates, ``value`` of the layer and its
    ``level`` ("city" or "economy": the economy median repeated on each of its cities, for donors
    and sensitive layers). Mayors get their own city only."""
    engine = engine or get_engine()
    period = period or latest(NS.c.period, engine)
    cities = _cities(viewer, engine)
    kind, _, code = layer.partition(":")
    sensitive = False
    if layer == "need":
        vals = read(select(NS.c.municipality_code, NS.c.score.label("value")).where(NS.c.period == period), engine)
        sensitive = True
    elif kind == "dim":
        vals = read(select(DS.c.municipality_code, DS.c.score.label("value"))
                    .where(DS.c.period == period, DS.c.dimension == code), engine)
        sensitive = code in scope.sensitive_dimensions(engine)
    elif kind == "youth":
        vals = read(select(IV.c.municipality_code, IV.c.value.label("value"))
                    .where(IV.c.period == period, IV.c.indicator_code == code), engine)
        sensitive = bool(scalar(select(IND.c.sensitive).where(IND.c.code == code), engine))
    elif layer == "fund_per_capita":
        vals = _disbursed_by_city(engine, period)
        vals = vals.merge(_cities(scope.EVERYONE, engine)[["municipality_code", "population"]],
                          on="municipality_code", how="left")
        pop = vals["population"].where(vals["population"] > 0)
        vals["value"] = vals["fund_disbursed_eur"] / pop
        vals = vals[["municipality_code", "value"]]
    else:
        raise ValueError(f"unknown map layer: {layer}")
    if viewer.is_hub or not sensitive:
        out = cities.merge(vals, on="municipality_code", how="left")
        if layer == "fund_per_capita":
            out["value"] = out["value"].fillna(0.0)
        out["level"] = "city"
        return out
    # Sensitive layer for a donor or mayor: the economy median, suppressed below the group size.
    everyone = _cities(scope.EVERYONE, engine)[["municipality_code", "country"]]
    med = (everyone.merge(vals, on="municipality_code").dropna(subset=["value"])
           .groupby("country")["value"].agg(["count", "median"]).reset_index())
    med["value"] = [scope.group_value(n, v) for n, v in zip(med["count"], med["median"])]
    out = cities.merge(med[["country", "value"]], on="country", how="left")
    out["level"] = "economy"
    return out


# --- change since the previous period ---------------------------------------------------------
def changes(viewer: Viewer, *, engine=None, period: str | None = None) -> pd.DataFrame:
    """Cities scored in ``period`` and the period before: previous and current need index and
    rank, ``delta`` (current − previous; positive = need rose). Hub: every city; mayor: own city;
    donor: no rows (donors see ``economy_changes``)."""
    engine = engine or get_engine()
    cols = CITY_COLUMNS + ["previous_period", "score_previous", "score", "delta", "rank_previous", "rank"]
    period = period or latest(NS.c.period, engine)
    prev = previous(NS.c.period, period, engine)
    if viewer.is_donor or prev is None:
        return pd.DataFrame(columns=cols)
    cur, old = NS.alias("cur"), NS.alias("old")
    stmt = (select(M.c.code.label("municipality_code"), M.c.name, M.c.name_local, M.c.country,
                   old.c.score.label("score_previous"), cur.c.score,
                   (cur.c.score - old.c.score).label("delta"),
                   old.c.rank.label("rank_previous"), cur.c.rank)
            .select_from(cur.join(old, and_(old.c.municipality_code == cur.c.municipality_code,
                                            old.c.period == prev))
                         .join(M, M.c.code == cur.c.municipality_code))
            .where(cur.c.period == period, cur.c.score.is_not(None), old.c.score.is_not(None),
                   scope.cities(viewer, M.c.code))
            .order_by((cur.c.score - old.c.score).desc(), M.c.code))
    out = read(stmt, engine)
    out["previous_period"] = prev
    return out[cols]


def economy_changes(viewer: Viewer, *, engine=None, period: str | None = None) -> pd.DataFrame:
    """Per economy: median need in the previous and the current period over the cities scored in
    both, and the change. Non-hub viewers: None below ``MIN_GROUP_SIZE`` cities."""
    engine = engine or get_engine()
    cols = ["country", "cities", "median_previous", "median", "delta"]
    period = period or latest(NS.c.period, engine)
    prev = previous(NS.c.period, period, engine)
    if prev is None or not scope.known(viewer):
        return pd.DataFrame(columns=cols)
    cur, old = NS.alias("cur"), NS.alias("old")
    stmt = (select(M.c.country, old.c.score.label("previous"), cur.c.score.label("current"))
            .select_from(cur.join(old, and_(old.c.municipality_code == cur.c.municipality_code,
                                            old.c.period == prev))
                         .join(M, M.c.code == cur.c.municipality_code))
            .where(cur.c.period == period, cur.c.score.is_not(None), old.c.score.is_not(None)))
    df = read(stmt, engine)
    g = df.groupby("country").agg(cities=("current", "count"), median_previous=("previous", "median"),
                                  median=("current", "median")).reset_index()
    g["delta"] = g["median"] - g["median_previous"]
    if not viewer.is_hub:
        for col in ("median_previous", "median", "delta"):
            g[col] = [scope.group_value(n, v) for n, v in zip(g["cities"], g[col])]
    return g[cols].sort_values("country").reset_index(drop=True)


# --- need versus support ---------------------------------------------------------------------
def _pct(s: pd.Series) -> pd.Series:
    """Percentile rank on 0..100 (ties share the average rank)."""
    return s.rank(pct=True, method="average") * 100


def _resolved_by_city(engine, period: str | None) -> pd.DataFrame:
    # A conditional count over all rows, so the (city, status, resolved_on) index covers it.
    end = period_end(period)
    cond = HR.c.status == "resolved"
    if end is not None:
        cond = and_(cond, HR.c.resolved_on <= end)
    stmt = (select(HR.c.municipality_code, func.sum(case((cond, 1), else_=0)).label("resolved_requests"))
            .group_by(HR.c.municipality_code))
    return read(stmt, engine)


def quadrant(viewer: Viewer, *, engine=None, period: str | None = None) -> pd.DataFrame:
    """Need versus support per city (hub; a mayor gets their own row, placed among all cities).

    need_pct: percentile of the need index among the cities scored in ``period``.
    support_pct: percentile of the mean of two percentiles, fund money disbursed per 1,000
    inhabitants and help-desk requests resolved, both counted up to the end of the period.
    gap = need_pct − support_pct (positive = underserved); ``underserved`` when need_pct >= 50
    and support_pct < 50. Donors get no city rows here (see ``economy_quadrant``)."""
    engine = engine or get_engine()
    cols = CITY_COLUMNS + ["population", "need", "fund_disbursed_eur", "fund_per_1000", "resolved_requests",
                           "need_pct", "support_pct", "gap", "underserved"]
    if viewer.is_donor or not scope.known(viewer):
        return pd.DataFrame(columns=cols)
    period = period or latest(NS.c.period, engine)
    everyone = _cities(scope.EVERYONE, engine)
    need = read(select(NS.c.municipality_code, NS.c.score.label("need"))
                 .where(NS.c.period == period, NS.c.score.is_not(None)), engine)
    df = (everyone.merge(need, on="municipality_code")
          .merge(_disbursed_by_city(engine, period), on="municipality_code", how="left")
          .merge(_resolved_by_city(engine, period), on="municipality_code", how="left"))
    if df.empty:
        return pd.DataFrame(columns=cols)
    df["fund_disbursed_eur"] = df["fund_disbursed_eur"].fillna(0.0)
    df["resolved_requests"] = df["resolved_requests"].fillna(0).astype(int)
    pop = df["population"].where(df["population"] > 0)
    df["fund_per_1000"] = (df["fund_disbursed_eur"] / pop * 1000).fillna(0.0)
    df["need_pct"] = _pct(df["need"])
    df["support_pct"] = _pct((_pct(df["fund_per_1000"]) + _pct(df["resolved_requests"])) / 2)
    df["gap"] = df["need_pct"] - df["support_pct"]
    df["underserved"] = (df["need_pct"] >= 50) & (df["support_pct"] < 50)
    if viewer.is_mayor:
        df = df[df["municipality_code"] == viewer.municipality_code]
    return df[cols].sort_values(["gap", "municipality_code"], ascending=[False, True]).reset_index(drop=True)


def economy_quadrant(viewer: Viewer, *, engine=None, period: str | None = None) -> pd.DataFrame:
    """Need versus support per economy (the donors' view): median need (None under
    ``MIN_GROUP_SIZE`` scored cities for non-hub viewers), fund disbursed per 1,000 inhabitants,
    help-desk requests resolved per member city, percentiles among the economies and the gap."""
    engine = engine or get_engine()
    cols = ["country", "cities", "need", "fund_per_1000", "resolved_per_city", "need_pct", "support_pct", "gap"]
    period = period or latest(NS.c.period, engine)
    everyone = _cities(scope.EVERYONE, engine)
    if everyone.empty or not scope.known(viewer):
        return pd.DataFrame(columns=cols)
    need = read(select(NS.c.municipality_code, NS.c.score.label("need"))
                 .where(NS.c.period == period, NS.c.score.is_not(None)), engine)
    df = (everyone.merge(need, on="municipality_code", how="left")
          .merge(_disbursed_by_city(engine, period), on="municipality_code", how="left")
          .merge(_resolved_by_city(engine, period), on="municipality_code", how="left"))
    g = df.groupby("country").agg(
        members=("municipality_code", "count"), cities=("need", "count"), need=("need", "median"),
        population=("population", "sum"), disbursed=("fund_disbursed_eur", "sum"),
        resolved=("resolved_requests", "sum")).reset_index()
    if not viewer.is_hub:
        g["need"] = [scope.group_value(n, v) for n, v in zip(g["cities"], g["need"])]
    g["fund_per_1000"] = (g["disbursed"] / g["population"].where(g["population"] > 0) * 1000).fillna(0.0)
    g["resolved_per_city"] = g["resolved"] / g["members"]
    g["need_pct"] = _pct(g["need"])
    g["support_pct"] = _pct((_pct(g["fund_per_1000"]) + _pct(g["resolved_per_city"])) / 2)
    g["gap"] = g["need_pct"] - g["support_pct"]
    return g[cols].sort_values("country").reset_index(drop=True)
