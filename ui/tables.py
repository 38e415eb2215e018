"""Every table on every page: ``ui.table(df, kinds={...})``, long ones a page at a time.

Numbers read as the UI language writes them (``hub.display.format_frame``: Babel's separators and
currency pattern, the same decimals per kind of figure), figures right-aligned, dates in the
language's day-month-year order (still sortable), missing cells "—", yes/no as words.
Streamlit's own ``localized`` number format follows the browser, not the app's language, so it is
not used. Downloads take the raw frame (``ui.download_buttons(df, ...)``), never this one.

``page="<key>"``: a table longer than ``PAGE_SIZE`` rows reaches the browser one page at a time, with
a page picker bound to ``?<key>_page=`` (a shared link opens the same page) and a caption saying
which rows are shown; the picker reruns only the table (``st.fragment``). Measured (bench/notes.md):
the fund results (3,904 rows) were ~0.5 MB of Arrow on every load of the fund page, the events
table (2,000 rows) ~0.29 MB. Only the rows shown are formatted; with ``rows=`` (a function from raw
rows to the shown frame) only the rows shown are built at all (the overview's action list: 15,413
items at 100x were 3.6 MB of Arrow and 0.7 s of sentences on every run).
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from hub import display, i18n
from ui import filters
from ui.session import lang as _lang
from ui.session import t

PAGE_SIZE = 100


def _column_config(kinds: dict[str, str], lang: str, extra: dict | None = None) -> dict:
    cfg: dict = {}
    for col, kind in kinds.items():
        if display.numeric_like(kind):
            cfg[col] = st.column_config.TextColumn(alignment="right")
        elif kind in display.DATE_SKELETONS:      # a date or a month, still sortable
            cfg[col] = st.column_config.DateColumn(format=display.date_pattern(lang, display.DATE_SKELETONS[kind]))
    for col, c in (extra or {}).items():     # the caller's settings (widths, help) win
        cfg[col] = c
    return cfg


def table(df: pd.DataFrame, kinds: dict[str, str] | None = None, *, labels=None,
          column_config: dict | None = None, hide_index: bool = True, width="stretch",
          page: str | None = None, page_size: int = PAGE_SIZE, rows=None, **kwargs):
    """``st.dataframe`` of ``df`` formatted for the UI language. ``kinds`` names the kind of any column
    whose kind cannot be told from its code name or values (``money``, ``percent``, ``score``,
    ``year``...; see ``hub.display``). ``labels`` (a dict or a function of the column code) renames
    the columns for display after their kinds are known from the codes. ``page`` (a URL key) shows a
    long table ``page_size`` rows at a time. ``rows``: a function of some rows of ``df`` giving the
    frame to show (its kinds then come from the rows shown), applied to the page shown only."""
    options = dict(labels=labels, column_config=column_config, hide_index=hide_index, width=width, **kwargs)
    if rows is None:
        all_kinds = display.column_kinds(df, kinds)      # from the whole table, not one page of it

        def build(part):
            return part, all_kinds
    else:
        def build(part):                                 # kinds from the rows built and shown
            shown = rows(part)
            return shown, display.column_kinds(shown, kinds)
    if page and len(df) > page_size:
        return _paged(df, build, page, page_size, options)
    return _draw(*build(df), **options)


def _draw(df: pd.DataFrame, all_kinds: dict[str, str], *, labels=None, column_config=None, **kwargs):
    lang = _lang()
    shown = display.format_frame(df, lang, all_kinds)
    if labels is not None:
        rename = labels if callable(labels) else (lambda c: labels.get(c, c))
        all_kinds = {rename(c): k for c, k in all_kinds.items()}
        shown.columns = [rename(c) for c in shown.columns]
    return st.dataframe(shown, placeholder=display.DASH,
                        column_config=_column_config(all_kinds, lang, column_config), **kwargs)


@st.fragment
def _paged(df: pd.DataFrame, build, key: str, page_size: int, options: dict) -> None:
    """One page of ``df``: ``build(part)`` gives the frame shown and its kinds."""
    pages = -(-len(df) // page_size)
    page = int(filters.select(f"{key}_page", t("tables.page", pages=pages), [str(p) for p in range(1, pages + 1)],
                              default="1", sidebar=False) or 1)
    first = (page - 1) * page_size
    part = df.iloc[first:first + page_size]
    _draw(*build(part), **options)
    language = _lang()
    st.caption(t("tables.showing", first=i18n.fmt_number(first + 1, language),
                 last=i18n.fmt_number(first + len(part), language), total=i18n.fmt_number(len(df), language)))
