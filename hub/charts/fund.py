"""Technical Support Fund charts: pipeline, amounts by group, commitments vs disbursements."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hub.charts.base import PALETTE, style, text, texts
from hub.i18n import t


def pipeline(df: pd.DataFrame, lang: str) -> go.Figure:
    """Horizontal bars: applications per status, in pipeline order."""
    labels = texts(t(f"fund.status.{s}", lang) for s in df["status"])
    fig = go.Figure(go.Bar(x=df["applications"], y=labels, orientation="h", marker_color=PALETTE[0],
                           text=df["applications"], textposition="auto",
                           hovertemplate="%{y}: %{x}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    return style(fig, t("fund.chart.pipeline", lang), t("fund.axis.applications", lang), None)


def amounts(df: pd.DataFrame, labels: list[str], lang: str, group_title: str) -> go.Figure:
    """Grouped bars: requested, approved and disbursed euros per group."""
    fig = go.Figure()
    for i, col in enumerate(("requested_eur", "approved_eur", "disbursed_eur")):
        name = text(t(f"fund.measure.{col}", lang))
        fig.add_bar(name=name, x=texts(labels), y=df[col], marker_color=PALETTE[i],
                    hovertemplate="%{x}: %{y:,.0f} EUR<extra>" + name + "</extra>")
    fig.update_layout(barmode="group")
    return style(fig, t("fund.chart.amounts", lang, group=group_title), group_title, t("fund.axis.eur", lang))


def commitments(df: pd.DataFrame, lang: str) -> go.Figure:
    """Cumulative committed and disbursed euros by month."""
    fig = go.Figure()
    fig.add_scatter(x=df["month"], y=df["committed_cum"], mode="lines", name=text(t("fund.measure.committed_cum", lang)),
                    line={"color": PALETTE[0], "shape": "hv"})
    fig.add_scatter(x=df["month"], y=df["disbursed_cum"], mode="lines", name=text(t("fund.measure.disbursed_cum", lang)),
                    line={"color": PALETTE[2], "shape": "hv"})
    return style(fig, t("fund.chart.commitments", lang), t("fund.axis.month", lang), t("fund.axis.eur", lang))


def progress(df: pd.DataFrame, labels: list[str], lang: str) -> go.Figure:
    """Progress towards target (0 % = baseline, 100 % = target) per result."""
    fig = go.Figure(go.Bar(x=df["progress"] * 100, y=texts(labels), orientation="h", marker_color=PALETTE[1],
                           hovertemplate="%{y}: %{x:.0f} %<extra></extra>"))
    fig.add_vline(x=100, line_dash="dash", line_color="#555")
    return style(fig, t("fund.chart.progress", lang), t("fund.axis.progress", lang), None,
                 height=max(300, 28 * len(df) + 120))
