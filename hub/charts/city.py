"""City profile charts (Plotly): the city against medians, its trend, what drives its score.

Builders take the frames of ``hub.queries.city`` and the UI language; every title, axis
label and legend entry is translated here.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hub.charts.base import PALETTE, empty_figure, localise, style, text, texts
from hub.i18n import has_key, t

COMPARISONS = ("score", "economy_median", "region_median", "peer_median")


def dimension_label(dim: str, lang: str) -> str:
    return t(f"city.dimension.{dim}", lang)


def indicator_label(code: str, fallback: str | None, lang: str) -> str:
    """The indicator's name in ``lang`` when the catalog has it, else the store's name."""
    key = f"city.indicator.{code}"
    return t(key, lang) if has_key(key, "en") else str(fallback or code)


def scores_vs_medians(df: pd.DataFrame, lang: str, city_name: str) -> go.Figure:
    """Horizontal bars for the city's index and sub-scores, with the economy, Western Balkans and
    peer-group medians as markers on each bar (no marker where a median is suppressed)."""
    if df is None or df.empty:
        return empty_figure(t("common.no_data", lang))
    d = df.iloc[::-1]
    labels = texts(dimension_label(x, lang) for x in d["dimension"])
    fig = go.Figure()
    fig.add_bar(y=labels, x=d["score"].astype(float), orientation="h", name=text(city_name),
                marker_color=PALETTE[0], hovertemplate="%{y}: %{x:.1f}<extra></extra>")
    for i, (col, symbol) in enumerate((("economy_median", "diamond"), ("region_median", "line-ns"),
                                       ("peer_median", "circle")), 1):
        name = text(t(f"city.compare.{col}", lang))
        fig.add_scatter(y=labels, x=d[col].astype(float), mode="markers", name=name,
                        marker={"symbol": symbol, "size": 12 if symbol != "line-ns" else 18,
                                "color": PALETTE[i], "line": {"width": 3 if symbol == "line-ns" else 1,
                                                              "color": PALETTE[i] if symbol == "line-ns" else "white"}},
                        hovertemplate="%{y}: %{x:.1f}<extra>" + name + "</extra>")
    fig.update_xaxes(range=[0, 100])
    localise(fig, lang)
    return style(fig, t("city.chart.scores_title", lang), t("city.chart.score_axis", lang), None,
                 height=90 + 48 * len(d))


def trend(df: pd.DataFrame, lang: str, city_name: str) -> go.Figure:
    """The city's need index per period, with economy and region medians."""
    if df is None or df.empty:
        return empty_figure(t("common.no_data", lang))
    fig = go.Figure()
    series = (("score", text(city_name), PALETTE[0], "solid"),
              ("economy_median", text(t("city.compare.economy_median", lang)), PALETTE[1], "dash"),
              ("region_median", text(t("city.compare.region_median", lang)), PALETTE[2], "dot"))
    for col, name, colour, dash in series:
        fig.add_scatter(x=texts(df["period"].astype(str)), y=df[col].astype(float), name=name,
                        mode="lines+markers", line={"color": colour, "dash": dash},
                        hovertemplate="%{x}: %{y:.1f}<extra></extra>")
    fig.update_xaxes(type="category")
    fig.update_yaxes(range=[0, 100])
    localise(fig, lang)
    return style(fig, t("city.chart.trend_title", lang), t("city.chart.period_axis", lang),
                 t("city.chart.score_axis", lang))


def drivers(df: pd.DataFrame, lang: str, top: int = 10) -> go.Figure:
    """Horizontal bars: the indicators that add most points to the city's index."""
    if df is None or df.empty or df["contribution"].dropna().empty:
        return empty_figure(t("common.no_data", lang))
    d = df.dropna(subset=["contribution"]).nlargest(top, "contribution").iloc[::-1]
    names = texts(indicator_label(c, n, lang) for c, n in zip(d["indicator_code"], d["indicator"]))
    fig = go.Figure(go.Bar(
        x=d["contribution"].astype(float), y=names, orientation="h", marker_color=PALETTE[0],
        customdata=texts(dimension_label(x, lang) for x in d["dimension"]),
        hovertemplate="%{y} (%{customdata}): %{x:.1f}<extra></extra>",
    ))
    localise(fig, lang)
    return style(fig, t("city.chart.drivers_title", lang), t("city.chart.points_axis", lang), None,
                 height=max(300, 40 * len(d) + 100))
