"""Alembic environment: the schema is hub/models.py (SQLModel.metadata).

The app runs migrations itself (``hub.db.get_engine`` passes its connection in
``config.attributes["connection"]``); the ``alembic`` command uses DATABASE_URL like the app.
"""
from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from hub import models  # noqa: F401  (register the tables)

config = context.config
target_metadata = SQLModel.metadata


def _configure(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite",   # SQLite: ALTER via copies
                      compare_type=True)


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    from hub.db import database_url
    from sqlalchemy import create_engine
    engine = create_engine(database_url())
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: run them against a database")
run()
