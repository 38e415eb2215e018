"""City profile reads: one municipality seen in full, against anonymous medians.

Scope (``hub.access.Viewer.may_see_city``): hub management may open any city; a mayor
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
from sqlalchemy import text

from hub.access import MIN_GROUP_SIZE, Viewer
from hub.audit import audit
from hub.db import get_engine
from hub.i18n import name_order

# Peer groups: cities of a similar size, by population band [low, high).
PEER_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 20_000), (20_000, 50_000), (50_000, 100_000), (100_000, 250_000), (250_000, None),
)
INDEX = "index"            # the "dimension" name under which the overall need index is returned
YOUTH_DOMAIN = "youth_engagement"


def _read(engine, sql: str, **params) -> pd.DataFrame:
    with (engine or get_engine()).connect() as conn:
        return pd.read_sql(text(sql), conn, params=params)


def _empty(*columns: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


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
    if not code or not viewer.may_see_city(code):
        audit(viewer.username, "refused", target=f"city:{code}", engine=engine)
        return "refused"
    found = _read(engine, "SELECT code FROM municipalities WHERE code = :c", c=code)
    return "ok" if len(found) else "unknown"


def city_options(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """The cities this viewer may pick: code, name, name_local, country."""
    cols = ("code", "name", "name_local", "country")
    sql = "SELECT code, name, name_local, country FROM municipalities"
    if viewer.is_hub:   # name order by hub.i18n.sort_key, not the database's collation
        return (_read(engine, sql).sort_values(["country", "name"], key=name_order, kind="stable")
                .reset_index(drop=True))
    if viewer.is_mayor and viewer.municipality_code:
        return _read(engine, sql + " WHERE code = :c", c=viewer.municipality_code)
    return _empty(*cols)


def city_header(viewer: Viewer, *, city: str, engine=None) -> pd.DataFrame:
    """One row about the city: names, economy, region, population, youth population, membership."""
    if not viewer.may_see_city(city):
        return _empty("code", "name", "name_local", "country", "region", "population",
                      "youth_population", "member_since")
    return _read(engine, """
        SELECT code, name, name_local, country, region, population, youth_population, member_since
        FROM municipalities WHERE code = :c""", c=city)


def city_periods(viewer: Viewer, *, city: str, engine=None) -> pd.DataFrame:
    """Periods with a need score or an indicator value for the city, oldest first."""
    if not viewer.may_see_city(city):
        return _empty("period")
    return _read(engine, """
        SELECT period FROM need_scores WHERE municipality_code = :c
        UNION
        SELECT DISTINCT period FROM indicator_values WHERE municipality_code = :c
        ORDER BY period""", c=city)


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
    if not viewer.may_see_city(city):
        return _empty(*cols)
    # Scores of every city in the period, without names: only the medians leave this function.
    scores = _read(engine, """
        SELECT n.municipality_code AS code, :idx AS dimension, n.score, n.coverage,
               m.country, m.population
        FROM need_scores n JOIN municipalities m ON m.code = n.municipality_code
        WHERE n.period = :p
        UNION ALL
        SELECT d.municipality_code AS code, d.dimension, d.score, d.coverage, m.country, m.population
        FROM dimension_scores d JOIN municipalities m ON m.code = d.municipality_code
        WHERE d.period = :p""", p=period, idx=INDEX)
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
    if not viewer.may_see_city(city):
        return _empty(*cols)
    scores = _read(engine, """
        SELECT n.municipality_code AS code, n.period, n.score, n.coverage, n.flagged, n.rank,
               n.rank_p05, n.rank_p95, m.country
        FROM need_scores n JOIN municipalities m ON m.code = n.municipality_code""")
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
    if not viewer.may_see_city(city):
        return _empty(*cols)
    return _read(engine, """
        SELECT n.rank,
               (SELECT COUNT(*) FROM need_scores a WHERE a.period = :p AND a.score IS NOT NULL) AS "of",
               n.rank_p05, n.rank_p95, n.rank_uncertain, n.top_mover, n.flagged
        FROM need_scores n WHERE n.municipality_code = :c AND n.period = :p""", c=city, p=period)


def city_drivers(viewer: Viewer, *, city: str, period: str, engine=None) -> pd.DataFrame:
    """Which indicators drive the city's index: each indicator's value, normalised value,
    effective weight and contribution (points of the index), largest first."""
    cols = ("indicator_code", "indicator", "dimension", "unit", "value", "normalised", "weight",
            "contribution")
    if not viewer.may_see_city(city):
        return _empty(*cols)
    return _read(engine, """
        SELECT c.indicator_code, COALESCE(i.name, c.indicator_code) AS indicator, c.dimension, i.unit,
               c.value, c.normalised, c.weight, c.contribution
        FROM indicator_contributions c LEFT JOIN indicators i ON i.code = c.indicator_code
        WHERE c.municipality_code = :c AND c.period = :p
        ORDER BY CASE WHEN c.contribution IS NULL THEN 1 ELSE 0 END, c.contribution DESC,
                 c.indicator_code""", c=city, p=period)


def city_priorities(viewer: Viewer, *, city: str, period: str, engine=None) -> pd.DataFrame:
    """The city's stated priority themes (rank 1 = top) and their priority scores: stated
    weight s, measured need g and the combined score P, best priority first."""
    cols = ("theme", "stated_rank", "stated", "need", "score", "priority_rank")
    if not viewer.may_see_city(city):
        return _empty(*cols)
    stated = _read(engine, """
        SELECT theme, rank AS stated_rank FROM priorities
        WHERE municipality_code = :c AND period = :p""", c=city, p=period)
    scored = _read(engine, """
        SELECT theme, stated, need, score, rank AS priority_rank FROM priority_scores
        WHERE municipality_code = :c AND period = :p""", c=city, p=period)
    out = stated.merge(scored, on="theme", how="outer")
    if out.empty:
        return _empty(*cols)
    out = out.sort_values(["priority_rank", "stated_rank", "theme"], na_position="last")
    return out[list(cols)].reset_index(drop=True)


def city_youth(viewer: Viewer, *, city: str, engine=None) -> pd.DataFrame:
    """The city's youth-engagement indicators per period (long format)."""
    cols = ("indicator_code", "indicator", "unit", "polarity", "period", "value")
    if not viewer.may_see_city(city):
        return _empty(*cols)
    return _read(engine, """
        SELECT v.indicator_code, i.name AS indicator, i.unit, i.polarity, v.period, v.value
        FROM indicator_values v JOIN indicators i ON i.code = v.indicator_code
        WHERE v.municipality_code = :c AND i.domain = :d
        ORDER BY v.indicator_code, v.period""", c=city, d=YOUTH_DOMAIN)


# --- the city's own records -------------------------------------------------------------
def city_fund(viewer: Viewer, *, city: str, engine=None) -> pd.DataFrame:
    """The city's Technical Support Fund applications, with the amount disbursed so far
    and the number of tranches paid."""
    cols = ("application_id", "title", "theme", "submitted_on", "status", "requested_eur",
            "approved_eur", "disbursed_eur", "tranches", "decided_on", "donor")
    if not viewer.may_see_city(city):
        return _empty(*cols)
    return _read(engine, """
        SELECT a.application_id, a.title, a.theme, a.submitted_on, a.status, a.requested_eur,
               a.approved_eur, COALESCE(d.disbursed, 0) AS disbursed_eur,
               COALESCE(d.tranches, 0) AS tranches, a.decided_on, a.donor
        FROM fund_applications a
        LEFT JOIN (SELECT application_id, SUM(amount_eur) AS disbursed, COUNT(*) AS tranches
                   FROM disbursements GROUP BY application_id) d
               ON d.application_id = a.application_id
        WHERE a.municipality_code = :c
        ORDER BY a.submitted_on DESC, a.application_id""", c=city)


def city_tranches(viewer: Viewer, *, city: str, engine=None) -> pd.DataFrame:
    """Every tranche paid to the city's applications."""
    cols = ("application_id", "title", "tranche", "paid_on", "amount_eur")
    if not viewer.may_see_city(city):
        return _empty(*cols)
    return _read(engine, """
        SELECT d.application_id, a.title, d.tranche, d.paid_on, d.amount_eur
        FROM disbursements d JOIN fund_applications a ON a.application_id = d.application_id
        WHERE a.municipality_code = :c
        ORDER BY d.paid_on, d.application_id, d.tranche""", c=city)


def city_helpdesk(viewer: Viewer, *, city: str, engine=None) -> pd.DataFrame:
    """The city's help-desk requests, newest first, with days to resolve."""
    cols = ("request_id", "opened_on", "topic", "channel", "status", "resolved_on", "days_to_resolve")
    if not viewer.may_see_city(city):
        return _empty(*cols)
    df = _read(engine, """
        SELECT request_id, opened_on, topic, channel, status, resolved_on
        FROM helpdesk_requests WHERE municipality_code = :c
        ORDER BY opened_on DESC, request_id""", c=city)
    opened = pd.to_datetime(df["opened_on"], errors="coerce")
    resolved = pd.to_datetime(df["resolved_on"], errors="coerce")
    df["days_to_resolve"] = (resolved - opened).dt.days
    return df[list(cols)]


def city_events(viewer: Viewer, *, city: str, engine=None) -> pd.DataFrame:
    """Events the city's people attended, newest first, with how many of them took part."""
    cols = ("event_id", "held_on", "kind", "title", "language", "location", "virtual", "participants")
    if not viewer.may_see_city(city):
        return _empty(*cols)
    return _read(engine, """
        SELECT e.event_id, e.held_on, e.kind, e.title, e.language, e.location, e.virtual,
               SUM(p.count) AS participants
        FROM participants p JOIN events e ON e.event_id = p.event_id
        WHERE p.municipality_code = :c
        GROUP BY e.event_id, e.held_on, e.kind, e.title, e.language, e.location, e.virtual
        ORDER BY e.held_on DESC, e.event_id""", c=city)
