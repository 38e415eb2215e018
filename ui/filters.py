"""Sidebar filters that live in the URL, so any view can be shared as a link and restored.

Each filter reads its initial value from ``st.query_params[key]`` and writes the
current value back, e.g. ``/needs?country=MK&period=2025``.

``sidebar(title, options, fields)``: the filter sidebar of a page whose query offers its choices in a
``filter_options`` frame (events, help desk, fund): one multiselect per field, the chosen filters back.
"""
from __future__ import annotations

from typing import Callable, Sequence

import pandas as pd
import streamlit as st

ALL = "__all__"


def _widget_key(key: str) -> str:
    """The widget's key: ``f-<key>``, with the language in it outside English, so a language switch
    draws the options afresh (with a fixed key the browser kept the old language's labels until a
    reload); the value itself lives in the URL, so nothing is lost."""
    from ui.session import lang
    current = lang()
    return f"f-{key}" if current == "en" else f"f-{key}-{current}"


def _sync(key: str, value: str | None) -> None:
    if value in (None, "", ALL):
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def select(key: str, label: str, options: Sequence[str], *, default: str | None = None,
           format_func: Callable[[str], str] = str, all_label: str | None = None,
           sidebar: bool = True) -> str | None:
    """A selectbox bound to ``?key=``. With ``all_label`` an "all" choice comes first and
    selecting it returns None."""
    opts = list(options)
    if all_label is not None:
        opts = [ALL] + opts
    wanted = st.query_params.get(key, default)
    if wanted not in opts:
        wanted = default if default in opts else (opts[0] if opts else None)
    if not opts:
        return None
    container = st.sidebar if sidebar else st
    fmt = (lambda v: all_label if v == ALL else format_func(v)) if all_label is not None else format_func
    value = container.selectbox(label, opts, index=opts.index(wanted), format_func=fmt, key=_widget_key(key))
    _sync(key, value)
    return None if value == ALL else value


def multiselect(key: str, label: str, options: Sequence[str], *, format_func: Callable[[str], str] = str,
                sidebar: bool = True) -> list[str]:
    """A multiselect bound to ``?key=a,b``; empty means no restriction."""
    opts = list(options)
    raw = st.query_params.get(key, "")
    wanted = [v for v in raw.split(",") if v in opts] if raw else []
    container = st.sidebar if sidebar else st
    from ui.session import t
    # Empty means no restriction: say so in the UI language (Streamlit's own placeholder is English).
    value = container.multiselect(label, opts, default=wanted, format_func=format_func, key=_widget_key(key),
                                  placeholder=t("common.filter_all"))
    _sync(key, ",".join(value) if value else None)
    return value


def text(key: str, label: str, *, help: str | None = None, sidebar: bool = True) -> str:
    """A text input bound to ``?key=`` (e.g. a search), trimmed; "" when empty."""
    container = st.sidebar if sidebar else st
    value = container.text_input(label, value=st.query_params.get(key, ""), key=f"f-{key}", help=help)
    _sync(key, value.strip() or None)
    return value.strip()


def options_of(options: pd.DataFrame, kind: str) -> list[str]:
    """The values of one ``kind`` in a query's ``filter_options`` frame (columns ``kind``, ``value``)."""
    return options.loc[options["kind"] == kind, "value"].tolist()


def multiselects(options: pd.DataFrame, fields: Sequence[tuple]) -> dict[str, list[str]]:
    """One sidebar multiselect per field ``(name, key, label[, format_func[, kind]])``: bound to ``?key=``,
    over the values of ``kind`` (default: ``key``) in ``options``. Returns each field's choice by ``name``
    (the query's filter argument), empty where nothing is chosen."""
    chosen = {}
    for name, key, label, *rest in fields:
        format_func = rest[0] if rest and rest[0] is not None else str
        kind = rest[1] if len(rest) > 1 else key
        chosen[name] = multiselect(key, label, options_of(options, kind), format_func=format_func)
    return chosen


def sidebar(title: str, options: pd.DataFrame, fields: Sequence[tuple]) -> dict[str, list[str]]:
    """A page's filter sidebar: ``title`` as its header, then ``multiselects(options, fields)``. Returns
    the filters chosen (fields left empty are left out), to pass to the page's queries as they are."""
    st.sidebar.header(title)
    return {name: value for name, value in multiselects(options, fields).items() if value}
