"""Events charts: participants by role and language, events over time."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hub.charts.base import PALETTE, localise, style, text, texts
from hub.i18n import t


def participants(df: pd.DataFrame, role_label, language_label, lang: str) -> go.Figure:
    """Stacked horizontal bars: people per participant role, one colour per event language."""
    fig = go.Figure()
    totals = df.groupby("role")["participants"].sum().sort_values()
    for i, (language, part) in enumerate(df.groupby("language")):
        part = part.set_index("role").reindex(totals.index).fillna(0)
        fig.add_bar(y=texts(role_label(r) for r in part.index), x=part["participants"], orientation="h",
                    name=text(language_label(language)), marker_color=PALETTE[i % len(PALETTE)])
    fig.update_layout(barmode="stack")
    localise(fig, lang)
    return style(fig, t("events.chart.participants", lang), t("events.axis.people", lang), None,
                 height=max(320, 40 * len(totals) + 140))


def over_time(df: pd.DataFrame, kind_label, lang: str) -> go.Figure:
    """Events per year, one colour per kind."""
    years = pd.to_datetime(df["held_on"]).dt.year.astype(str)
    counts = df.assign(year=years).groupby(["year", "kind"]).size().rename("n").reset_index()
    fig = go.Figure()
    for i, (kind, part) in enumerate(counts.groupby("kind")):
        fig.add_bar(x=part["year"], y=part["n"], name=text(kind_label(kind)), marker_color=PALETTE[i % len(PALETTE)])
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")
    localise(fig, lang)
    return style(fig, t("events.chart.over_time", lang), t("events.axis.year", lang), t("events.axis.events", lang))
