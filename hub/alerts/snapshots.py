"""Snapshots of the scores after each load, so changes between the last two loads can be told.

``record(engine)`` stores the latest period's need scores, ranks, rank intervals, ranked
counts, underserved flags and each city's fund money under the id of the latest successful
load (``load_log.id``), once per load; ``python -m hub.alerts run`` calls it before it
evaluates, and the oldest snapshots beyond ``KEEP`` are dropped.
"""
from __future__ import annotations

from sqlalchemy import delete, select

from hub.models import AlertSnapshot
from hub.queries.alerts import latest_load_id, snapshot_rows
from hub.queries.scope import EVERYONE

KEEP = 10
SNAP = AlertSnapshot.__table__
COLUMNS = ["municipality_code", "period", "score", "rank", "rank_p05", "rank_p95", "ranked", "underserved",
           "fund_approved_eur", "fund_disbursed_eur"]


def _plain(v):
    if v is None or (isinstance(v, float) and v != v):
        return None
    return v.item() if hasattr(v, "item") else v


def record(engine) -> int | None:
    """Take the snapshot for the latest load unless it exists; returns that load id (None when
    nothing was ever loaded)."""
    load_id = latest_load_id(EVERYONE, engine=engine)
    if load_id is None:
        return None
    with engine.connect() as conn:
        if conn.execute(select(SNAP.c.load_id).where(SNAP.c.load_id == load_id).limit(1)).first():
            return load_id
    rows = snapshot_rows(EVERYONE, engine=engine)
    records = [{"load_id": int(load_id), **{c: _plain(v) for c, v in zip(COLUMNS, values)}}
               for values in rows[COLUMNS].itertuples(index=False, name=None)]
    for r in records:
        r["rank"] = None if r["rank"] is None else int(r["rank"])
        r["underserved"] = bool(r["underserved"])
    with engine.begin() as conn:
        if records:
            conn.execute(SNAP.insert(), records)
        kept = [x for (x,) in conn.execute(select(SNAP.c.load_id).distinct()
                                           .order_by(SNAP.c.load_id.desc()).limit(KEEP)).all()]
        conn.execute(delete(SNAP).where(SNAP.c.load_id.not_in(kept)))
    return load_id
