"""A mutable demo store per test, (a copy of the session demo store, built by the real demo builder)."""
from __future__ import annotations

import pytest


@pytest.fixture
def demo_copy(demo_copy_url) -> str:
    return demo_copy_url
