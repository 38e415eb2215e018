"""Help-desk charts: requests by group, time to resolve, backlog over time."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hub.charts.base import PALETTE, style, text, texts
from hub.i18n import t


def by_group(df: pd.DataFrame, labels: list[str], lang: str, group_title: str) -> go.Figure:
    """Stacked bars: resolved and still-open requests per group."""
    fig = go.Figure()
    labels = texts(labels)
    fig.add_bar(name=text(t("helpdesk.measure.resolved", lang)), x=labels, y=df["requests"] - df["open"],
                marker_color=PALETTE[2])
    fig.add_bar(name=text(t("helpdesk.measure.open", lang)), x=labels, y=df["open"], marker_color=PALETTE[1])
    fig.update_layout(barmode="stack")
    return style(fig, t("helpdesk.chart.by_group", lang, group=group_title), group_title,
                 t("helpdesk.axis.requests", lang))


def resolution(df: pd.DataFrame, lang: str) -> go.Figure:
    """Histogram of days to resolve, from the (days, requests) distribution."""
    fig = go.Figure(go.Bar(x=df["days"], y=df["requests"], marker_color=PALETTE[0],
                           hovertemplate="%{x}: %{y}<extra></extra>"))
    return style(fig, t("helpdesk.chart.resolution", lang), t("helpdesk.axis.days", lang),
                 t("helpdesk.axis.requests", lang))


def backlog(df: pd.DataFrame, lang: str) -> go.Figure:
    """Requests open at each month's end, with monthly openings as bars."""
    fig = go.Figure()
    fig.add_bar(x=df["month"], y=df["opened"], name=text(t("helpdesk.measure.opened", lang)),
                marker_color=PALETTE[6], opacity=0.6)
    fig.add_scatter(x=df["month"], y=df["open_at_month_end"], mode="lines+markers",
                    name=text(t("helpdesk.measure.open_at_month_end", lang)), line={"color": PALETTE[1]})
    return style(fig, t("helpdesk.chart.backlog", lang), t("helpdesk.axis.month", lang),
                 t("helpdesk.axis.requests", lang))
