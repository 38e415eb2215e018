"""Help-desk charts: requests by group, time to resolve, backlog over time."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hub.charts.base import PALETTE, localise, measure_colour, style, text, texts
from hub.i18n import t


def by_group(df: pd.DataFrame, labels: list[str], lang: str, group_title: str) -> go.Figure:
    """Stacked bars: resolved and still-open requests per group."""
    fig = go.Figure()
    # Horizontal: topic names read on the axis instead of overlapping under the bars.
    fig.add_bar(name=text(t("helpdesk.measure.resolved", lang)), y=texts(labels), x=df["requests"] - df["open"],
                orientation="h", marker_color=measure_colour("resolved"))
    fig.add_bar(name=text(t("helpdesk.measure.open", lang)), y=texts(labels), x=df["open"], orientation="h",
                marker_color=measure_colour("open"))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", automargin=True)
    localise(fig, lang)
    return style(fig, t("helpdesk.chart.by_group", lang, group=group_title), t("helpdesk.axis.requests", lang),
                 None, height=max(300, 34 * len(labels) + 140))


def resolution(df: pd.DataFrame, lang: str) -> go.Figure:
    """Histogram of days to resolve, from the (days, requests) distribution."""
    fig = go.Figure(go.Bar(x=df["days"], y=df["requests"], marker_color=PALETTE[0],
                           hovertemplate="%{x}: %{y}<extra></extra>"))
    localise(fig, lang)
    return style(fig, t("helpdesk.chart.resolution", lang), t("helpdesk.axis.days", lang),
                 t("helpdesk.axis.requests", lang))


def backlog(df: pd.DataFrame, lang: str) -> go.Figure:
    """Requests open at each month's end, with monthly openings as bars."""
    fig = go.Figure()
    fig.add_bar(x=df["month"], y=df["opened"], name=text(t("helpdesk.measure.opened", lang)),
                marker_color=PALETTE[6], opacity=0.6)
    fig.add_scatter(x=df["month"], y=df["open_at_month_end"], mode="lines+markers",
                    name=text(t("helpdesk.measure.open_at_month_end", lang)), line={"color": PALETTE[1]})
    localise(fig, lang)
    return style(fig, t("helpdesk.chart.backlog", lang), t("helpdesk.axis.month", lang),
                 t("helpdesk.axis.requests", lang))
