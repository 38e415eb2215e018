"""Technical Support Fund charts: pipeline, amounts by group, commitments vs disbursements."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hub.charts.base import PALETTE, localise, measure_colour, style, text, texts
from hub.i18n import fmt_number, t


def pipeline(df: pd.DataFrame, lang: str) -> go.Figure:
    """Horizontal bars: applications per status, in pipeline order."""
    labels = texts(t(f"fund.status.{s}", lang) for s in df["status"])
    fig = go.Figure(go.Bar(x=df["applications"], y=labels, orientation="h", marker_color=PALETTE[0],
                           text=df["applications"], textposition="auto",
                           hovertemplate="%{y}: %{x}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    localise(fig, lang)
    return style(fig, t("fund.chart.pipeline", lang), t("fund.axis.applications", lang), None)


def amounts(df: pd.DataFrame, labels: list[str], lang: str, group_title: str) -> go.Figure:
    """Grouped bars: requested, approved and disbursed euros per group, and the contribution's approved
    and disbursed parts (hatched) when ``df`` has them."""
    fig = go.Figure()
    mine = [c for c in ("contribution_approved_eur", "contribution_disbursed_eur") if c in df.columns]
    for col in ("requested_eur", "approved_eur", "disbursed_eur", *mine):
        name = text(t(f"donors.col.{col}" if col in mine else f"fund.measure.{col}", lang))
        fig.add_bar(name=name, x=texts(labels), y=df[col], marker_color=measure_colour(col),
                    marker_pattern_shape="/" if col in mine else "",
                    hovertemplate="%{x}: %{y:,.0f} EUR<extra>" + name + "</extra>")
    fig.update_layout(barmode="group")
    localise(fig, lang)
    return style(fig, t("fund.chart.amounts", lang, group=group_title), group_title, t("fund.axis.eur", lang))


def commitments(df: pd.DataFrame, lang: str) -> go.Figure:
    """Cumulative committed and disbursed euros by month, and the contribution's (dashed) when ``df``
    has them."""
    fig = go.Figure()
    for col in ("committed_cum", "disbursed_cum", "contribution_committed_cum", "contribution_disbursed_cum"):
        if col in df.columns:
            fig.add_scatter(x=df["month"], y=df[col], mode="lines", name=text(t(f"fund.measure.{col}", lang)),
                            line={"color": measure_colour(col), "shape": "hv",
                                  "dash": "dash" if col.startswith("contribution") else "solid"})
    localise(fig, lang)
    return style(fig, t("fund.chart.commitments", lang), t("fund.axis.month", lang), t("fund.axis.eur", lang))


def progress(df: pd.DataFrame, labels: list[str], lang: str) -> go.Figure:
    """Progress towards target (0 % = baseline, 100 % = target) per result."""
    fig = go.Figure(go.Bar(x=df["progress"] * 100, y=texts(labels), orientation="h", marker_color=PALETTE[1],
                           hovertemplate="%{y}: %{x:.0f} %<extra></extra>"))
    fig.add_vline(x=100, line_dash="dash", line_color="#555")
    localise(fig, lang)
    return style(fig, t("fund.chart.progress", lang), t("fund.axis.progress", lang), None,
                 height=max(300, 28 * len(df) + 120))


# --- donors: the flow, results by indicator, tranches (issue 15) ------------------------------
MAX_PLACES = 20   # municipality nodes of the flow Sankey


def flow_sankey(df: pd.DataFrame, labels: dict[str, list[str]], lang: str, title: str) -> go.Figure:
    """Sankey of approved euros: contribution → allocation round → theme → project's municipality →
    result. ``labels`` gives the display label of every row's node per stage (same order as ``df``):
    keys ``donor``, ``round``, ``theme``, ``place``, ``result``."""
    stages = ["donor", "round", "theme", "place", "result"]
    # A node per municipality made an 8,500 px chart at 100× that the browser took seconds to lay out
    # and nobody could read: the largest MAX_PLACES by approved euros, the rest as one node (the table
    # under the chart lists every project).
    by_place = df["approved_eur"].groupby(pd.Series(labels["place"], index=df.index)).sum()
    if len(by_place) > MAX_PLACES:
        keep = set(by_place.nlargest(MAX_PLACES).index)
        other = t("donors.chart.other_places", lang, n=fmt_number(len(by_place) - MAX_PLACES, lang))
        labels = {**labels, "place": [p if p in keep else other for p in labels["place"]]}
    nodes: dict[tuple[str, str], int] = {}
    for stage in stages:
        for lab in labels[stage]:
            nodes.setdefault((stage, lab), len(nodes))
    links: dict[tuple[int, int], float] = {}
    for i, eur in enumerate(df["approved_eur"]):
        for a, b in zip(stages, stages[1:]):
            key = (nodes[(a, labels[a][i])], nodes[(b, labels[b][i])])
            links[key] = links.get(key, 0.0) + float(eur)
    colours = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(stages)}
    fig = go.Figure(go.Sankey(
        arrangement="snap", valueformat=",.2f", valuesuffix=" EUR",
        node={"label": texts(lab for _, lab in nodes), "pad": 12, "thickness": 14,
              "color": [colours[s] for s, _ in nodes]},
        link={"source": [a for a, _ in links], "target": [b for _, b in links], "value": list(links.values()),
              "color": "rgba(31, 78, 121, 0.25)"},
    ))
    localise(fig, lang)
    return style(fig, title, height=max(420, 16 * len({lab for s, lab in nodes if s == "place"}) + 160))


def results_by_indicator(df: pd.DataFrame, labels: list[str], lang: str) -> go.Figure:
    """Per indicator: achieved (sum of latest actuals) against the target, across projects."""
    fig = go.Figure()
    fig.add_bar(name=t("donors.measure.target", lang), y=texts(labels), x=df["target"], orientation="h",
                marker_color="#c7d3e0", hovertemplate="%{y}: %{x:,.0f}<extra></extra>")
    fig.add_bar(name=t("donors.measure.actual", lang), y=texts(labels), x=df["actual"], orientation="h",
                marker_color=PALETTE[2], hovertemplate="%{y}: %{x:,.0f}<extra></extra>")
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(type="log")
    localise(fig, lang)
    return style(fig, t("donors.chart.results", lang), t("donors.axis.units", lang), None,
                 height=max(320, 26 * len(df) + 140))


def tranche_timeline(df: pd.DataFrame, approved: float, lang: str, title: str) -> go.Figure:
    """One project's tranches on a timeline: bars per payment, the cumulative line and the approved amount."""
    fig = go.Figure()
    fig.add_bar(x=df["paid_on"], y=df["amount_eur"], name=t("donors.measure.tranche", lang),
                marker_color=measure_colour("disbursed"), opacity=0.6,
                hovertemplate="%{x|%Y-%m-%d}: %{y:,.2f} EUR<extra></extra>")
    fig.add_scatter(x=df["paid_on"], y=df["cumulative_eur"], mode="lines+markers", line={"shape": "hv",
                    "color": measure_colour("disbursed")}, name=t("donors.measure.cumulative", lang))
    fig.add_hline(y=approved, line_dash="dash", line_color="#555",
                  annotation_text=t("donors.measure.approved", lang), annotation_position="top left")
    localise(fig, lang)
    return style(fig, title, t("fund.axis.month", lang), t("fund.axis.eur", lang), height=320)


def project_results(df: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """One project's results: baseline, target and latest actual per indicator."""
    fig = go.Figure()
    for i, col in enumerate(("baseline", "target", "actual")):
        fig.add_bar(name=t(f"donors.measure.{col}", lang), x=texts(df["indicator"]), y=df[col],
                    marker_color=["#9aa5b1", "#c7d3e0", PALETTE[2]][i])
    fig.update_layout(barmode="group")
    localise(fig, lang)
    return style(fig, title, None, t("donors.axis.units", lang), height=320)
