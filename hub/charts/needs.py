"""Needs and priorities charts: heat map of cities × dimensions, priority themes, rank shifts.
Also the translated names of dimensions and themes, which the overview uses as well."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hub.charts.base import NEED_SCALE, PALETTE, localise, signed_bars, style, text, texts
from hub.i18n import has_key, t


def dimension_label(code: str, lang: str) -> str:
    key = f"needs.dimension.{code}"
    return t(key, lang) if has_key(key, "en") else code.replace("_", " ")


def theme_label(code: str, lang: str) -> str:
    key = f"needs.theme.{code}"
    return t(key, lang) if has_key(key, "en") else code.replace("_", " ")


def heatmap(df: pd.DataFrame, dims: list[str], names: list[str], lang: str) -> go.Figure:
    """Cities (rows, in the order given) × dimensions, coloured by score on 0..100."""
    z = df[dims].astype(float).to_numpy()
    x = texts(dimension_label(d, lang) for d in dims)
    fig = go.Figure(go.Heatmap(
        z=z, x=x, y=texts(names), colorscale=NEED_SCALE, zmin=0, zmax=100,
        colorbar={"title": {"text": text(t("needs.axis.score", lang))}},
        hovertemplate="%{y} · %{x}: %{z:.1f}<extra></extra>", xgap=1, ygap=1))
    fig.update_yaxes(autorange="reversed", type="category")
    localise(fig, lang)
    return style(fig, t("needs.chart.heatmap", lang), t("needs.axis.dimension", lang), None,
                 height=max(320, 22 * len(names) + 140))


def theme_firsts(df: pd.DataFrame, lang: str) -> go.Figure:
    """Horizontal bars: cities putting each theme first (stated) and with it as top priority score."""
    labels = texts(theme_label(x, lang) for x in df["theme"])
    fig = go.Figure()
    for i, col in enumerate(("stated_first", "scored_first")):
        name = text(t(f"needs.col.{col}", lang))
        fig.add_bar(name=name, y=labels, x=df[col], orientation="h", marker_color=PALETTE[i],
                    hovertemplate="%{y}: %{x}<extra>" + name + "</extra>")
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    localise(fig, lang)
    return style(fig, t("needs.chart.themes", lang), t("needs.axis.cities", lang), None,
                 height=max(300, 60 * len(df) + 120))


def city_priorities(df: pd.DataFrame, lang: str, city: str) -> go.Figure:
    """Priority score per theme for one city (0..100)."""
    labels = texts(theme_label(x, lang) for x in df["theme"])
    fig = go.Figure(go.Bar(x=df["score"], y=labels, orientation="h", marker_color=PALETTE[2],
                           hovertemplate="%{y}: %{x:.1f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 100])
    localise(fig, lang)
    return style(fig, t("needs.chart.city_priorities", lang, city=city), t("needs.axis.priority", lang), None,
                 height=max(260, 40 * len(df) + 120))


def movers(df: pd.DataFrame, names: list[str], lang: str) -> go.Figure:
    """Rank shift under the what-if weights (positive = moves up the need ranking)."""
    return signed_bars(df["shift"], names, lang, hover="%{x:+d}", title=t("needs.chart.movers", lang),
                       x_title=t("needs.axis.shift", lang), min_height=260)
