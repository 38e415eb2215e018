"""The app repairs stale scores itself (a background thread) once they outlive REPAIR_AFTER."""
from __future__ import annotations

import time

from hub import state
from hub.db import get_engine


def test_the_app_repairs_stale_scores_in_the_background(demo_copy, monkeypatch):
    import ui.cache as cache
    engine = get_engine(demo_copy)
    with engine.begin() as conn:                        # what a load killed before its rescore leaves
        state.mark_stale(conn, {"2024"}, state.bump(conn))
    monkeypatch.setenv("DATABASE_URL", demo_copy)
    monkeypatch.setattr(cache, "REPAIR_AFTER", 0.0)
    url, found = cache.store_state()                   # a page run reads the state
    assert found.scores_stale
    deadline = time.time() + 120
    while state.read(engine).scores_stale and time.time() < deadline:
        time.sleep(0.2)
    assert not state.read(engine).scores_stale
    assert cache.store_state()[1].version > found.version
