"""Cached query wrappers: every read goes through ``cached_query(fn, viewer, **filters)``.

The cache key is the query function, the viewer (a frozen dataclass) and the
filters, so one viewer's rows never answer another's. ``clear_caches()`` runs when
a load lands.
"""
from __future__ import annotations

from typing import Any, Callable

import streamlit as st

from hub.access import Viewer


@st.cache_data(show_spinner=False, max_entries=512, ttl=3600)
def _run(module: str, name: str, viewer: Viewer, filters: tuple[tuple[str, Any], ...]):
    import importlib
    fn = getattr(importlib.import_module(module), name)
    return fn(viewer, **dict(filters))


def cached_query(fn: Callable, viewer: Viewer, **filters):
    """Call ``fn(viewer, **filters)`` through st.cache_data."""
    items = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in filters.items()))
    return _run(fn.__module__, fn.__name__, viewer, items)


def clear_caches() -> None:
    st.cache_data.clear()
