"""The store's own freshness: a data version, and which periods' scores lag behind their inputs.

- ``bump(conn)``: every committed write of data (a load, a refused load's log rows, boundaries,
  a rescore) calls it first in its own transaction. It is an ``UPDATE ... SET version =
  version + 1`` of one row, so it is atomic, and on PostgreSQL the row lock it takes makes
  concurrent writers queue (on SQLite the write lock does the same). Cached reads are keyed on
  the version (``ui.cache``): the next rerun in any process sees new data.
- ``mark_stale(conn, periods, version)``: a load that changes scoring inputs records, in its own
  transaction, which periods need new scores (``ALL`` = every period). The rescore that catches
  up removes exactly the marks it read (``clear_stale``), so a crash between the load and its
  rescore leaves the marks behind for the next loader run, ``make run`` or the app to repair,
  and pages show a notice meanwhile.
- ``read(engine)``: (version, number of stale marks) in one small SELECT.

Portable SQL only (SQLAlchemy Core, no dialect-specific text).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, delete, func, insert, select, update

from hub.models import DataVersion, StaleScores

ALL = "*"
_V = DataVersion.__table__
_S = StaleScores.__table__


@dataclass(frozen=True)
class StoreState:
    version: int
    stale: int            # number of stale marks (0 = every stored score is current)

    @property
    def scores_stale(self) -> bool:
        return self.stale > 0


def read(engine) -> StoreState:
    """The data version and the number of stale-score marks, in one SELECT."""
    stmt = select(select(_V.c.version).where(_V.c.id == 1).scalar_subquery(),
                  select(func.count()).select_from(_S).scalar_subquery())
    with engine.connect() as conn:
        version, stale = conn.execute(stmt).one()
    return StoreState(int(version or 0), int(stale or 0))


def bump(conn) -> int:
    """Add one to the data version inside the caller's transaction; returns the new version.
    Call it first in a write transaction: it takes the lock that orders writers."""
    if not conn.execute(update(_V).where(_V.c.id == 1).values(version=_V.c.version + 1)).rowcount:
        conn.execute(insert(_V).values(id=1, version=1))   # a table created without its row
    return int(conn.execute(select(_V.c.version).where(_V.c.id == 1)).scalar_one())


def mark_stale(conn, periods, version: int) -> None:
    """Record that the scores of ``periods`` (an iterable of period strings, or ``ALL``) no longer
    match their inputs, as of data ``version`` (the caller's bump). Holds the bump's lock."""
    wanted = [ALL] if periods == ALL or ALL in set(periods) else sorted(set(periods))
    for period in wanted:
        if not conn.execute(update(_S).where(_S.c.period == period).values(version=version)).rowcount:
            conn.execute(insert(_S).values(period=period, version=version))


def stale_marks(conn) -> dict[str, int]:
    """Stale marks as {period: version} (``'*'`` = every period)."""
    return {p: int(v) for p, v in conn.execute(select(_S.c.period, _S.c.version)).all()}


def clear_stale(conn, marks: dict[str, int]) -> None:
    """Remove exactly the marks read before a rescore: a mark a later load renewed (higher
    version) or added stays for the next rescore."""
    for period, version in marks.items():
        conn.execute(delete(_S).where(and_(_S.c.period == period, _S.c.version == version)))
