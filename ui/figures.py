"""Headline figures: a row (or rows) of ``st.metric`` from one row of a query's headline frame.

    ui.metrics(head.iloc[0], [
        ui.Figure("events", ui.t("events.metric.events")),
        ui.Figure("approved_eur", ui.t("fund.metric.approved"), "money"),
        ui.Figure("absorption", ui.t("fund.metric.absorption"), "percent", 1, help=ui.t("fund.help.absorption")),
    ], columns=3)

Each figure is written the UI language's way (``hub.i18n``: ``number``, ``money`` in EUR, ``percent`` of a
share), "—" when missing. A row holds no more figures than fit whole (``per_row``): Streamlit cuts a
label or value that does not fit with "…" (seen: "Pjesa e të rinjve në popullsi …" five to a row).
"""
from __future__ import annotations

import math
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


# Measured in Chromium: the main column of the wide layout beside the sidebar on a 1280 px screen, what
# a metric's label (~6.7 px) and value (~15.3 px) take per character (a little more here, for wide
# letters), the gap between columns and a help icon: the room a figure needs.
ROW_PX, LABEL_CHAR_PX, VALUE_CHAR_PX, GAP_PX, HELP_PX = 820, 6.8, 16.0, 16, 22


def per_row(cells: list[tuple[str, str, bool]], columns: int | None = None) -> int:
    """How many figures to a row: at most ``columns`` (default all), fewer when the longest label or
    value (``cells``: label, value text, has help) would be cut short; rows as even as possible
    (five that fit three to a row: three and two)."""
    if not cells:
        return 1
    wanted = min(columns or len(cells), len(cells))
    need = max(max(len(label) * LABEL_CHAR_PX + (HELP_PX if has_help else 0), len(value) * VALUE_CHAR_PX)
               for label, value, has_help in cells)
    fit = max(1, int((ROW_PX + GAP_PX) // (need + GAP_PX)))
    if fit >= wanted:
        return wanted
    return math.ceil(len(cells) / math.ceil(len(cells) / fit))


def metrics(row: Mapping, figures: Iterable[Figure | None], *, columns: int | None = None) -> None:
    """``st.metric`` per figure (a ``None`` in the list is skipped: a figure only some viewers get),
    up to ``columns`` to a row (default: all in one row) as long as each fits whole (``per_row``); the value of each is ``row[figure.column]``
    (a Series or a dict; a missing key reads "—")."""
    shown = [f for f in figures if f is not None]
    if not shown:
        return
    lang = _lang()
    values = [figure_text(row.get(f.column), f.kind, lang, f.decimals) for f in shown]
    size = per_row([(f.label, v, bool(f.help)) for f, v in zip(shown, values)], columns)
    cells = [cell for _ in range(0, len(shown), size) for cell in st.columns(size)]
    for cell, f, value in zip(cells, shown, values):
        cell.metric(f.label, value, help=f.help)
