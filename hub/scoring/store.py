"""Recompute every derived score from ``indicator_values`` and ``priorities``; write them back.

Called by the loaders after each load that touches scoring inputs and once by the demo
build; never on a page view. All four score tables are replaced in one transaction.

Without goalposts an indicator is normalised against the minimum and maximum observed
*across all periods*, so that one city's score in 2023 and 2025 are on the same scale and a
change of score is a change of the city, not of the other cities that year.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from hub.models import DimensionScore, IndicatorContribution, IndicatorValue, NeedScore, \
    Priority, PriorityScore
from hub.scoring.engine import aggregate, bounds, normalise, prepare
from hub.scoring.methodology import Methodology, load_methodology
from hub.scoring.montecarlo import rank_intervals
from hub.scoring.priority import priority_scores

SCORE_TABLES = (NeedScore, DimensionScore, IndicatorContribution, PriorityScore)


def _column(values: pd.Series) -> list:
    """Plain Python values for the driver: None for missing, no numpy scalars."""
    if pd.api.types.is_bool_dtype(values) and not values.isna().any():
        return [bool(v) for v in values.to_numpy()]
    if pd.api.types.is_integer_dtype(values):
        return [None if pd.isna(v) else int(v) for v in values.to_numpy(object)]
    if pd.api.types.is_numeric_dtype(values):
        return [None if v != v else v for v in values.to_numpy(float).tolist()]
    return [None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v
            for v in values.to_numpy(object).tolist()]


def _bulk_insert(conn, table, frame: pd.DataFrame) -> None:
    """executemany straight through the driver: the statement is compiled by SQLAlchemy for
    the engine's dialect, so no SQL text is written by hand; per-row parameter processing
    in SQLAlchemy (the slow part at 100,000s of rows) is skipped."""
    cols = list(frame.columns)
    compiled = table.insert().compile(dialect=conn.dialect, column_keys=cols)
    if compiled.positional:
        params = list(zip(*(_column(frame[k]) for k in compiled.positiontup)))
    else:
        params = [dict(zip(cols, r)) for r in zip(*(_column(frame[c]) for c in cols))]
    conn.exec_driver_sql(str(compiled), params)


def _wide(values: pd.DataFrame, method: Methodology) -> pd.DataFrame:
    """(municipality_code, period) × indicator column; columns the store lacks are all-missing."""
    wide = values.pivot_table(index=["municipality_code", "period"], columns="indicator_code",
                              values="value", aggfunc="first", dropna=False)
    units = values[["municipality_code", "period"]].drop_duplicates()
    wide = wide.reindex(pd.MultiIndex.from_frame(units))
    return wide.reindex(columns=method.columns).astype(float)


def score_periods(values: pd.DataFrame, priorities: pd.DataFrame, method: Methodology
                  ) -> dict[str, pd.DataFrame]:
    """All score tables as DataFrames (columns named as in hub.models) from long inputs."""
    out = {t.__tablename__: pd.DataFrame() for t in SCORE_TABLES}
    if values.empty:
        return out
    wide = _wide(values, method)
    prepared = prepare(wide, method)                        # columns: indicator ids
    lohi = bounds(prepared, method)                         # across all periods
    need, dims, contrib, prio = [], [], [], []
    for period, block in prepared.groupby(level="period", sort=True):
        block = block.droplevel("period")
        raw = wide.xs(period, level="period")
        norm = normalise(block, method, lohi)
        res = aggregate(norm, method)
        mc = rank_intervals(norm, method)
        n = res.table().set_index(method.unit_column)
        n = n.join(mc)
        n["period"] = period
        need.append(n)
        d = res.dimensions.stack(future_stack=True).rename("score").to_frame()
        d["coverage"] = res.dimension_coverage.stack(future_stack=True)
        d["period"] = period
        dims.append(d)
        c = pd.DataFrame({
            "value": raw.set_axis(list(method.indicators), axis=1).stack(future_stack=True),
            "normalised": norm.stack(future_stack=True),
            "weight": res.weights.stack(future_stack=True),
            "contribution": res.contributions.where(norm.notna()).stack(future_stack=True),
        })
        c["period"] = period
        contrib.append(c)
        prio.append(res.dimensions.assign(period=period))

    ns = pd.concat(need).rename_axis("municipality_code").reset_index()
    ns["method_id"] = method.id
    ns["top_mover"] = ns["top_mover"].map({i.id: i.column for i in method.indicators.values()})
    out["need_scores"] = ns[["municipality_code", "period", "score", "coverage", "flagged",
                             "rank", "rank_p05", "rank_p95", "rank_uncertain", "top_mover",
                             "method_id"]]
    ds = pd.concat(dims).rename_axis(["municipality_code", "dimension"]).reset_index()
    out["dimension_scores"] = ds[["municipality_code", "period", "dimension", "score",
                                  "coverage"]]
    cs = pd.concat(contrib).rename_axis(["municipality_code", "indicator_id"]).reset_index()
    cs["indicator_code"] = cs["indicator_id"].map({i.id: i.column
                                                   for i in method.indicators.values()})
    cs["dimension"] = cs["indicator_id"].map({i.id: i.dimension
                                              for i in method.indicators.values()})
    out["indicator_contributions"] = cs[["municipality_code", "period", "indicator_code",
                                         "dimension", "value", "normalised", "weight",
                                         "contribution"]]
    keys = ["municipality_code", "period"]
    all_dims = pd.concat(prio).rename_axis("municipality_code").set_index("period", append=True)
    ps = priority_scores(all_dims, priorities, method, keys=keys)
    # a city that ranked themes in a period without indicator values gets need/score None
    out["priority_scores"] = ps[["municipality_code", "period", "theme", "stated", "need",
                                 "score", "rank"]]
    return out


def rescore(engine: Engine, method_path: str | Path | None = None) -> None:
    """Recompute and replace NeedScore, DimensionScore, IndicatorContribution, PriorityScore."""
    method = load_methodology(method_path)        # None: $METHODOLOGY_PATH or the default
    with engine.connect() as conn:
        values = pd.read_sql(select(IndicatorValue.municipality_code,
                                    IndicatorValue.indicator_code, IndicatorValue.period,
                                    IndicatorValue.value), conn)
        priorities = pd.read_sql(select(Priority.municipality_code, Priority.period,
                                        Priority.theme, Priority.rank), conn)
    values = values[values["indicator_code"].isin(method.columns)]
    tables = score_periods(values, priorities, method)
    with engine.begin() as conn:
        for table in SCORE_TABLES:
            conn.execute(delete(table))
        for table in SCORE_TABLES:
            frame = tables[table.__tablename__]
            if not frame.empty:
                _bulk_insert(conn, table.__table__, frame)
