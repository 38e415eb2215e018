"""Headline figures: a row (or rows) of ``st.metric`` from one row of a query's headline frame.

    ui.metrics(head.iloc[0], [
        ui.Figure("events", ui.t("events.metric.events")),
        ui.Figure("approved_eur", ui.t("fund.metric.approved"), "money"),
        ui.Figure("absorption", ui.t("fund.metric.absorption"), "percent", 1, help=ui.t("fund.help.absorption")),
    ], columns=3)

Each figure is written the UI language's way (``hub.i18n``: ``number``, ``money`` in EUR, ``percent`` of a
share), "—" when missing.
"""
from __future__ import annotations

from typing import Iterable, Mapping, NamedTuple

import pandas as pd
import streamlit as st

from hub import i18n
from ui.session import lang as _lang


class Figure(NamedTuple):
    column: str                 # the value's column (key) in the row
    label: str                  # already translated
    kind: str = "number"        # number | money | percent (a share: 0.25 -> 25 %)
    decimals: int = 0
    help: str | None = None


def figure_text(value, kind: str, lang: str, decimals: int = 0) -> str:
    """One headline figure as text ("—" when missing)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        value = None
    if kind == "money":
        return i18n.fmt_money(value, lang, decimals=decimals)
    if kind == "percent":
        return i18n.fmt_percent(value, lang, decimals)
    return i18n.fmt_number(value, lang, decimals)


def metrics(row: Mapping, figures: Iterable[Figure | None], *, columns: int | None = None) -> None:
    """``st.metric`` per figure (a ``None`` in the list is skipped: a figure only some viewers get),
    ``columns`` to a row (default: all in one row); the value of each is ``row[figure.column]``
    (a Series or a dict; a missing key reads "—")."""
    shown = [f for f in figures if f is not None]
    if not shown:
        return
    per_row = columns or len(shown)
    cells = [cell for _ in range(0, len(shown), per_row) for cell in st.columns(per_row)]
    lang = _lang()
    for cell, f in zip(cells, shown):
        cell.metric(f.label, figure_text(row.get(f.column), f.kind, lang, f.decimals), help=f.help)
