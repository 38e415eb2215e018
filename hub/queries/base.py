"""The query layer's one way to read: statements in, frames (or one value) out, and the period
helpers every area shares.

``engine=None`` everywhere means ``hub.db.get_engine()`` (the store of ``DATABASE_URL``).
Statements are SQLAlchemy expressions (the one SQL style of ``hub.queries``); row-level access is
``hub.queries.scope``.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import func, select

from hub.db import get_engine


def read(stmt, engine=None, **params) -> pd.DataFrame:
    """The rows of ``stmt`` as a frame (``params``: values of its named bind parameters)."""
    with (engine or get_engine()).connect() as conn:
        return pd.read_sql(stmt, conn, params=params or None)


def scalar(stmt, engine=None):
    """The first column of the first row of ``stmt`` (None without rows)."""
    with (engine or get_engine()).connect() as conn:
        return conn.execute(stmt).scalar()


def empty(*columns: str) -> pd.DataFrame:
    """A frame with these columns and no rows (object dtype, as a read without rows gives)."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def as_list(values) -> list | None:
    """A page filter as a list: one value (a string or a number) becomes a one-item list; empty
    items (None, "") are dropped; None when nothing is left (the filter is off)."""
    if values is None or isinstance(values, (str, int)):
        return None if values in (None, "") else [values]
    return [v for v in values if v not in (None, "")] or None


# --- periods -----------------------------------------------------------------------------------
def latest(period_col, engine=None, *where) -> str | None:
    """The latest period in ``period_col`` among the rows matching ``where`` (None when none)."""
    return scalar(select(func.max(period_col)).where(*where), engine)


def previous(period_col, period: str | None, engine=None, *where) -> str | None:
    """The period before ``period`` in ``period_col`` (None when there is none, or no ``period``)."""
    if period is None:
        return None
    return latest(period_col, engine, period_col < period, *where)


def period_end(period: str | None) -> date | None:
    """Last day of a period named by a year ("2025" -> 2025-12-31); None for anything else."""
    if period and len(period) == 4 and period.isdigit():
        return date(int(period), 12, 31)
    return None
