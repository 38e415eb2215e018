""""How does my city compare" charts (Plotly): each indicator's position among member cities as a
band chart, and each dimension's need over time against the peer-group median.

Input: the frames of ``hub.queries.compare`` (aggregates and the city's own values only), so the
figures carry no other city's name or value.
"""
from __future__ import annotations

import math
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from hub.charts.base import PALETTE, empty_figure, style, text
from hub.charts.city import dimension_label, indicator_label
from hub.i18n import fmt_number, t

BAND = "rgba(58, 143, 92, 0.28)"


def _num(x, lang: str, unit) -> str:
    if x is None or (isinstance(x, float) and x != x):
        return "—"
    from hub.display import unit_label
    label = text(unit_label(unit, lang))      # units are data where the catalog has no translation
    return fmt_number(float(x), lang, 1) + (f" {label}" if label else "")


def positions(df: pd.DataFrame, lang: str, city_name: str) -> go.Figure:
    """One row per indicator: the city's position (0 = worst, 100 = best among member cities), the band
    of the peer group's middle half and its median, and the all-city median (50)."""
    d = df.dropna(subset=["position"]) if df is not None and len(df) else df
    if d is None or d.empty:
        return empty_figure(t("common.no_data", lang))
    d = d.sort_values(["domain", "indicator_code"], ascending=False)
    labels = ["<br>".join(textwrap.wrap(text(indicator_label(c, n, lang)), 22))
              for c, n in zip(d["indicator_code"], d["indicator"])]
    lo = d[["peer_q1_position", "peer_q3_position"]].min(axis=1)
    hi = d[["peer_q1_position", "peer_q3_position"]].max(axis=1)
    fig = go.Figure()
    fig.add_bar(y=labels, x=(hi - lo).astype(float), base=lo.astype(float), orientation="h",
                name=t("compare.chart.peer_band", lang), marker_color=BAND, hoverinfo="skip")
    fig.add_scatter(y=labels, x=d["peer_median_position"].astype(float), mode="markers",
                    name=t("compare.chart.peer_median", lang),
                    marker={"symbol": "line-ns", "size": 16, "line": {"width": 3, "color": PALETTE[2]}},
                    hoverinfo="skip")
    hover = [
        f"{t('compare.chart.hover_value', lang)}: {_num(r.value, lang, r.unit)}<br>"
        f"{t('compare.chart.hover_median', lang)}: {_num(r.median, lang, r.unit)}<br>"
        f"{t('compare.chart.hover_quartiles', lang)}: {_num(r.q1, lang, r.unit)} – {_num(r.q3, lang, r.unit)}<br>"
        f"{t('compare.chart.hover_peer_median', lang)}: {_num(r.peer_median, lang, r.unit)}"
        for r in d.itertuples(index=False)]
    fig.add_scatter(y=labels, x=d["position"].astype(float), mode="markers", name=text(city_name),
                    marker={"size": 12, "color": PALETTE[0], "line": {"width": 1, "color": "white"}},
                    customdata=hover, hovertemplate="<b>%{y}</b>: %{x:.0f}<br>%{customdata}<extra></extra>")
    fig.add_vline(x=50, line_dash="dot", line_color="#888888")
    fig.add_scatter(x=[None], y=[None], mode="lines", name=t("compare.chart.median", lang),
                    line={"dash": "dot", "color": "#888888"})
    fig.update_xaxes(range=[0, 100])
    fig.update_yaxes(tickfont={"size": 10})
    fig.update_layout(barmode="overlay", bargap=0.45)
    height = 160 + 40 * len(d)
    fig = style(fig, t("compare.chart.title", lang), t("compare.chart.axis", lang), None, height=height)
    fig.update_layout(legend={"y": -110 / height, "yanchor": "top"}, margin={"b": 40})
    return fig


def dimension_trends(df: pd.DataFrame, lang: str, city_name: str) -> go.Figure:
    """Small multiples: each dimension's need per period for the city, the peer-group median and the
    median of member cities."""
    if df is None or df.empty:
        return empty_figure(t("common.no_data", lang))
    dims = list(dict.fromkeys(df["dimension"]))
    cols = 2
    rows = math.ceil(len(dims) / cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[dimension_label(x, lang) for x in dims],
                        shared_yaxes=True, vertical_spacing=0.12)
    series = (("score", text(city_name), PALETTE[0], "solid"),
              ("peer_median", t("compare.chart.trend_peer", lang), PALETTE[2], "dash"),
              ("region_median", t("compare.chart.trend_region", lang), "#888888", "dot"))
    for i, dim in enumerate(dims):
        d = df[df["dimension"] == dim].sort_values("period")
        for col, name, colour, dash in series:
            fig.add_scatter(x=d["period"].astype(str), y=d[col].astype(float), name=name, legendgroup=col,
                            showlegend=i == 0, mode="lines+markers", line={"color": colour, "dash": dash},
                            hovertemplate=f"{name} %{{x}}: %{{y:.1f}}<extra></extra>",
                            row=i // cols + 1, col=i % cols + 1)
    fig.update_xaxes(type="category")
    fig.update_yaxes(range=[0, 100])
    fig.update_annotations(font_size=12)
    return style(fig, t("compare.chart.trend_title", lang), None, None, height=120 + 190 * rows)
