"""A mutable demo store per test, built by the real demo builder into ``empty_url``."""
from __future__ import annotations

import pytest


@pytest.fixture
def demo_copy(empty_url) -> str:
    from loaders.demo import build_demo
    build_demo(empty_url)
    return empty_url
