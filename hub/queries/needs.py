"""Needs and priorities: the ranking with rank intervals, dimension sub-scores, priority themes
and the what-if over dimension weights.

Role rules: the page is hub-only, and so are city-level need scores. A mayor gets their own city's
rows (own rank included); a donor gets no city rows from ``ranking``, ``city_priorities`` and
``what_if`` (the need index includes the sensitive threat-landscape dimension). ``theme_firsts`` is
a count over cities and is the same for every role, except that a mayor counts their own city only.
Any other role gets nothing (``hub.queries.scope``).

Scores are read from the score tables written by ``hub.scoring.store``; the what-if re-aggregates
stored dimension scores with other weights and never writes anything.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from hub.access import Viewer
from hub.db import get_engine
from hub.models import THEMES, DimensionScore, Municipality, NeedScore, Priority, PriorityScore
from hub.queries import scope
from hub.queries.base import as_list, latest, read

M = Municipality.__table__
NS = NeedScore.__table__
DS = DimensionScore.__table__
PR = Priority.__table__
PS = PriorityScore.__table__

CITY_COLUMNS = ["municipality_code", "name", "name_local", "country"]
RANK_COLUMNS = CITY_COLUMNS + ["population", "score", "rank", "rank_p05", "rank_p95", "rank_uncertain",
                               "coverage", "flagged", "top_mover"]


def _cities(stmt, viewer: Viewer, countries):
    """The viewer's cities (a statement joined to municipalities) in the selected economies."""
    stmt = stmt.where(scope.cities(viewer, M.c.code))
    if (v := as_list(countries)):
        stmt = stmt.where(M.c.country.in_(v))
    return stmt


def dimensions(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """Dimensions with stored scores (column ``dimension``), in methodology order when known."""
    stmt = select(DS.c.dimension).where(scope.anyone(viewer)).distinct().order_by(DS.c.dimension)
    dims = list(read(stmt, engine)["dimension"])
    order = [d for d in default_weights(viewer)["dimension"] if d in dims]
    return pd.DataFrame({"dimension": order + [d for d in dims if d not in order]})


def ranking(viewer: Viewer, *, engine=None, period: str | None = None, countries=(),
            dimension: str | None = None) -> pd.DataFrame:
    """One row per city scored in ``period`` (default: latest): need index, rank, rank interval
    (p05–p95), rank_uncertain, coverage, flagged, top_mover and one column per dimension score.
    Sorted by rank, or by ``dimension`` (highest first) when given. Donors: no rows."""
    engine = engine or get_engine()
    period = period or latest(NS.c.period, engine)
    if viewer.is_donor or period is None:
        return pd.DataFrame(columns=RANK_COLUMNS)
    stmt = (select(M.c.code.label("municipality_code"), M.c.name, M.c.name_local, M.c.country, M.c.population,
                   NS.c.score, NS.c.rank, NS.c.rank_p05, NS.c.rank_p95, NS.c.rank_uncertain, NS.c.coverage,
                   NS.c.flagged, NS.c.top_mover)
            .select_from(NS.join(M, M.c.code == NS.c.municipality_code))
            .where(NS.c.period == period))
    base = read(_cities(stmt, viewer, countries), engine)
    dstmt = (select(DS.c.municipality_code, DS.c.dimension, DS.c.score)
             .select_from(DS.join(M, M.c.code == DS.c.municipality_code)).where(DS.c.period == period))
    dims = read(_cities(dstmt, viewer, countries), engine)
    if not dims.empty:
        wide = dims.pivot(index="municipality_code", columns="dimension", values="score").reset_index()
        wide.columns.name = None
        base = base.merge(wide, on="municipality_code", how="left")
    for col in ("rank_uncertain", "flagged"):
        base[col] = base[col].fillna(False).astype(bool)
    if dimension and dimension in base.columns:
        return base.sort_values([dimension, "municipality_code"], ascending=[False, True],
                                na_position="last").reset_index(drop=True)
    return base.sort_values(["rank", "municipality_code"], na_position="last").reset_index(drop=True)


def theme_firsts(viewer: Viewer, *, engine=None, period: str | None = None, countries=()) -> pd.DataFrame:
    """Per theme: ``stated_first`` (cities that ranked it first in their stated priorities) and
    ``scored_first`` (cities whose top priority score is this theme), in ``period``."""
    engine = engine or get_engine()
    period = period or latest(NS.c.period, engine)
    stated = (select(PR.c.theme, func.count().label("stated_first"))
              .select_from(PR.join(M, M.c.code == PR.c.municipality_code))
              .where(PR.c.period == period, PR.c.rank == 1))
    stated = _cities(stated, viewer, countries).group_by(PR.c.theme)
    scored = (select(PS.c.theme, func.count().label("scored_first"))
              .select_from(PS.join(M, M.c.code == PS.c.municipality_code))
              .where(PS.c.period == period, PS.c.rank == 1))
    scored = _cities(scored, viewer, countries).group_by(PS.c.theme)
    out = read(stated, engine).merge(read(scored, engine), on="theme", how="outer")
    if len(out):  # every theme of the vocabulary, so a theme nobody chose shows as 0
        out = pd.DataFrame({"theme": list(THEMES)}).merge(out, on="theme", how="outer")
    for col in ("stated_first", "scored_first"):
        out[col] = out[col].fillna(0).astype(int)
    return out.sort_values(["stated_first", "theme"], ascending=[False, True]).reset_index(drop=True)


def city_priorities(viewer: Viewer, *, engine=None, period: str | None = None,
                    municipality_code: str | None = None) -> pd.DataFrame:
    """One city's priority themes: the stated rank, s (stated), g (measured need), priority score P
    and its rank within the city. Hub: any city; mayor: own city only; donor: no rows."""
    engine = engine or get_engine()
    cols = ["theme", "stated_rank", "stated", "need", "score", "rank"]
    period = period or latest(NS.c.period, engine)
    if not municipality_code or not scope.city(viewer, municipality_code):
        return pd.DataFrame(columns=cols)
    ps = read(select(PS.c.theme, PS.c.stated, PS.c.need, PS.c.score, PS.c.rank)
              .where(PS.c.period == period, PS.c.municipality_code == municipality_code), engine)
    pr = read(select(PR.c.theme, PR.c.rank.label("stated_rank"))
              .where(PR.c.period == period, PR.c.municipality_code == municipality_code), engine)
    out = ps.merge(pr, on="theme", how="outer")
    return out[cols].sort_values(["rank", "theme"], na_position="last").reset_index(drop=True)


# --- what-if over dimension weights ------------------------------------------------------------
def default_weights(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """The methodology's dimension weights (``dimension``, ``weight``), from data/methodology.toml."""
    if not scope.known(viewer):
        return pd.DataFrame(columns=["dimension", "weight"])
    try:
        from hub.scoring.methodology import load_methodology
        method = load_methodology()
        dims = method.dimensions.values() if isinstance(method.dimensions, dict) else method.dimensions
        return pd.DataFrame([{"dimension": d.id, "weight": float(d.weight)} for d in dims])
    except Exception:  # no methodology file yet: equal weights over the stored dimensions
        dims = list(read(select(DS.c.dimension).distinct().order_by(DS.c.dimension), engine)["dimension"])
        return pd.DataFrame({"dimension": dims, "weight": [1.0] * len(dims)})


def _index_rule() -> tuple[str, float]:
    """How the methodology combines dimensions, and its scale."""
    try:
        from hub.scoring.methodology import load_methodology
        method = load_methodology()
        return method.aggregation, float(method.scale)
    except Exception:  # no methodology file: the demo's rule
        return "arithmetic", 100.0


def what_if(viewer: Viewer, *, engine=None, period: str | None = None, weights=(), countries=()) -> pd.DataFrame:
    """Ranks under other dimension weights, without touching the stored scores.

    ``weights``: pairs ``(dimension, weight)``; missing dimensions keep the methodology's weight.
    The recombination is ``hub.scoring.whatif.whatif`` (the engine's own weighted mean); it
    raises ``MethodologyError`` for weights that are all zero or negative.
    Every city of the period is re-ranked (ranks stay regional), then ``countries`` filters the
    rows. Columns: city, stored score and rank, ``score_new``, ``rank_new`` and ``shift``
    (stored rank − new rank; positive = the city moves up the need ranking). Donors: no rows;
    mayors: their own row; anyone else: nothing."""
    engine = engine or get_engine()
    cols = CITY_COLUMNS + ["score", "rank", "score_new", "rank_new", "shift"]
    period = period or latest(NS.c.period, engine)
    if viewer.is_donor or period is None or not scope.known(viewer):
        return pd.DataFrame(columns=cols)
    w = {r.dimension: r.weight for r in default_weights(viewer, engine=engine).itertuples()}
    w.update({d: float(x) for d, x in dict(weights).items()})
    dims = read(select(DS.c.municipality_code, DS.c.dimension, DS.c.score).where(DS.c.period == period), engine)
    stored = read(select(M.c.code.label("municipality_code"), M.c.name, M.c.name_local, M.c.country,
                          NS.c.score, NS.c.rank)
                   .select_from(NS.join(M, M.c.code == NS.c.municipality_code)).where(NS.c.period == period), engine)
    if dims.empty or stored.empty:
        return pd.DataFrame(columns=cols)
    from hub.scoring.whatif import whatif
    aggregation, scale = _index_rule()
    wide = dims.pivot(index="municipality_code", columns="dimension", values="score")
    new = whatif(wide, w, aggregation=aggregation, scale=scale)
    new = new.rename(columns={"score": "score_new", "rank": "rank_new"}).rename_axis("municipality_code")
    out = stored.merge(new.reset_index(), on="municipality_code", how="left")
    out["rank_new"] = out["rank_new"].astype("Int64")
    out["shift"] = (out["rank"] - out["rank_new"]).astype("Int64")
    if viewer.is_mayor:
        out = out[out["municipality_code"] == viewer.municipality_code]
    if (v := as_list(countries)):
        out = out[out["country"].isin(v)]
    return out[cols].sort_values(["rank_new", "municipality_code"], na_position="last").reset_index(drop=True)
