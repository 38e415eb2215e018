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
    """Above, or below when another named point sits close above it, so names do not overlap; below
    a point at the top of the chart and inward at its sides, so no name is cut off by the frame."""
    d = df.reset_index(drop=True)
    pos: dict[int, str] = {}
    placed: list[tuple[float, float, str]] = []
    for i in sorted(rows, key=lambda r: -float(d.at[r, "need_pct"])):
        x, y = float(d.at[i, "support_pct"]), float(d.at[i, "need_pct"])
        near = [p.split()[0] for px, py, p in placed if abs(px - x) < 14 and abs(py - y) < 6]
        first, second = ("bottom", "top") if y > 92 else ("top", "bottom")
        vertical = second if first in near else first
        side = "left" if x > 85 else "right" if x < 15 else "center"
        if len(near) >= 2:
            vertical, side = "middle", "left" if x > 70 else "right"
        pos[i] = f"{vertical} {side}"
        placed.append((x, y, pos[i]))
    return pos


def quadrant(df: pd.DataFrame, names: list[str], lang: str, *, economies: bool = False) -> go.Figure:
    """Need percentile (y) against support percentile (x); the top-left quarter is underserved (shaded).
    The highest-need city and the most underserved are named; the rest on hover. ``economies``: the
    points are the six economies (a donor's view), every one named."""
    d = df.reset_index(drop=True)
    under = d["need_pct"].ge(50) & d["support_pct"].lt(50)
    named = _label_positions(d, list(range(len(d))) if economies else quadrant_labels(d))
    fig = go.Figure()
    others = "overview.legend.other_economies" if economies else "overview.legend.others"
    for flag, color, key in ((True, PALETTE[3], "overview.legend.underserved"), (False, PALETTE[0], others)):
        part = d[under == flag]
        fig.add_scatter(
            x=part["support_pct"], y=part["need_pct"], mode="markers+text", cliponaxis=False,
            name=text(t(key, lang)), marker={"color": color, "size": 10, "opacity": 0.8},
            textposition=[named.get(i, "top center") for i in part.index], textfont={"size": 11},
            text=[text(names[i]) if i in named else "" for i in part.index],
            customdata=[text(names[i]) for i in part.index],
            hovertemplate="%{customdata}<br>" + text(t("overview.axis.support_pct", lang)) + ": %{x:.0f}<br>"
                          + text(t("overview.axis.need_pct", lang)) + ": %{y:.0f}<extra></extra>")
    fig.add_hline(y=50, line_dash="dot", line_color="#888")
    fig.add_vline(x=50, line_dash="dot", line_color="#888")
    # The underserved quarter shaded in the colour of its points, which the legend names. A name written
    # in the quarter covered points or their names wherever it stood (its top-left corner is where the
    # most underserved sit; on a phone any corner ran into a name).
    fig.add_shape(type="rect", x0=0, x1=50, y0=50, y1=102, fillcolor=PALETTE[3], opacity=0.06, line_width=0,
                  layer="below")
    fig.update_xaxes(range=[0, 102])
    fig.update_yaxes(range=[0, 102])
    localise(fig, lang)
    return style(fig, t("overview.chart.quadrant", lang), t("overview.axis.support_pct", lang),
                 t("overview.axis.need_pct", lang), height=460)
