"""Engine and session from DATABASE_URL.

Default: ``sqlite:///data/hub.db`` relative to the repository root, created on
first use, WAL journal, foreign keys on. Any SQLAlchemy URL works (PostgreSQL:
``postgresql+psycopg://user@host/db``); nothing else in the code writes SQL
dialect-specific text.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel, create_engine

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{ROOT / 'data' / 'hub.db'}"


def database_url() -> str:
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    parsed = make_url(url)
    # A relative SQLite path means "relative to the repository", wherever we run from.
    if parsed.drivername.startswith("sqlite") and parsed.database and parsed.database != ":memory:":
        p = Path(parsed.database)
        if not p.is_absolute():
            url = str(parsed.set(database=str(ROOT / p)))
    return url


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    from hub import models  # noqa: F401  (register tables)
    SQLModel.metadata.create_all(engine)
    return engine


def get_engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default: DATABASE_URL), tables created."""
    return _engine_for(url or database_url())


def session(url: str | None = None) -> Session:
    return Session(get_engine(url))


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
