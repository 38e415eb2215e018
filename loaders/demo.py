"""Build the demo database from the files in ``data/demo/`` through the same loaders users use.

``python -m loaders demo`` builds it in ``--database-url`` / ``DATABASE_URL`` (default
``data/hub.db``), **only when that store is empty** (or holds an unfinished demo build): a store
that holds any data is never touched, and a finished demo store is left as it is (passwords
changed there stay changed). ``make demo`` empties a store the demo created and builds it again.
The store is marked ``Setting(demo=1)`` so every page shows its demo notice, and the demo
accounts get the demo-only passwords (``User.demo_password = True``).
"""
from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from loaders.core import load_file
from loaders.registry import DATASETS

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"

# Demo-only passwords (documented in the README); real deployments never load these.
DEMO_PASSWORDS = {
    "hub.admin": "hub-demo-2026",
    "donor.demo": "donor-demo-2026",
    "mayor.kumanovo": "mayor-demo-2026",
    "mayor.cair": "mayor-demo-2026",
    "mayor.tuzla": "mayor-demo-2026",
}


def hash_demo_passwords() -> dict[str, str]:
    """argon2 hash of each distinct demo password (hashing is slow on purpose: once per password)."""
    from hub.accounts import hash_password
    return {pw: hash_password(pw) for pw in set(DEMO_PASSWORDS.values())}


def set_demo_passwords(engine, hashes: dict[str, str] | None = None) -> int:
    """Give the demo accounts their demo passwords, only while the demo builds the store it
    claimed (raises DemoRefused otherwise). Returns how many were set."""
    from sqlalchemy import update

    from hub import state
    from hub.models import User

    hashes = hashes or hash_demo_passwords()
    n = 0
    with engine.begin() as conn:
        state.bump(conn)
        settings = _settings(conn)
        if settings.get("demo") != "1" or settings.get(BUILD_KEY) != "started":
            raise DemoRefused("demo passwords are set only in a store the demo is building")
        for username, password in DEMO_PASSWORDS.items():
            n += conn.execute(update(User.__table__).where(User.__table__.c.username == username)
                              .values(password_hash=hashes[password], demo_password=True)).rowcount
    return n


BUILD_KEY = "demo_build"      # settings: "started" when the demo claimed an empty store, "done" when built


class DemoRefused(Exception):
    """The store holds data the demo did not create: the demo never touches it."""


def _settings(conn) -> dict[str, str]:
    from sqlalchemy import select

    from hub.models import Setting
    return dict(conn.execute(select(Setting.key, Setting.value)).all())


def holds_data(conn) -> bool:
    """Whether any dataset table (accounts included) or the boundaries hold a row."""
    from sqlalchemy import exists, select

    from hub.models import Boundary
    tables = [spec.table for spec in DATASETS.values()] + [Boundary.__table__]
    return any(conn.execute(select(exists().select_from(t))).scalar() for t in tables)


def store_status(engine) -> str:
    """``empty`` (no data), ``building`` (claimed by a demo build that did not finish), ``demo``
    (built by the demo), or ``data`` (holds data the demo did not create)."""
    with engine.connect() as conn:
        settings = _settings(conn)
        data = holds_data(conn)
    if settings.get("demo") == "1":
        return "building" if settings.get(BUILD_KEY) == "started" else "demo"
    return "data" if data else "empty"


def _claim(engine) -> str:
    """Mark an empty store as the demo's, atomically (the bump orders concurrent claims).
    Returns the status found; raises DemoRefused for a store holding other data."""
    from hub import state
    from hub.models import Setting
    with engine.begin() as conn:
        state.bump(conn)
        settings = _settings(conn)
        if settings.get("demo") == "1":
            return "building" if settings.get(BUILD_KEY) == "started" else "demo"
        if holds_data(conn):
            raise DemoRefused(
                f"{engine.url.render_as_string(hide_password=True)} holds data the demo did not create: the demo "
                "loads only into an empty store; nothing was changed (point DATABASE_URL at an empty store "
                "for the demo)")
        conn.execute(Setting.__table__.delete().where(Setting.__table__.c.key.in_(["demo", BUILD_KEY])))
        conn.execute(Setting.__table__.insert(), [{"key": "demo", "value": "1"},
                                                  {"key": BUILD_KEY, "value": "started"}])
    return "empty"


def _set_setting(engine, key: str, value: str) -> None:
    from sqlalchemy import update

    from hub import state
    from hub.models import Setting
    with engine.begin() as conn:
        state.bump(conn)
        conn.execute(update(Setting.__table__).where(Setting.__table__.c.key == key).values(value=value))


def clear_demo_store(engine) -> None:
    """Empty a store the demo created (``make demo``), keeping the schema and the data version
    (bumped, so running apps drop their caches). Refuses a store holding other data."""
    from sqlalchemy import delete
    from sqlmodel import SQLModel

    from hub import state
    from hub.models import DataVersion
    if store_status(engine) == "data":
        _claim(engine)                             # raises DemoRefused with the message
    with engine.begin() as conn:
        state.bump(conn)
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table is not DataVersion.__table__:
                conn.execute(delete(table))


def build_demo(url: str | None = None, *, source_dir: str | Path | None = None, verbose: bool = False) -> str:
    """Build the demo in an **empty** store: load every ``<dataset>.csv`` found in ``source_dir``
    (default ``data/demo/``) in dependency order, compute the scores once, and set the demo
    passwords (hashed meanwhile). The store is claimed first (``settings``: ``demo = 1``,
    ``demo_build = started``, then ``done``), so the demo flag and the demo passwords exist only
    in a store the demo created.

    Returns what it found: ``empty`` (built now), ``building`` (an unfinished demo build,
    completed now) or ``demo`` (already built: nothing is touched, changed passwords stay).
    Raises ``DemoRefused`` for a store that holds other data (nothing is touched)."""
    from hub.db import get_engine

    src = Path(source_dir) if source_dir else DEMO_DIR
    files = {name: src / f"{name}.csv" for name in DATASETS if (src / f"{name}.csv").exists()}
    if "municipalities" not in files:
        raise FileNotFoundError(f"no demo files in {src} (municipalities.csv is missing)")
    engine = get_engine(url)
    found = _claim(engine)
    if found == "demo":
        if verbose:
            print(f"the demo is already loaded in {engine.url.render_as_string(hide_password=True)}: "
                  "nothing changed (`make demo` rebuilds it)", file=sys.stderr)
        return found
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=1) as pool:
        hashing = pool.submit(hash_demo_passwords)  # argon2 releases the GIL: hash while the files load
        for name, path in files.items():
            report = load_file(name, path, engine=engine, user="demo", rescore_after=False)
            if verbose:
                print(str(report), file=sys.stderr)
                for w in report.warnings:
                    print(f"warning: {w}", file=sys.stderr)
        from hub.scoring.store import rescore
        rescore(engine)  # once, after everything landed; a failure here fails the build
        set_demo_passwords(engine, hashing.result())
    _set_setting(engine, BUILD_KEY, "done")
    if verbose:
        print(f"demo database ready in {time.perf_counter() - t0:.1f} s: "
              f"{engine.url.render_as_string(hide_password=True)}", file=sys.stderr)
    return found
