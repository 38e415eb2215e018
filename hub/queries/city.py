"""City profile reads: one municipality seen in full, against anonymous medians.

Scope (``hub.queries.scope.city``): hub management may open any city; a mayor
only their own; donors none (they do not open this page, and every function here
returns an empty frame for them). Comparisons are medians only, of the city's economy,
of the whole region and of its peer group (cities in the same population band); a
median over fewer than ``MIN_GROUP_SIZE`` cities is suppressed (None), because a median
of two would give away the other city's score. No function here returns another
named city's scores or records; the only rank returned is the city's own.

Scores are read from the score tables written by ``hub.scoring.store`` at load time.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import case, func, literal, select, union, union_all

from hub.access import MIN_GROUP_SIZE, Viewer
from hub.audit import audit
from hub.i18n import name_order
from hub.models import (
    DimensionScore, Disbursement, Event, FundApplication, HelpdeskRequest, Indicator, IndicatorContribution,
    IndicatorValue, Municipality, NeedScore, Participant, Priority, PriorityScore,
)
from hub.queries import scope
from hub.queries.base import empty as _empty
from hub.queries.base import read

# Peer groups: cities of a similar size, by population band [low, high).
PEER_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 20_000), (20_000, 50_000), (50_000, 100_000), (100_000, 250_000), (250_000, None),
)
INDEX = "index"            # the "dimension" name under which the overall need index is returned
YOUTH_DOMAIN = "youth_engagement"

M = Municipality.__table__
NS = NeedScore.__table__
DS = DimensionScore.__table__
IV = IndicatorValue.__table__
IND = Indicator.__table__
IC = IndicatorContribution.__table__
PR = Priority.__table__
PS = PriorityScore.__table__
FA = FundApplication.__table__
DB = Disbursement.__table__
HR = HelpdeskRequest.__table__
E = Event.__table__
P = Participant.__table__


def peer_band(population: int | float | None) -> tuple[int, int | None] | None:
    """The population band a city falls in (None without a population)."""
    if population is None or population != population:
        return None
    for low, high in PEER_BANDS:
        if population >= low and (high is None or population < high):
            return (low, high)
    return None


# --- access ------------------------------------------------------------------------
def check_city(viewer: Viewer, code: str | None, *, engine=None) -> str:
    """Decide whether ``viewer`` may open the profile of ``code``.

    Returns ``"ok"``, ``"unknown"`` (hub only: no such city) or ``"refused"``. A refusal is
    written to the audit log; a mayor gets the same refusal for any code but their own,
    whether or not that code exists, so the answer reveals nothing.
    """
    if not code or not scope.city(viewer, code):
        audit(viewer.username, "refused", target=f"city:{code}", engine=engine)
        return "refused"
    found = read(select(M.c.code).where(M.c.code == code), engine)
    return "ok" if len(found) else "unknown"


def city_options(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """The cities this viewer may pick: code, name, name_local, country (hub all, a mayor their own)."""
    if not scope.known(viewer) or viewer.is_donor:
        return _empty("code", "name", "name_local", "country")
    df = read(select(M.c.code, M.c.name, M.c.name_local, M.c.country).where(scope.cities(viewer, M.c.code)), engine)
    # name order by hub.i18n.sort_key, not the database's collation
    return df.sort_values(["country", "name"], key=name_order, kind="stable").reset_index(drop=True)


def city_header(viewer: Viewer, *, city: str, engine=None) -> pd.DataFrame:
    """One row about the city: names, economy, region, population, youth population, membership."""
    if not scope.city(viewer, city):
        return _empty("code", "name", "name_local", "country", "region", "population",
                      "youth_population", "member_since")
    return read(select(M.c.code, M.c.name, M.c.name_local, M.c.country, M.c.region, M.c.population,
                       M.c.youth_population, M.c.member_since).where(M.c.code == city), engine)


def city_periods(viewer: Viewer, *, city: str, engine=None) -> pd.DataFrame:
    """Periods with a need score or an indicator value for the city, oldest first."""
    if not scope.city(viewer, city):
        return _empty("period")
    periods = union(select(NS.c.period).where(NS.c.municipality_code == city),
                    select(IV.c.period).distinct().where(IV.c.municipality_code == city)).subquery()
    return read(select(periods.c.period).order_by(periods.c.period), engine)


# --- scores against medians -----------------------------------------------------------
def _median(values: pd.Series) -> float | None:
    values = values.dropna()
    return float(values.median()) if len(values) >= MIN_GROUP_SIZE else None


def city_scores(viewer: Viewer, *, city: str, period: str, engine=None) -> pd.DataFrame:
    """The need index and each dimension sub-score of the city in ``period``, with the
    medians of its economy, the region and its peer group (and how many cities each
    median covers). First row: the index (``dimension == "index"``)."""
    cols = ("dimension", "score", "coverage", "economy_median", "region_median", "peer_median",
            "economy_n", "region_n", "peer_n")
    if not scope.city(viewer, city):
        return _empty(*cols)
    # Scores of every city in the period, without names: only the medians leave this function.
    index = (select(NS.c.municipality_code.label("code"), literal(INDEX).label("dimension"), NS.c.score,
                    NS.c.coverage, M.c.country, M.c.population)
             .select_from(NS.join(M, M.c.code == NS.c.municipality_code)).where(NS.c.period == period))
    dims = (select(DS.c.municipality_code.label("code"), DS.c.dimension, DS.c.score, DS.c.coverage, M.c.country,
                   M.c.population)
            .select_from(DS.join(M, M.c.code == DS.c.municipality_code)).where(DS.c.period == period))
    scores = read(union_all(index, dims), engine)
    own = scores[scores["code"] == city]
    if own.empty:
        return _empty(*cols)
    country = own["country"].iloc[0]
    band = peer_band(own["population"].iloc[0])
    in_band = pd.Series(False, index=scores.index)
    if band is not None:
        low, high = band
        pop = scores["population"]
        in_band = (pop >= low) & (pop < high if high is not None else True)
    rows = []
    for dim, own_row in own.set_index("dimension").iterrows():
        same = scores["dimension"] == dim
        economy = scores.loc[same & (scores["country"] == country), "score"]
        region = scores.loc[same, "score"]
        peers = scores.loc[same & in_band, "score"]
        rows.append({
            "dimension": dim, "score": own_row["score"], "coverage": own_row["coverage"],
            "economy_median": _median(economy), "region_median": _median(region),
            "peer_median": _median(peers) if band is not None else None,
            "economy_n": int(economy.notna().sum()), "region_n": int(region.notna().sum()),
            "peer_n": int(peers.notna().sum()),
        })
    out = pd.DataFrame(rows, columns=list(cols))
    out["_order"] = (out["dimension"] != INDEX).astype(int)
    return out.sort_values(["_order", "dimension"]).drop(columns="_order").reset_index(drop=True)


def city_trend(viewer: Viewer, *, city: str, engine=None) -> pd.DataFrame:
    """The city's need index per period with its rank and rank interval, next to the
    economy and region medians of the same period."""
    cols = ("period", "score", "coverage", "flagged", "rank", "rank_p05", "rank_p95",
            "economy_median", "region_median")
    if not scope.city(viewer, city):
        return _empty(*cols)
    scores = read(select(NS.c.municipality_code.label("code"), NS.c.period, NS.c.score, NS.c.coverage, NS.c.flagged,
                         NS.c.rank, NS.c.rank_p05, NS.c.rank_p95, M.c.country)
                  .select_from(NS.join(M, M.c.code == NS.c.municipality_code)), engine)
    own = scores[scores["code"] == city]
    if own.empty:
        return _empty(*cols)
    country = own["country"].iloc[0]
    region = scores.groupby("period")["score"].agg(_median).rename("region_median")
    economy = (scores[scores["country"] == country].groupby("period")["score"].agg(_median)
               .rename("economy_median"))
    out = (own.drop(columns=["code", "country"]).set_index("period")
           .join(economy).join(region).reset_index().sort_values("period"))
    out["flagged"] = out["flagged"].astype(bool)
    return out[list(cols)].reset_index(drop=True)


def city_rank(viewer: Viewer, *, city: str, period: str, engine=None) -> pd.DataFrame:
    """The city's own rank among all scored cities in ``period``, its Monte Carlo rank
    interval, whether it is uncertain and the indicator that moves it most."""
    cols = ("rank", "of", "rank_p05", "rank_p95", "rank_uncertain", "top_mover", "flagged")
    if not scope.city(viewer, city):
        return _empty(*cols)
    scored = NS.alias("a")
    of = (select(func.count()).select_from(scored).where(scored.c.period == period, scored.c.score.is_not(None))
          .scalar_subquery().label("of"))
    return read(select(NS.c.rank, of, NS.c.rank_p05, NS.c.rank_p95, NS.c.rank_uncertain, NS.c.top_mover, NS.c.flagged)
                .where(NS.c.municipality_code == city, NS.c.period == period), engine)


def city_drivers(viewer: Viewer, *, city: str, period: str, engine=None) -> pd.DataFrame:
    """Which indicators drive the city's index: each indicator's value, normalised value,
    effective weight and contribution (points of the index), largest first."""
    cols = ("indicator_code", "indicator", "dimension", "unit", "value", "normalised", "weight",
            "contribution")
    if not scope.city(viewer, city):
        return _empty(*cols)
    stmt = (select(IC.c.indicator_code, func.coalesce(IND.c.name, IC.c.indicator_code).label("indicator"),
                   IC.c.dimension, IND.c.unit, IC.c.value, IC.c.normalised, IC.c.weight, IC.c.contribution)
            .select_from(IC.outerjoin(IND, IND.c.code == IC.c.indicator_code))
            .where(IC.c.municipality_code == city, IC.c.period == period)
            .order_by(case((IC.c.contribution.is_(None), 1), else_=0), IC.c.contribution.desc(), IC.c.indicator_code))
    return read(stmt, engine)


def city_priorities(viewer: Viewer, *, city: str, period: str, engine=None) -> pd.DataFrame:
    """The city's stated priority themes (rank 1 = top) and their priority scores: stated
    weight s, measured need g and the combined score P, best priority first."""
    cols = ("theme", "stated_rank", "stated", "need", "score", "priority_rank")
    if not scope.city(viewer, city):
        return _empty(*cols)
    stated = read(select(PR.c.theme, PR.c.rank.label("stated_rank"))
                  .where(PR.c.municipality_code == city, PR.c.period == period), engine)
    scored = read(select(PS.c.theme, PS.c.stated, PS.c.need, PS.c.score, PS.c.rank.label("priority_rank"))
                  .where(PS.c.municipality_code == city, PS.c.period == period), engine)
    out = stated.merge(scored, on="theme", how="outer")
    if out.empty:
        return _empty(*cols)
    out = out.sort_values(["priority_rank", "stated_rank", "theme"], na_position="last")
    return out[list(cols)].reset_index(drop=True)


def city_youth(viewer: Viewer, *, city: str, engine=None) -> pd.DataFrame:
    """The city's youth-engagement indicators per period (long format)."""
    cols = ("indicator_code", "indicator", "unit", "polarity", "period", "value")
    if not scope.city(viewer, city):
        return _empty(*cols)
    return read(select(IV.c.indicator_code, IND.c.name.label("indicator"), IND.c.unit, IND.c.polarity, IV.c.period,
                       IV.c.value)
                .select_from(IV.join(IND, IND.c.code == IV.c.indicator_code))
                .where(IV.c.municipality_code == city, IND.c.domain == YOUTH_DOMAIN)
                .order_by(IV.c.indicator_code, IV.c.period), engine)


# --- the city's own records -------------------------------------------------------------
def city_fund(viewer: Viewer, *, city: str, engine=None) -> pd.DataFrame:
    """The city's Technical Support Fund applications, with the amount disbursed so far
    and the number of tranches paid."""
    cols = ("application_id", "title", "theme", "submitted_on", "status", "requested_eur",
            "approved_eur", "disbursed_eur", "tranches", "decided_on", "donor")
    if not scope.city(viewer, city):
        return _empty(*cols)
    paid = (select(DB.c.application_id, func.sum(DB.c.amount_eur).label("disbursed"), func.count().label("tranches"))
            .group_by(DB.c.application_id).subquery("d"))
    return read(select(FA.c.application_id, FA.c.title, FA.c.theme, FA.c.submitted_on, FA.c.status,
                       FA.c.requested_eur, FA.c.approved_eur, func.coalesce(paid.c.disbursed, 0).label("disbursed_eur"),
                       func.coalesce(paid.c.tranches, 0).label("tranches"), FA.c.decided_on, FA.c.donor)
                .select_from(FA.outerjoin(paid, paid.c.application_id == FA.c.application_id))
                .where(FA.c.municipality_code == city)
                .order_by(FA.c.submitted_on.desc(), FA.c.application_id), engine)


def city_tranches(viewer: Viewer, *, city: str, engine=None) -> pd.DataFrame:
    """Every tranche paid to the city's applications."""
    cols = ("application_id", "title", "tranche", "paid_on", "amount_eur")
    if not scope.city(viewer, city):
        return _empty(*cols)
    return read(select(DB.c.application_id, FA.c.title, DB.c.tranche, DB.c.paid_on, DB.c.amount_eur)
                .select_from(DB.join(FA, FA.c.application_id == DB.c.application_id))
                .where(FA.c.municipality_code == city)
                .order_by(DB.c.paid_on, DB.c.application_id, DB.c.tranche), engine)


def city_helpdesk(viewer: Viewer, *, city: str, engine=None) -> pd.DataFrame:
    """The city's help-desk requests, newest first, with days to resolve."""
    cols = ("request_id", "opened_on", "topic", "channel", "status", "resolved_on", "days_to_resolve")
    if not scope.city(viewer, city):
        return _empty(*cols)
    df = read(select(HR.c.request_id, HR.c.opened_on, HR.c.topic, HR.c.channel, HR.c.status, HR.c.resolved_on)
              .where(HR.c.municipality_code == city).order_by(HR.c.opened_on.desc(), HR.c.request_id), engine)
    opened = pd.to_datetime(df["opened_on"], errors="coerce")
    resolved = pd.to_datetime(df["resolved_on"], errors="coerce")
    df["days_to_resolve"] = (resolved - opened).dt.days
    return df[list(cols)]


def city_events(viewer: Viewer, *, city: str, engine=None) -> pd.DataFrame:
    """Events the city's people attended, newest first, with how many of them took part."""
    cols = ("event_id", "held_on", "kind", "title", "language", "location", "virtual", "participants")
    if not scope.city(viewer, city):
        return _empty(*cols)
    event = (E.c.event_id, E.c.held_on, E.c.kind, E.c.title, E.c.language, E.c.location, E.c.virtual)
    return read(select(*event, func.sum(P.c.count).label("participants"))
                .select_from(P.join(E, E.c.event_id == P.c.event_id))
                .where(P.c.municipality_code == city)
                .group_by(*event).order_by(E.c.held_on.desc(), E.c.event_id), engine)
