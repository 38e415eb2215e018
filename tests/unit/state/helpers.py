"""Helpers for the data-version and rescore tests."""
from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select

from hub.scoring.store import SCORE_TABLES


def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def scores(engine) -> dict[str, list[tuple]]:
    """Every score row, sorted (floats rounded to 12 places: what 'the same scores' means)."""
    out = {}
    with engine.connect() as conn:
        for t in SCORE_TABLES:
            rows = conn.execute(select(t.__table__)).all()
            out[t.__tablename__] = sorted(
                (tuple(round(v, 12) if isinstance(v, float) else v for v in r) for r in rows), key=repr)
    return out


def value_row(engine, indicator: str, period: str):
    """(municipality, value, lowest, highest across all periods) of a value strictly inside the range."""
    from hub.models import IndicatorValue as IV
    with engine.connect() as conn:
        rows = conn.execute(select(IV.municipality_code, IV.period, IV.value)
                            .where(IV.indicator_code == indicator, IV.value.is_not(None))).all()
    lo, hi = min(r.value for r in rows), max(r.value for r in rows)
    inside = [r for r in rows if r.period == period and lo < r.value < hi]
    return inside[0].municipality_code, inside[0].value, lo, hi
