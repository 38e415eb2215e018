"""Portable date arithmetic for the query layer, and medians of grouped distributions.

``days_between(a, b)`` compiles to ``julianday`` arithmetic on SQLite and to date
subtraction elsewhere (PostgreSQL), so queries can group by durations in SQL and
bring back a small distribution instead of one row per record.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class days_between(FunctionElement):  # noqa: N801 (reads like an SQL function)
    """Whole days from date ``a`` to date ``b`` (b - a)."""
    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    a, b = list(element.clauses)
    return (f"CAST(ROUND(julianday({compiler.process(b, **kw)}) - "
            f"julianday({compiler.process(a, **kw)})) AS INTEGER)")


@compiles(days_between)
def _days_default(element, compiler, **kw):
    a, b = list(element.clauses)
    return f"(CAST({compiler.process(b, **kw)} AS DATE) - CAST({compiler.process(a, **kw)} AS DATE))"


def weighted_median(values: pd.Series, counts: pd.Series) -> float | None:
    """The median of a distribution given as (value, count) pairs; the same number
    ``pandas.Series.median`` gives on the expanded data. None when empty."""
    df = pd.DataFrame({"v": pd.to_numeric(values), "n": pd.to_numeric(counts)}).dropna()
    df = df[df["n"] > 0].sort_values("v")
    total = int(df["n"].sum())
    if total == 0:
        return None
    cum = df["n"].cumsum().to_numpy()
    vals = df["v"].to_numpy()

    def at(pos: int) -> float:  # 0-based position in the expanded, sorted data
        return float(vals[(cum > pos).argmax()])

    return (at((total - 1) // 2) + at(total // 2)) / 2
