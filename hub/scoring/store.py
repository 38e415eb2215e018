"""Recompute every derived score from ``indicator_values`` and ``priorities``; write them back.

Called by the loaders after each load (for the periods the load marked stale, see
``hub.state``), once by the demo build, by ``python -m loaders rescore`` (every period) and by
the app's background repair; never on a page view. The rows of the periods rescored are
replaced in one transaction, which also bumps the data version and removes the stale marks it
caught up with. A partial rescore is exact because the bounds always come from every period;
when they (or the methodology) changed since the stored scores were written, every period is
rescored.

Without goalposts an indicator is normalised against the minimum and maximum observed
*across all periods*, so that one city's score in 2023 and 2025 are on the same scale and a
change of score is a change of the city, not of the other cities that year.

Speed (issue 8: 522 cities × 10 periods × 24 scored indicators in well under 5 s): inputs are
read and outputs written through the DBAPI cursor (statements compiled by SQLAlchemy for the
engine's dialect, no per-row processing), the wide matrix is filled by numpy indexing instead
of a pandas pivot, and the output tables are assembled as numpy columns. The engine and the
Monte Carlo still run once per period on exactly the arrays they always got, so the scores are
bit-for-bit those of the per-period implementation.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection, Engine

from hub import state
from hub.models import DimensionScore, IndicatorContribution, IndicatorValue, NeedScore, \
    Priority, PriorityScore, Setting
from hub.scoring.engine import aggregate, bounds, normalise, prepare
from hub.scoring.methodology import Methodology, load_methodology
from hub.scoring.montecarlo import rank_intervals
from hub.scoring.priority import priority_scores

SCORE_TABLES = (NeedScore, DimensionScore, IndicatorContribution, PriorityScore)
BASIS_KEY = "scores_basis"              # settings row: what the stored scores were computed from
VALUE_COLUMNS = ["municipality_code", "indicator_code", "period", "value"]
Columns = dict[str, np.ndarray]          # one output table: column name -> 1-D array


# --- driver-level I/O --------------------------------------------------------------------
def _fetch(conn: Connection, stmt) -> list[tuple]:
    """All rows of a Core select as plain tuples from the DBAPI cursor (no Row objects)."""
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    args = tuple(params[k] for k in compiled.positiontup) if compiled.positional else params
    cur = conn.connection.cursor()
    try:
        cur.execute(str(compiled), args)
        return cur.fetchall()
    finally:
        cur.close()


def _plain(values) -> list:
    """Plain Python values for the driver: None for missing, no numpy scalars."""
    arr = np.asarray(values)
    out = arr.tolist()
    if arr.dtype == object:
        missing = pd.isna(arr)
        if missing.any():
            out = [None if gone else v for v, gone in zip(out, missing.tolist())]
    elif arr.dtype.kind == "f" and np.isnan(arr).any():
        out = [None if v != v else v for v in out]
    return out


def _int_or_none(values: np.ndarray) -> list:
    """Whole numbers held as float (NaN = missing) as int / None."""
    return [None if v != v else int(v) for v in np.asarray(values, float).tolist()]


def _bulk_insert(conn: Connection, table, columns: dict[str, list]) -> None:
    """executemany straight through the driver: the statement is compiled by SQLAlchemy for
    the engine's dialect, so no SQL text is written by hand; per-row parameter processing
    in SQLAlchemy (the slow part at 100,000s of rows) is skipped."""
    names = list(columns)
    compiled = table.insert().compile(dialect=conn.dialect, column_keys=names)
    if compiled.positional:
        params = list(zip(*(columns[k] for k in compiled.positiontup)))
    else:
        params = [dict(zip(names, r)) for r in zip(*(columns[c] for c in names))]
    if params:
        cur = conn.connection.cursor()
        try:
            cur.executemany(str(compiled), params)
        finally:
            cur.close()


# --- inputs ------------------------------------------------------------------------------
def _long(values) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(municipality, indicator, period, value) arrays from rows or a long DataFrame."""
    if isinstance(values, pd.DataFrame):
        cols = [values[c].to_numpy(object) for c in VALUE_COLUMNS]
    else:
        arr = np.array(values, dtype=object).reshape(len(values), 4)
        cols = [arr[:, c] for c in range(4)]
    return cols[0], cols[1], cols[2], np.asarray(cols[3]).astype(float)   # None -> NaN


def _wide(mun: np.ndarray, ind: np.ndarray, per: np.ndarray, val: np.ndarray,
          method: Methodology) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(municipality, period) of each unit, sorted by period then municipality, and the raw
    values (units × method.columns, NaN = missing); the first value of a key wins."""
    i_code, i_names = pd.factorize(ind)
    distinct = list(dict.fromkeys(method.columns))
    where = {c: j for j, c in enumerate(distinct)}
    j = np.array([where.get(c, -1) for c in i_names], np.intp)[i_code] if len(ind) else i_code
    keep = j >= 0
    mun, per, val, j = mun[keep], per[keep], val[keep], j[keep]
    m_code, m_names = pd.factorize(mun, sort=True)
    p_code, p_names = pd.factorize(per, sort=True)
    n_m = max(1, len(m_names))
    units, row = np.unique(p_code.astype(np.int64) * n_m + m_code, return_inverse=True)
    x = np.full((len(units), len(distinct)), np.nan)
    x[row[::-1], j[::-1]] = val[::-1]                          # reversed: the first one wins
    x = x[:, [where[c] for c in method.columns]]
    return (np.asarray(m_names, object)[units % n_m], np.asarray(p_names, object)[units // n_m],
            x)


# --- scoring -----------------------------------------------------------------------------
def _prepared(values, method: Methodology):
    """(municipality, period, raw, prepared, bounds) of every unit: bounds across all periods."""
    mun, per, raw = _wide(*_long(values), method)
    prepared = prepare(pd.DataFrame(raw, columns=method.columns), method)   # columns: indicator ids
    return mun, per, raw, prepared, bounds(prepared, method)


def score_periods(values, priorities: pd.DataFrame, method: Methodology,
                  periods=None, _inputs=None) -> dict[str, Columns]:
    """All score tables as columns (named as in hub.models) from the long inputs.

    ``values``: rows or a DataFrame of (municipality_code, indicator_code, period, value);
    indicators the methodology does not score are ignored. ``periods``: score only these
    (the bounds still come from every period, so the result equals those periods' rows of a
    full run).
    """
    out: dict[str, Columns] = {t.__tablename__: {} for t in SCORE_TABLES}
    mun, per, raw, prepared, lohi = _inputs or _prepared(values, method)
    if not len(mun):
        return out
    x = prepared.to_numpy(float)
    if periods is not None:
        keep = np.isin(per.astype(str), np.array(sorted(map(str, periods)), dtype=str))
        mun, per, raw, x = mun[keep], per[keep], raw[keep], x[keep]
        priorities = priorities[priorities["period"].astype(str).isin(set(map(str, periods)))]
    inds = list(method.indicators.values())
    dims = list(method.dimensions)
    k, d = len(inds), len(dims)
    starts = np.flatnonzero(np.r_[True, per[1:] != per[:-1]]) if len(per) else np.empty(0, int)
    stops = np.r_[starts[1:], len(per)] if len(per) else np.empty(0, int)

    n = len(mun)
    need = {c: np.empty(n) for c in ("score", "coverage", "rank", "rank_p05", "rank_p95")}
    flagged, uncertain = np.empty(n, bool), np.empty(n, bool)
    top_mover = np.empty(n, object)
    dim_score, dim_cov = np.empty((n, d)), np.empty((n, d))
    norm_all, weight, contrib = np.empty((n, k)), np.empty((n, k)), np.empty((n, k))
    for a, b in zip(starts, stops):                         # one period at a time
        block = pd.DataFrame(x[a:b], index=pd.Index(mun[a:b], name=method.unit_column),
                             columns=prepared.columns)
        norm = normalise(block, method, lohi)
        res = aggregate(norm, method)
        mc = rank_intervals(norm, method)
        need["score"][a:b] = res.score.to_numpy(float)
        need["coverage"][a:b] = res.coverage.to_numpy(float)
        need["rank"][a:b] = res.rank.to_numpy(float, na_value=np.nan)
        flagged[a:b] = res.flagged.to_numpy(bool)
        need["rank_p05"][a:b] = mc["rank_p05"].to_numpy(float)
        need["rank_p95"][a:b] = mc["rank_p95"].to_numpy(float)
        uncertain[a:b] = mc["rank_uncertain"].to_numpy(bool)
        top_mover[a:b] = mc["top_mover"].to_numpy(object)
        dim_score[a:b] = res.dimensions.to_numpy(float)
        dim_cov[a:b] = res.dimension_coverage.to_numpy(float)
        z = norm.to_numpy(float)
        norm_all[a:b] = z
        weight[a:b] = res.weights.to_numpy(float)
        contrib[a:b] = np.where(np.isnan(z), np.nan, res.contributions.to_numpy(float))

    column_of = {i.id: i.column for i in inds}
    out["need_scores"] = {
        "municipality_code": mun, "period": per, "score": need["score"],
        "coverage": need["coverage"], "flagged": flagged, "rank": need["rank"],
        "rank_p05": need["rank_p05"], "rank_p95": need["rank_p95"],
        "rank_uncertain": uncertain,
        "top_mover": np.array([column_of.get(t) for t in top_mover], object),
        "method_id": np.full(n, method.id, object)}
    out["dimension_scores"] = {
        "municipality_code": np.repeat(mun, d), "period": np.repeat(per, d),
        "dimension": np.tile(np.array(dims, object), n),
        "score": dim_score.ravel(), "coverage": dim_cov.ravel()}
    out["indicator_contributions"] = {
        "municipality_code": np.repeat(mun, k), "period": np.repeat(per, k),
        "indicator_code": np.tile(np.array([i.column for i in inds], object), n),
        "dimension": np.tile(np.array([i.dimension for i in inds], object), n),
        "value": raw.ravel(), "normalised": norm_all.ravel(), "weight": weight.ravel(),
        "contribution": contrib.ravel()}
    keys = ["municipality_code", "period"]
    all_dims = pd.DataFrame(dim_score, columns=dims,
                            index=pd.MultiIndex.from_arrays([mun, per], names=keys))
    ps = priority_scores(all_dims, priorities, method, keys=keys)
    # a city that ranked themes in a period without indicator values gets need/score None
    out["priority_scores"] = {
        c: ps[c].to_numpy(float, na_value=np.nan) if c == "rank" else ps[c].to_numpy()
        for c in ("municipality_code", "period", "theme", "stated", "need", "score", "rank")}
    return out


def _driver_columns(name: str, cols: Columns) -> dict[str, list]:
    """Output columns as the lists executemany takes (ints for ranks, None for missing)."""
    return {c: (_int_or_none(v) if c == "rank" else _plain(v)) for c, v in cols.items()}


@dataclass
class Rescored:
    """What a rescore did: the periods written (``None`` = every period) and why."""
    periods: list[str] | None
    reason: str                              # full | stale | partial | inputs | methodology | bounds

    def __str__(self) -> str:
        what = "every period" if self.periods is None else ", ".join(self.periods) or "no period"
        return f"scores recomputed ({what}; {self.reason})"


def _basis(method: Methodology, lohi: tuple[pd.Series, pd.Series]) -> str:
    """What every stored score depends on beyond its own period's inputs: the methodology and
    the normalisation bounds (observed across all periods where there are no goalposts). A
    partial rescore is exact only while this is unchanged."""
    lo, hi = lohi
    doc = {"method": repr(replace(method, source="")),
           "lo": {k: None if v != v else float(v) for k, v in lo.items()},
           "hi": {k: None if v != v else float(v) for k, v in hi.items()}}
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def rescore(engine: Engine, method_path: str | Path | None = None, *, periods=None,
            stale_only: bool = False) -> Rescored | None:
    """Recompute and replace NeedScore, DimensionScore, IndicatorContribution, PriorityScore.

    ``periods=None`` (and not ``stale_only``): every period (``python -m loaders rescore``).
    Otherwise the given periods plus those marked stale by loads (``hub.state``); when the
    methodology or a normalisation bound changed since the stored scores were written (e.g. a
    new extreme value of an indicator without goalposts), every period. ``stale_only`` with no
    stale mark: nothing to do, returns None. The write is one transaction that bumps the data
    version and removes the stale marks it caught up with.
    """
    with engine.connect() as conn:
        marks = state.stale_marks(conn)           # read before the inputs: later marks stay
        if stale_only and not marks:
            return None
    method = load_methodology(method_path)        # None: $METHODOLOGY_PATH or the default
    with engine.connect() as conn:
        stored_basis = conn.execute(select(Setting.value).where(Setting.key == BASIS_KEY)).scalar()
        values = _fetch(conn, select(IndicatorValue.municipality_code,
                                     IndicatorValue.indicator_code, IndicatorValue.period,
                                     IndicatorValue.value)
                        .where(IndicatorValue.indicator_code.in_(sorted(set(method.columns)))))
        stated = _fetch(conn, select(Priority.municipality_code, Priority.period,
                                     Priority.theme, Priority.rank))
    priorities = pd.DataFrame(stated, columns=["municipality_code", "period", "theme", "rank"])
    inputs = _prepared(values, method)
    basis = _basis(method, inputs[4])
    wanted = set(map(str, periods or ())) | set(marks)
    if periods is None and not stale_only:
        done = Rescored(None, "full")
    elif state.ALL in wanted:
        done = Rescored(None, "inputs")
    elif stored_basis != basis:
        done = Rescored(None, "bounds" if stored_basis else "full")
    else:
        done = Rescored(sorted(wanted), "partial")
    tables = score_periods(values, priorities, method, periods=done.periods, _inputs=inputs)
    with engine.connect() as conn:
        checked = _foreign_keys(conn, False)
        try:
            state.bump(conn)                       # first: the lock that orders writers
            for table in SCORE_TABLES:
                if done.periods is None:
                    conn.execute(delete(table))
                elif done.periods:
                    conn.execute(delete(table).where(table.period.in_(done.periods)))
            for table in SCORE_TABLES:
                cols = tables[table.__tablename__]
                if cols:
                    _bulk_insert(conn, table.__table__,
                                 _driver_columns(table.__tablename__, cols))
            conn.execute(delete(Setting).where(Setting.key == BASIS_KEY))
            conn.execute(insert(Setting).values(key=BASIS_KEY, value=basis))
            state.clear_stale(conn, marks)
            conn.commit()
        finally:
            conn.rollback()                        # no-op after the commit
            _foreign_keys(conn, checked)
    return done


def rescore_stale(engine: Engine, method_path: str | Path | None = None) -> Rescored | None:
    """Catch up with the loads: rescore the periods marked stale (None when none is)."""
    return rescore(engine, method_path, stale_only=True)


def _foreign_keys(conn: Connection, on: bool) -> bool:
    """SQLite only: switch foreign-key enforcement for this connection (outside a
    transaction) and return whether it was on. Every row written here is keyed by a
    (municipality, period) read from ``indicator_values``/``priorities``, whose own keys the
    store checked; with enforcement on, SQLite deletes the old scores row by row and looks
    each new row's city up again (~0.3 s of CPU at 100x)."""
    if conn.dialect.name != "sqlite":
        return on
    was = bool(conn.exec_driver_sql("PRAGMA foreign_keys").scalar())
    if was != on:
        conn.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    conn.commit()
    return was
