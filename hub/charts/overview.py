"""Regional overview charts: economies side by side, change since the previous period and the
need-versus-support quadrant."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hub.charts.base import PALETTE, localise, measure_colour, signed_bars, style, text, texts
from hub.i18n import t

LABEL_LIMIT = 25   # more names than this would cover the chart; the table lists them all


def economies_fund(df: pd.DataFrame, labels: list[str], lang: str) -> go.Figure:
    """Grouped bars per economy: fund approved (committed) and disbursed, EUR."""
    fig = go.Figure()
    for i, col in enumerate(("fund_approved_eur", "fund_disbursed_eur")):
        name = text(t(f"overview.col.{col}", lang))
        fig.add_bar(name=name, x=texts(labels), y=df[col], marker_color=measure_colour(col),
                    hovertemplate="%{x}: %{y:,.0f} EUR<extra>" + name + "</extra>")
    fig.update_layout(barmode="group")
    localise(fig, lang)
    return style(fig, t("overview.chart.economies_fund", lang), t("overview.axis.economy", lang),
                 t("overview.axis.eur", lang))


def changes(df: pd.DataFrame, names: list[str], lang: str) -> go.Figure:
    """Horizontal bars of the change in need index (points on 0..100), rises red, falls blue."""
    return signed_bars(df["delta"], names, lang, hover="%{x:+.1f}", title=t("overview.chart.changes", lang),
                       x_title=t("overview.axis.delta", lang), min_height=280)


QUADRANT_LABELS = 6   # the most underserved cities named on the chart (the table lists them all)


def quadrant_labels(df: pd.DataFrame, n: int = QUADRANT_LABELS) -> list[int]:
    """Row positions to name on the quadrant: the highest-need city and the ``n`` most underserved
    (largest need-minus-support gap in the top-left quarter); everyone else is named on hover."""
    if not len(df):
        return []
    d = df.reset_index(drop=True)
    keep = [int(d["need_pct"].astype(float).idxmax())]
    under = d[d["need_pct"].ge(50) & d["support_pct"].lt(50)]
    gap = (under["need_pct"] - under["support_pct"]).sort_values(ascending=False)
    keep += [int(i) for i in gap.index if int(i) not in keep][:n]
    return keep


def _label_positions(df: pd.DataFrame, rows: list[int]) -> dict[int, str]:
    """Above, or below when another named point sits close above it, so names do not overlap."""
    d = df.reset_index(drop=True)
    pos: dict[int, str] = {}
    placed: list[tuple[float, float, str]] = []
    for i in sorted(rows, key=lambda r: -float(d.at[r, "need_pct"])):
        x, y = float(d.at[i, "support_pct"]), float(d.at[i, "need_pct"])
        near = [p for px, py, p in placed if abs(px - x) < 14 and abs(py - y) < 6]
        pos[i] = "bottom center" if "top center" in near else "top center"
        if len(near) >= 2:
            pos[i] = "middle right"
        placed.append((x, y, pos[i]))
    return pos


def quadrant(df: pd.DataFrame, names: list[str], lang: str) -> go.Figure:
    """Need percentile (y) against support percentile (x); the top-left quarter is underserved.
    The highest-need city and the most underserved are named; the rest on hover."""
    d = df.reset_index(drop=True)
    under = d["need_pct"].ge(50) & d["support_pct"].lt(50)
    named = _label_positions(d, quadrant_labels(d))
    fig = go.Figure()
    for flag, color, key in ((True, PALETTE[3], "overview.legend.underserved"),
                             (False, PALETTE[0], "overview.legend.others")):
        part = d[under == flag]
        fig.add_scatter(
            x=part["support_pct"], y=part["need_pct"], mode="markers+text",
            name=text(t(key, lang)), marker={"color": color, "size": 10, "opacity": 0.8},
            textposition=[named.get(i, "top center") for i in part.index], textfont={"size": 11},
            text=[text(names[i]) if i in named else "" for i in part.index],
            customdata=[text(names[i]) for i in part.index],
            hovertemplate="%{customdata}<br>" + text(t("overview.axis.support_pct", lang)) + ": %{x:.0f}<br>"
                          + text(t("overview.axis.need_pct", lang)) + ": %{y:.0f}<extra></extra>")
    fig.add_hline(y=50, line_dash="dot", line_color="#888")
    fig.add_vline(x=50, line_dash="dot", line_color="#888")
    fig.add_annotation(x=2, y=98, xanchor="left", showarrow=False, text=text(t("overview.legend.underserved", lang)),
                       font={"color": PALETTE[3]})
    fig.update_xaxes(range=[0, 102])
    fig.update_yaxes(range=[0, 102])
    localise(fig, lang)
    return style(fig, t("overview.chart.quadrant", lang), t("overview.axis.support_pct", lang),
                 t("overview.axis.need_pct", lang), height=460)
