"""Cached query wrappers: every read goes through ``cached_query(fn, viewer, **filters)``.

The cache key is the query function, the viewer's scope (``scope_key``: role, city, donors), the
filters, and the store's data version (``hub.state``): so one scope's rows never answer another's, and the
first rerun after any committed write, by this process or any other (a command-line load, an
upload on another replica), reads the new data. The version is read once per script run (one
small SELECT); the ttl only bounds memory. ``clear_caches()`` empties this process's caches.

While a load's scores are stale (a crash between the load and its rescore), the app repairs
them in a background thread of its own once they have stayed stale for ``REPAIR_AFTER``
seconds (the loader that marked them is normally rescoring meanwhile).
"""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from typing import Any, Callable

import streamlit as st

from hub.access import Viewer
from hub.state import StoreState

REPAIR_AFTER = 60.0          # seconds a stale mark may stay before this process rescores itself
_RUNS_KEPT = 4096            # sessions remembered for the once-per-run version check
_runs: OrderedDict[str, tuple[object, tuple[str, StoreState]]] = OrderedDict()
_runs_lock = threading.Lock()
_repair_lock = threading.Lock()
_stale_since: dict[tuple[str, int], float] = {}
log = logging.getLogger(__name__)


def _read_state() -> tuple[str, StoreState]:
    from hub import state
    from hub.db import get_engine
    engine = get_engine()
    url = engine.url.render_as_string(hide_password=True)
    try:
        current = state.read(engine)
    except Exception:                     # a store without the table yet: no caching across versions
        log.exception("cannot read the data version")
        current = StoreState(-1, 0)
    _maybe_repair(engine, url, current)
    return url, current


def store_state() -> tuple[str, StoreState]:
    """(database URL, state) of the store, read once per script run of this session."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return _read_state()
    # ``ctx.cursors`` is a new dict at the start of every run (ScriptRunContext.reset): the same
    # object means the same run. It is kept referenced here, so its identity cannot be reused.
    run_marker = ctx.cursors
    with _runs_lock:
        seen = _runs.get(ctx.session_id)
        if seen is not None and seen[0] is run_marker:
            return seen[1]
    found = _read_state()
    with _runs_lock:
        _runs[ctx.session_id] = (run_marker, found)
        _runs.move_to_end(ctx.session_id)
        while len(_runs) > _RUNS_KEPT:
            _runs.popitem(last=False)
    return found


def data_version() -> tuple[str, int]:
    """The cache key part that changes with every committed write: (database URL, version)."""
    url, current = store_state()
    return url, current.version


def scores_stale() -> bool:
    return store_state()[1].scores_stale


def _maybe_repair(engine, url: str, current: StoreState) -> None:
    """Rescore in the background when the same stale marks outlive ``REPAIR_AFTER`` seconds."""
    if not current.scores_stale:
        _stale_since.clear()
        return
    key = (url, current.version)
    first = _stale_since.setdefault(key, time.monotonic())
    if time.monotonic() - first < REPAIR_AFTER or not _repair_lock.acquire(blocking=False):
        return

    def repair() -> None:
        try:
            from hub.scoring.store import rescore_stale
            done = rescore_stale(engine)
            if done is not None:
                log.warning("stale scores repaired by the app: %s", done)
        except Exception:
            log.exception("repairing stale scores failed")
        finally:
            _stale_since.pop(key, None)
            _repair_lock.release()

    threading.Thread(target=repair, name="hub-score-repair", daemon=True).start()


@st.cache_data(show_spinner=False, max_entries=512, ttl=3600)
def _run(module: str, name: str, scope: tuple, filters: tuple[tuple[str, Any], ...],
         version: tuple[str, int], _viewer: Viewer):
    import importlib
    fn = getattr(importlib.import_module(module), name)
    return fn(_viewer, **dict(filters))


def scope_key(viewer: Viewer) -> tuple:
    """What a query's rows may depend on: the role, the mayor's city and the donor accounts' donors
    (``hub.queries.scope``). Not the user name, language or display name, so every hub user shares
    one computation per data version (``tests/unit/queries/test_unknown_role.py`` holds every query to that)."""
    return (viewer.role, viewer.municipality_code, viewer.donors)


def cached_query(fn: Callable, viewer: Viewer, **filters):
    """Call ``fn(viewer, **filters)`` through st.cache_data, keyed on the viewer's scope, the
    filters and the data version."""
    items = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in filters.items()))
    return _run(fn.__module__, fn.__name__, scope_key(viewer), items, data_version(), viewer)


def clear_caches() -> None:
    st.cache_data.clear()
