"""Engine and session from DATABASE_URL.

Default: ``sqlite:///data/hub.db`` relative to the repository root, created on
first use, WAL journal, foreign keys on. Any SQLAlchemy URL works (PostgreSQL:
``postgresql+psycopg://user@host/db``); nothing else in the code writes SQL
dialect-specific text.

Schema: Alembic migrations in ``hub/migrations`` (head = hub/models.py). ``get_engine`` reads the
store's revision once per engine (a table check, one SELECT): a brand-new store gets the tables of
hub/models.py and is stamped at head; an older one (or one made before migrations, taken as the
first revision) is upgraded to head, with one line on stderr.
"""
from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import Session, SQLModel, create_engine

from hub.settings import SettingsError, settings

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_REVISION = "0001"   # the schema every store had before migrations existed


def database_url() -> str:
    url = settings().database_url
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise SettingsError(f"DATABASE_URL={url!r}: not a database URL (e.g. sqlite:///data/hub.db or "
                            "postgresql+psycopg://USER@HOST/DB)") from None
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


_ENGINES: OrderedDict[str, Engine] = OrderedDict()
_ENGINES_LOCK = threading.Lock()
_MAX_ENGINES = 8


def _create_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


def _engine_for(url: str) -> Engine:
    with _ENGINES_LOCK:
        engine = _ENGINES.get(url)
        if engine is not None:
            _ENGINES.move_to_end(url)
            return engine
        engine = _create_engine(url)
        ensure_schema(engine)
        _ENGINES[url] = engine
        while len(_ENGINES) > _MAX_ENGINES:   # close the pool of the least recently used one
            _ENGINES.popitem(last=False)[1].dispose()
        return engine


def get_engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default: DATABASE_URL), its schema at the head migration."""
    return _engine_for(url or database_url())


def cached_engines() -> list[Engine]:
    with _ENGINES_LOCK:
        return list(_ENGINES.values())


# --- schema: Alembic --------------------------------------------------------------------------
@lru_cache(maxsize=1)
def head_revision() -> str:
    from alembic.script import ScriptDirectory
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def store_revision(conn) -> str | None:
    """The store's Alembic revision; None when it has none (brand-new or made before migrations)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _alembic_config(conn):
    from alembic.config import Config
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def ensure_schema(engine: Engine) -> None:
    """Bring the store to the head revision (cheap when it is there already: a table check and
    one SELECT per engine, i.e. once per process and database)."""
    head = head_revision()
    with engine.connect() as conn:
        if store_revision(conn) == head:
            return
    from alembic import command
    from hub import models  # noqa: F401  (register tables)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":   # one migrator at a time (several app processes)
            conn.execute(text("SELECT pg_advisory_xact_lock(4613001)"))
        current = store_revision(conn)
        if current == head:
            return
        config = _alembic_config(conn)
        if current is None and not inspect(conn).has_table("municipalities"):
            SQLModel.metadata.create_all(conn)   # brand-new store: today's tables, at head
            command.stamp(config, "head")
            return
        if current is None:
            command.stamp(config, FIRST_REVISION)
        command.upgrade(config, "head")
        where = engine.url.render_as_string(hide_password=True)
        if current is None:
            print(f"hub: the store {where} predates migrations: taken as schema {FIRST_REVISION}, "
                  f"upgraded to {head}", file=sys.stderr)
        else:
            print(f"hub: upgraded the store {where} from schema {current} to {head}", file=sys.stderr)


def session(url: str | None = None) -> Session:
    return Session(get_engine(url))


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
