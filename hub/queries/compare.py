"""How does my city compare: each indicator's position among all member cities and the peer group,
the best and worst positions in plain words, and each dimension's trend against the peer median.

Scope: as the rest of the city profile (``hub.queries.scope.city``: hub any city, a mayor their own,
donors and anyone else none). Only the city's own values leave this module; the distributions come back as
aggregates (quartiles and medians) and positions, never as other cities' values or names. A median
needs ``MIN_GROUP_SIZE`` cities and quartiles ``MIN_QUARTILE_GROUP`` cities, or they are None.

Positions are oriented so that higher is better whatever the indicator's polarity: the share of the
other member cities that do worse (0 = worst of all, 100 = best), ties counted half.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from hub.access import MIN_GROUP_SIZE, Viewer
from hub.i18n import fmt_number, t
from hub.models import DimensionScore, Indicator, IndicatorValue, Municipality
from hub.queries import scope
from hub.queries.base import read
from hub.queries.city import peer_band

MIN_QUARTILE_GROUP = 5
IV = IndicatorValue.__table__
I = Indicator.__table__  # noqa: E741
M = Municipality.__table__
DS = DimensionScore.__table__
SCORED_POLARITIES = ("higher_is_worse", "higher_is_better")

POSITION_COLUMNS = ("indicator_code", "indicator", "domain", "unit", "polarity", "value", "position", "n",
                    "q1", "median", "q3", "peer_position", "peer_n", "peer_q1", "peer_median", "peer_q3",
                    "peer_q1_position", "peer_median_position", "peer_q3_position")


def _scored_indicators() -> set[str]:
    """Indicators the methodology scores (empty when it cannot be read: then every indicator counts)."""
    try:
        from hub.scoring import load_methodology
        return set(load_methodology().indicators)
    except Exception:
        return set()


def _members(engine, city: str) -> pd.DataFrame:
    """Member cities (and ``city`` itself) with population."""
    df = read(select(M.c.code, M.c.population, M.c.member_since), engine)
    return df[df["member_since"].notna() | (df["code"] == city)]


def _in_band(pop: pd.Series, band) -> pd.Series:
    if band is None:
        return pd.Series(False, index=pop.index)
    low, high = band
    return (pop >= low) & ((pop < high) if high is not None else True)


def _position(values: pd.Series, v: float, better_high: bool) -> float | None:
    """Share (0..100) of ``values`` doing worse than ``v``, ties half; None under MIN_GROUP_SIZE."""
    n = len(values)
    if n < MIN_GROUP_SIZE or v is None or v != v:
        return None
    worse = (values < v).sum() if better_high else (values > v).sum()
    ties = (values == v).sum()
    return float(100 * (worse + 0.5 * ties) / n)


def _q(values: pd.Series, q: float, minimum: int) -> float | None:
    return float(values.quantile(q)) if len(values) >= minimum else None


def indicator_positions(viewer: Viewer, *, city: str, period: str, engine=None) -> pd.DataFrame:
    """One row per scored indicator the city has a value for in ``period``: its value, its position
    among all member cities and among its peers, the quartiles and medians of both groups, and
    where the peers' quartiles and median sit among all cities (positions, for the band chart)."""
    if not scope.city(viewer, city):
        return pd.DataFrame(columns=list(POSITION_COLUMNS))
    members = _members(engine, city)
    vals = read(select(IV.c.municipality_code, IV.c.indicator_code, IV.c.value)
                .where(IV.c.period == period).where(IV.c.value.is_not(None)), engine)
    vals = vals[vals["municipality_code"].isin(members["code"])]
    inds = read(select(I.c.code, I.c.name, I.c.domain, I.c.unit, I.c.polarity)
                .where(I.c.polarity.in_(SCORED_POLARITIES)), engine).set_index("code")
    scored = _scored_indicators()
    if scored:   # informational indicators (e.g. youth_share) have no better or worse end
        inds = inds[inds.index.isin(scored)]
    pop = members.set_index("code")["population"]
    own_pop = pop.get(city)
    band = peer_band(own_pop)
    peers = set(pop.index[_in_band(pop, band)]) if band else set()
    rows = []
    for code, grp in vals.groupby("indicator_code"):
        if code not in inds.index:
            continue
        own = grp.loc[grp["municipality_code"] == city, "value"]
        if own.empty:
            continue
        v = float(own.iloc[0])
        meta = inds.loc[code]
        better_high = meta["polarity"] == "higher_is_better"
        allv = grp["value"].astype(float)
        peerv = grp.loc[grp["municipality_code"].isin(peers), "value"].astype(float)
        pq = {q: _q(peerv, q, MIN_QUARTILE_GROUP if q != 0.5 else MIN_GROUP_SIZE) for q in (0.25, 0.5, 0.75)}
        if better_high:
            pq_pos = {q: _position(allv, pq[q], True) if pq[q] is not None else None for q in pq}
        else:   # a lower value is better: the peers' first quartile is their better end
            pq_pos = {q: _position(allv, pq[q], False) if pq[q] is not None else None for q in pq}
        rows.append({
            "indicator_code": code, "indicator": meta["name"], "domain": meta["domain"], "unit": meta["unit"],
            "polarity": meta["polarity"], "value": v, "position": _position(allv, v, better_high),
            "n": len(allv), "q1": _q(allv, 0.25, MIN_QUARTILE_GROUP), "median": _q(allv, 0.5, MIN_GROUP_SIZE),
            "q3": _q(allv, 0.75, MIN_QUARTILE_GROUP),
            "peer_position": _position(peerv, v, better_high) if band else None, "peer_n": len(peerv),
            "peer_q1": pq[0.25], "peer_median": pq[0.5], "peer_q3": pq[0.75],
            "peer_q1_position": pq_pos[0.25], "peer_median_position": pq_pos[0.5], "peer_q3_position": pq_pos[0.75],
        })
    out = pd.DataFrame(rows, columns=list(POSITION_COLUMNS))
    return out.sort_values(["domain", "indicator_code"]).reset_index(drop=True)


def strengths_weaknesses(positions: pd.DataFrame, lang: str, k: int = 3) -> pd.DataFrame:
    """The ``k`` best and ``k`` worst positions of ``indicator_positions`` as plain sentences in
    ``lang``: ``side`` (best/worst), ``indicator_code``, ``position``, ``sentence``."""
    from hub.charts.city import indicator_label
    from hub.display import unit_label
    cols = ["side", "indicator_code", "position", "sentence"]
    df = positions.dropna(subset=["position"]) if len(positions) else positions
    if df is None or df.empty:
        return pd.DataFrame(columns=cols)
    df = df.sort_values(["position", "indicator_code"], ascending=[False, True])
    best = df.head(k)
    worst = df[~df["indicator_code"].isin(best["indicator_code"])].tail(k).iloc[::-1]
    rows = []
    for side, part in (("best", best), ("worst", worst)):
        for r in part.itertuples(index=False):
            name = indicator_label(r.indicator_code, r.indicator, lang)
            unit = unit_label(r.unit, lang)
            if unit:
                name += f" ({unit})"
            pos = float(r.position)
            key = ("compare.sentence.better" if pos >= 50 else "compare.sentence.worse")
            share = pos if pos >= 50 else 100 - pos
            median = (t("compare.sentence.median", lang, median=fmt_number(r.median, lang, 1))
                      if r.median is not None and r.median == r.median else "")
            rows.append({"side": side, "indicator_code": r.indicator_code, "position": pos,
                         "sentence": t(key, lang, indicator=name, value=fmt_number(r.value, lang, 1),
                                       share=fmt_number(share, lang, 0), median=median).strip()})
    return pd.DataFrame(rows, columns=cols)


def city_strengths(viewer: Viewer, *, city: str, period: str, lang: str = "en", engine=None) -> pd.DataFrame:
    """``strengths_weaknesses`` of the city's ``indicator_positions`` (empty when out of scope)."""
    return strengths_weaknesses(indicator_positions(viewer, city=city, period=period, engine=engine), lang)


def dimension_trend(viewer: Viewer, *, city: str, engine=None) -> pd.DataFrame:
    """Each dimension's score per period for the city, with the peer-group and region medians of the
    same period (None under ``MIN_GROUP_SIZE`` cities)."""
    cols = ["dimension", "period", "score", "peer_median", "region_median", "peer_n"]
    if not scope.city(viewer, city):
        return pd.DataFrame(columns=cols)
    members = _members(engine, city)
    scores = read(select(DS.c.municipality_code, DS.c.period, DS.c.dimension, DS.c.score)
                  .where(DS.c.score.is_not(None)), engine)
    scores = scores[scores["municipality_code"].isin(members["code"])]
    own = scores[scores["municipality_code"] == city]
    if own.empty:
        return pd.DataFrame(columns=cols)
    pop = members.set_index("code")["population"]
    band = peer_band(pop.get(city))
    peers = set(pop.index[_in_band(pop, band)]) if band else set()
    rows = []
    for (dim, period), grp in scores.groupby(["dimension", "period"]):
        mine = grp.loc[grp["municipality_code"] == city, "score"]
        if mine.empty:
            continue
        peer = grp.loc[grp["municipality_code"].isin(peers), "score"]
        rows.append({"dimension": dim, "period": period, "score": float(mine.iloc[0]),
                     "peer_median": float(peer.median()) if len(peer) >= MIN_GROUP_SIZE else None,
                     "region_median": float(grp["score"].median()) if len(grp) >= MIN_GROUP_SIZE else None,
                     "peer_n": len(peer)})
    return pd.DataFrame(rows, columns=cols).sort_values(["dimension", "period"]).reset_index(drop=True)
