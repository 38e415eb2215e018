"""Shared fixtures: every test database comes from here, on the backend the run asks for.

Backend: SQLite files under pytest's tmp dirs by default; PostgreSQL when ``HUB_TEST_DATABASE_URL``
names a server's maintenance database (``make test`` starts one: ``tests/pg_server.py``). On
PostgreSQL every database is its own ``CREATE DATABASE`` (copies of templates built once per
session: the demo store, the empty schema), dropped after the test that asked for it.

- ``demo_url`` (session): the demo store built by ``loaders.demo.build_demo`` (read-only: share it).
- ``demo_copy_url``: a private, writable copy of the demo store for one test.
- ``empty_url``: a fresh store with the schema and no rows. ``*_env`` variants set DATABASE_URL.
- ``small_url``: a fresh small store (tests/small_db.py: five cities, the demo accounts).
- ``databases`` (session): the factory behind them, for module-scoped stores:
  ``databases.empty(label)``, ``databases.demo_copy(label)``, ``databases.blank(label)`` (no tables),
  ``databases.copy(url)`` (a new database with the contents of one made here),
  ``databases.drop(url)``, ``databases.backend`` ("sqlite" or "postgresql").
- ``sqlite_only`` marker: a test about SQLite itself (skipped on PostgreSQL).
- On PostgreSQL only the tests that ask for a database (through these fixtures) run: the others
  never reach the backend and the SQLite pass has run them.
"""
from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BACKEND_ENV = "HUB_TEST_DATABASE_URL"


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: about SQLite itself; skipped on PostgreSQL")


def pytest_collection_modifyitems(config, items):
    if os.environ.get(BACKEND_ENV):
        skip = pytest.mark.skip(reason="about SQLite itself")
        for item in items:
            if "sqlite_only" in item.keywords:
                item.add_marker(skip)
        # A test that asks for no database (``databases`` and every fixture over it) never touches the
        # backend: it answers the same on both, and the SQLite pass has run it (a third of the suite:
        # catalogs, escaping, parsing, scoring maths).
        storeless = [item for item in items if "databases" not in getattr(item, "fixturenames", ("databases",))]
        if storeless:
            config.hook.pytest_deselected(items=storeless)
            items[:] = [item for item in items if item not in storeless]


def pytest_report_header(config):
    url = os.environ.get(BACKEND_ENV)
    return f"test databases: {'PostgreSQL ' + url if url else 'SQLite'}"


class Databases:
    """Creates test databases on the session's backend."""

    def __init__(self, tmp_path_factory, admin_url: str | None):
        self._tmp = tmp_path_factory
        self._admin_url = admin_url
        self._n = itertools.count(1)
        self._created: list[str] = []
        self._templates: dict[str, str] = {}
        self._admin = None
        if admin_url:
            from sqlalchemy import create_engine
            self._admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=_null_pool())

    @property
    def backend(self) -> str:
        return "postgresql" if self._admin_url else "sqlite"

    # -- primitives ------------------------------------------------------------------------
    def _name(self, label: str) -> str:
        # pytest-xdist workers share one PostgreSQL server: each names its databases apart (gw0_t1_...)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        return (f"{worker}_" if worker else "") + f"t{next(self._n)}_" + re.sub(r"[^a-z0-9_]", "_", label.lower())[:40]

    def blank(self, label: str = "db", template: str | None = None) -> str:
        """A new database with nothing in it (no tables), or a copy of the database ``template``."""
        name = self._name(label)
        if not self._admin:
            path = self._tmp.mktemp(name) / "hub.db"
            if template:
                import sqlite3
                with sqlite3.connect(_sqlite_path(template)) as src, sqlite3.connect(path) as dst:
                    src.backup(dst)   # consistent with the WAL, unlike a file copy
            return f"sqlite:///{path}"
        from sqlalchemy import text
        from sqlalchemy.engine import make_url
        with self._admin.connect() as c:
            if template:
                c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(template).database}"'))
            else:
                c.execute(text(f'CREATE DATABASE "{name}"'))
        self._created.append(name)
        return make_url(self._admin_url).set(database=name).render_as_string(hide_password=False)

    def copy(self, url: str, label: str = "copy") -> str:
        """A new database with the contents of the database at ``url`` (made here)."""
        _dispose(url)
        return self.blank(label, template=url)

    def drop(self, url: str) -> None:
        """Forget a database made here (PostgreSQL: DROP DATABASE; its connections are closed)."""
        from sqlalchemy import text
        from sqlalchemy.engine import make_url
        _dispose(url)
        if self._admin:
            name = make_url(url).database
            with self._admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if name in self._created:
                self._created.remove(name)

    def template(self, kind: str, build) -> str:
        """A database built once per session by ``build(url)``, to copy (``copy(url)``)."""
        if kind not in self._templates:
            url = self.blank(f"template_{kind}")
            build(url)
            _dispose(url)   # PostgreSQL copies a template only while nobody is connected to it
            self._templates[kind] = url
        return self._templates[kind]

    # -- what tests ask for --------------------------------------------------------------
    def empty(self, label: str = "empty") -> str:
        """A new store with the schema and no rows."""
        from hub.db import get_engine
        return self.copy(self.template("empty", get_engine), label)

    def demo_copy(self, label: str = "demo") -> str:
        """A new, writable copy of the demo store (built by the real loaders once per session)."""
        from loaders.demo import build_demo
        return self.copy(self.template("demo", build_demo), label)

    def close(self) -> None:
        if self._admin:
            for name in list(self._created):
                try:
                    with self._admin.connect() as c:
                        from sqlalchemy import text
                        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                except Exception:   # the server goes away with the run anyway
                    pass
            self._admin.dispose()


def _null_pool():
    from sqlalchemy.pool import NullPool
    return NullPool


def _sqlite_path(url: str) -> str:
    from sqlalchemy.engine import make_url
    return make_url(url).database


def _dispose(url: str) -> None:
    """Close the pooled connections of ``hub.db``'s cached engine for ``url`` (if any)."""
    from hub import db
    for engine in db.cached_engines():
        if engine.url.render_as_string(hide_password=False) == url:
            engine.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    dbs = Databases(tmp_path_factory, os.environ.get(BACKEND_ENV) or None)
    yield dbs
    dbs.close()


@pytest.fixture(scope="session")
def demo_url(databases) -> str:
    """URL of the demo store (shared by the whole session: do not write to it; see demo_copy_url)."""
    return databases.demo_copy("demo_shared")


@pytest.fixture
def demo_env(demo_url, monkeypatch) -> str:
    """Point DATABASE_URL at the demo database for code that reads the default engine."""
    monkeypatch.setenv("DATABASE_URL", demo_url)
    return demo_url


@pytest.fixture
def demo_copy_url(databases) -> str:
    """A writable copy of the demo store, private to one test."""
    url = databases.demo_copy()
    yield url
    databases.drop(url)


@pytest.fixture
def demo_copy_env(demo_copy_url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", demo_copy_url)
    return demo_copy_url


@pytest.fixture
def empty_url(databases) -> str:
    """A fresh, empty database (tables created, no rows)."""
    url = databases.empty()
    yield url
    databases.drop(url)


@pytest.fixture
def small_url(databases) -> str:
    """A fresh small store: five municipalities and the five demo accounts (tests/small_db.py)."""
    from tests.small_db import build_small_db
    url = databases.copy(databases.template("small", build_small_db), "small")
    yield url
    databases.drop(url)


@pytest.fixture
def empty_env(empty_url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", empty_url)
    return empty_url
