"""Plain SQL against a test store on either backend (for tests that check a page or query
against the rows themselves): ``sql(url_or_engine, "select ... where x = ?", value)``."""
from __future__ import annotations

from sqlalchemy import text


def sql(target, stmt: str, *args) -> list[tuple]:
    from hub.db import get_engine
    engine = get_engine(target) if isinstance(target, str) else target
    parts = stmt.split("?")
    if len(parts) - 1 != len(args):
        raise ValueError(f"{len(parts) - 1} placeholders, {len(args)} values")
    named = parts[0] + "".join(f":p{i}{rest}" for i, rest in enumerate(parts[1:]))
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(named), {f"p{i}": a for i, a in enumerate(args)})]


def as_date(value):
    """A date read by plain SQL (SQLite returns the ISO text, PostgreSQL a date)."""
    from datetime import date
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
