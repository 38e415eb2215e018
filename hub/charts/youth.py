"""Youth engagement charts: economies side by side, trends, council vs no council."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hub.charts.base import PALETTE, localise, style, text, texts
from hub.display import fmt_value
from hub.i18n import t


def economies(df: pd.DataFrame, labels: list[str], indicator_label: str, lang: str, percent: bool = False) -> go.Figure:
    """One bar per economy: the average of one indicator (share of cities for the council)."""
    y = df["mean"] * (100 if percent else 1)
    fig = go.Figure(go.Bar(x=texts(labels), y=y, marker_color=PALETTE[0], text=[fmt_value(v, lang, "score") for v in y],
                           textposition="auto", customdata=df["cities"],
                           hovertemplate="%{x}: %{y:.1f}<extra>%{customdata}</extra>"))
    localise(fig, lang)
    return style(fig, t("youth.chart.economies", lang, indicator=indicator_label), t("youth.axis.economy", lang),
                 indicator_label)


def trend(df: pd.DataFrame, series_label, indicator_label: str, lang: str, percent: bool = False) -> go.Figure:
    """Average of one indicator per period, one line per series (the region or an economy). The title
    names the indicator and its unit, so the y axis has no title of its own: on a phone, where the
    legend of seven series takes rows of the height, a wrapped indicator name ran up into the title."""
    fig = go.Figure()
    for i, (key, part) in enumerate(df.groupby("series", sort=False)):
        fig.add_scatter(x=part["period"].astype(str), y=part["mean"] * (100 if percent else 1), mode="lines+markers",
                        name=text(series_label(key)), line={"color": PALETTE[i % len(PALETTE)]})
    fig.update_xaxes(type="category")
    localise(fig, lang)
    series = df["series"].nunique()
    return style(fig, t("youth.chart.trend", lang, indicator=indicator_label), t("youth.axis.period", lang),
                 None, height=380 + 20 * max(0, series - 3))


def council(df: pd.DataFrame, indicator_label, lang: str) -> go.Figure:
    """Average of each other youth indicator in cities with and without a youth council."""
    fig = go.Figure()
    for i, (has, name) in enumerate(((True, t("youth.with_council", lang)), (False, t("youth.without_council", lang)))):
        part = df[df["has_council"] == has]
        # Horizontal: long indicator names read on the axis instead of overlapping under the bars.
        fig.add_bar(y=texts(indicator_label(c) for c in part["indicator_code"]), x=part["mean"], name=text(name),
                    orientation="h", marker_color=PALETTE[i], customdata=part["cities"],
                    hovertemplate="%{y}: %{x:.1f}<extra>%{customdata}</extra>")
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed", automargin=True)
    localise(fig, lang)
    return style(fig, t("youth.chart.council", lang), t("youth.axis.average", lang), None,
                 height=max(320, 60 * df["indicator_code"].nunique() + 140))
