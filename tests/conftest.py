"""Shared fixtures: a real SQLite demo database built once per test session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory) -> str:
    """URL of a demo database built by the real loaders from data/demo/ (once per session)."""
    from loaders.demo import build_demo
    path = tmp_path_factory.mktemp("demo") / "hub.db"
    url = f"sqlite:///{path}"
    build_demo(url)
    return url


@pytest.fixture
def demo_env(demo_url, monkeypatch) -> str:
    """Point DATABASE_URL at the demo database for code that reads the default engine."""
    monkeypatch.setenv("DATABASE_URL", demo_url)
    return demo_url


@pytest.fixture
def empty_url(tmp_path) -> str:
    """A fresh, empty database (tables created, no rows)."""
    from hub.db import get_engine
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    get_engine(url)
    return url


@pytest.fixture
def empty_env(empty_url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", empty_url)
    return empty_url
