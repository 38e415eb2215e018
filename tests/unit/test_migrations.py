"""Alembic: hub/models.py and the migrations agree, and older stores are brought to head.

Runs on the session's backend (SQLite, or PostgreSQL under HUB_TEST_DATABASE_URL).
If ``test_models_and_migrations_agree`` fails, a table or column was added to hub/models.py
without a migration: ``.venv/bin/python -m alembic revision --autogenerate -m "why"``.
"""
from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

from hub import db, models  # noqa: F401


@pytest.fixture
def blank_url(databases):
    url = databases.blank("migrations")
    yield url
    databases.drop(url)


def _migrate(url: str, revision: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(db._alembic_config(conn), revision)
    engine.dispose()


def _revision(url: str) -> str | None:
    engine = create_engine(url)
    with engine.connect() as conn:
        rev = db.store_revision(conn)
    engine.dispose()
    return rev


def test_models_and_migrations_agree(blank_url):
    _migrate(blank_url, "head")
    engine = create_engine(blank_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    engine.dispose()
    assert diff == [], ("hub/models.py and hub/migrations disagree; write a migration "
                        "(alembic revision --autogenerate):\n" + "\n".join(map(str, diff)))


def test_a_store_made_by_the_first_migration_is_upgraded_to_head(blank_url, capsys):
    _migrate(blank_url, db.FIRST_REVISION)
    assert _revision(blank_url) == db.FIRST_REVISION
    engine = db.get_engine(blank_url)
    assert _revision(blank_url) == db.head_revision()
    assert set(SQLModel.metadata.tables) <= set(inspect(engine).get_table_names())
    if db.head_revision() != db.FIRST_REVISION:
        assert "upgraded the store" in capsys.readouterr().err


def test_a_store_made_before_migrations_is_adopted_and_says_so(blank_url, capsys):
    _migrate(blank_url, db.FIRST_REVISION)   # the tables get_engine's create_all made before Alembic
    engine = create_engine(blank_url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(text("INSERT INTO settings (key, value) VALUES ('demo', '1')"))
    engine.dispose()
    engine = db.get_engine(blank_url)
    assert _revision(blank_url) == db.head_revision()
    assert "predates migrations" in capsys.readouterr().err
    with engine.connect() as conn:   # the data stays
        assert conn.execute(text("SELECT value FROM settings WHERE key = 'demo'")).scalar() == "1"


def test_a_new_store_is_created_at_head_quietly(blank_url, capsys):
    engine = db.get_engine(blank_url)
    assert _revision(blank_url) == db.head_revision()
    assert set(SQLModel.metadata.tables) <= set(inspect(engine).get_table_names())
    assert capsys.readouterr().err == ""


def test_a_store_at_head_is_only_read(empty_url, monkeypatch):
    db._ENGINES.pop(empty_url, None)
    monkeypatch.setattr(command, "upgrade", lambda *a, **k: pytest.fail("upgrade ran on a store at head"))
    monkeypatch.setattr(command, "stamp", lambda *a, **k: pytest.fail("stamp ran on a store at head"))
    db.get_engine(empty_url)
