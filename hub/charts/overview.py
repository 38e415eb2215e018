"""Regional overview charts: economies side by side, change since the previous period and the
need-versus-support quadrant."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hub.charts.base import PALETTE, style, text, texts
from hub.i18n import t

LABEL_LIMIT = 25   # more names than this would cover the chart; the table lists them all


def economies_fund(df: pd.DataFrame, labels: list[str], lang: str) -> go.Figure:
    """Grouped bars per economy: fund approved (committed) and disbursed, EUR."""
    fig = go.Figure()
    for i, col in enumerate(("fund_approved_eur", "fund_disbursed_eur")):
        name = text(t(f"overview.col.{col}", lang))
        fig.add_bar(name=name, x=texts(labels), y=df[col], marker_color=PALETTE[i],
                    hovertemplate="%{x}: %{y:,.0f} EUR<extra>" + name + "</extra>")
    fig.update_layout(barmode="group")
    return style(fig, t("overview.chart.economies_fund", lang), t("overview.axis.economy", lang),
                 t("overview.axis.eur", lang))


def changes(df: pd.DataFrame, names: list[str], lang: str) -> go.Figure:
    """Horizontal bars of the change in need index (points on 0..100), rises red, falls blue."""
    colors = [PALETTE[3] if d > 0 else PALETTE[0] for d in df["delta"]]
    fig = go.Figure(go.Bar(x=df["delta"], y=texts(names), orientation="h", marker_color=colors,
                           hovertemplate="%{y}: %{x:+.1f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", type="category")
    return style(fig, t("overview.chart.changes", lang), t("overview.axis.delta", lang), None,
                 height=max(280, 26 * len(df) + 120))


def quadrant(df: pd.DataFrame, names: list[str], lang: str) -> go.Figure:
    """Need percentile (y) against support percentile (x); the top-left quarter is underserved."""
    under = df["need_pct"].ge(50) & df["support_pct"].lt(50)
    fig = go.Figure()
    for flag, color, key in ((True, PALETTE[3], "overview.legend.underserved"),
                             (False, PALETTE[0], "overview.legend.others")):
        part = df[under == flag]
        labelled = flag and len(part) <= LABEL_LIMIT   # name the underserved cities on the chart
        fig.add_scatter(
            x=part["support_pct"], y=part["need_pct"], mode="markers+text" if labelled else "markers",
            name=text(t(key, lang)), marker={"color": color, "size": 10, "opacity": 0.8},
            textposition="top center", textfont={"size": 10},
            text=texts(n for n, keep in zip(names, under == flag) if keep),
            hovertemplate="%{text}<br>" + text(t("overview.axis.support_pct", lang)) + ": %{x:.0f}<br>"
                          + text(t("overview.axis.need_pct", lang)) + ": %{y:.0f}<extra></extra>")
    fig.add_hline(y=50, line_dash="dot", line_color="#888")
    fig.add_vline(x=50, line_dash="dot", line_color="#888")
    fig.add_annotation(x=2, y=98, xanchor="left", showarrow=False, text=text(t("overview.legend.underserved", lang)),
                       font={"color": PALETTE[3]})
    fig.update_xaxes(range=[0, 102])
    fig.update_yaxes(range=[0, 102])
    return style(fig, t("overview.chart.quadrant", lang), t("overview.axis.support_pct", lang),
                 t("overview.axis.need_pct", lang), height=460)
