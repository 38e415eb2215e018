"""Every table on every page: ``ui.table(df, kinds={...})``.

Numbers read as the UI language writes them (``hub.display.format_frame``: Babel's separators and
currency pattern, the same decimals per kind of figure), figures right-aligned, dates in the
language's day-month-year order (still sortable), missing cells "—", yes/no as words.
Streamlit's own ``localized`` number format follows the browser, not the app's language, so it is
not used. Downloads take the raw frame (``ui.download_buttons(df, ...)``), never this one.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from hub import display
from ui.session import lang as _lang


def _column_config(kinds: dict[str, str], lang: str, extra: dict | None = None) -> dict:
    cfg: dict = {}
    for col, kind in kinds.items():
        if display.numeric_like(kind):
            cfg[col] = st.column_config.TextColumn(alignment="right")
        elif kind == "date":
            cfg[col] = st.column_config.DateColumn(format=display.date_pattern(lang))
    for col, c in (extra or {}).items():     # the caller's settings (widths, help) win
        cfg[col] = c
    return cfg


def table(df: pd.DataFrame, kinds: dict[str, str] | None = None, *, labels=None,
          column_config: dict | None = None, hide_index: bool = True, width="stretch", **kwargs):
    """``st.dataframe`` of ``df`` formatted for the UI language. ``kinds`` names the kind of any column
    whose kind cannot be told from its code name or values (``money``, ``percent``, ``score``,
    ``year``...; see ``hub.display``). ``labels`` (a dict or a function of the column code) renames
    the columns for display after their kinds are known from the codes."""
    lang = _lang()
    all_kinds = display.column_kinds(df, kinds)
    shown = display.format_frame(df, lang, all_kinds)
    if labels is not None:
        rename = labels if callable(labels) else (lambda c: labels.get(c, c))
        all_kinds = {rename(c): k for c, k in all_kinds.items()}
        shown.columns = [rename(c) for c in shown.columns]
    return st.dataframe(shown, hide_index=hide_index, width=width, placeholder=display.DASH,
                        column_config=_column_config(all_kinds, lang, column_config), **kwargs)
