"""The PDF pages of the Help Desk's knowledge (stream know, issue 16): the city profile's second page
("How does my city compare" and the recommendations) and the one-page answer pack of a help-desk
request. Same fonts, colours and catalogs as ``hub.pdf``; input is query frames already scoped to
the viewer (aggregates and the city's own values only). Text from data goes through ``hub.escape``
like in ``hub.pdf``: ``mpl_text`` in the charts (a ``$`` pair is maths there, and bad maths makes
matplotlib raise), ``pdf_text`` in every fpdf2 line."""
from __future__ import annotations

import math
import textwrap
from datetime import date

import pandas as pd
from matplotlib.figure import Figure

from hub.charts.city import indicator_label
from hub.escape import mpl_text, pdf_text
from hub.i18n import fmt_date, place_name, t
from hub.pdf import FONT, GREY, INK, MPL_COLOURS, _Page, _fit, _num, _png

BOTTOM = 26          # mm kept free at the bottom of a page for the footer


def positions_png(df: pd.DataFrame, lang: str, city_name: str):
    """The band chart: each indicator's position among member cities, the peer group's middle half."""
    d = df.dropna(subset=["position"]).sort_values(["domain", "indicator_code"], ascending=False)
    fig = Figure(figsize=(7.2, 0.9 + 0.17 * len(d)))
    ax = fig.add_subplot()
    rows = list(range(len(d)))
    lo = d[["peer_q1_position", "peer_q3_position"]].min(axis=1).astype(float)
    hi = d[["peer_q1_position", "peer_q3_position"]].max(axis=1).astype(float)
    ax.barh(rows, (hi - lo).fillna(0), left=lo.fillna(0), height=0.6, color="#3a8f5c", alpha=0.3,
            label=t("compare.chart.peer_band", lang))
    ax.scatter(d["peer_median_position"].astype(float), rows, marker="|", s=60, color=MPL_COLOURS[2],
               linewidths=2, label=t("compare.chart.peer_median", lang))
    ax.scatter(d["position"].astype(float), rows, s=22, color=MPL_COLOURS[0], zorder=3, label=mpl_text(city_name))
    ax.axvline(50, color="#888888", linestyle=":", linewidth=1, label=t("compare.chart.median", lang))
    ax.set_yticks(rows, [mpl_text(textwrap.shorten(indicator_label(c, n, lang), 48, placeholder="…"))
                         for c, n in zip(d["indicator_code"], d["indicator"])], fontsize=6)
    ax.set_xlim(0, 100)
    ax.set_xlabel(t("compare.chart.axis", lang), fontsize=6.5)
    ax.tick_params(axis="x", labelsize=6.5)
    fig.legend(fontsize=6, loc="lower center", ncol=4, frameon=False)
    fig.subplots_adjust(bottom=0.9 / (0.9 + 0.17 * len(d)) + 0.02)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    return _png(fig)


def trends_png(df: pd.DataFrame, lang: str, city_name: str):
    """Small multiples: each dimension's need over the periods, the peer and all-city medians."""
    dims = list(dict.fromkeys(df["dimension"]))
    cols = 3
    rows = math.ceil(len(dims) / cols)
    fig = Figure(figsize=(7.2, 1.45 * rows + 0.4))
    axes = fig.subplots(rows, cols, sharey=True, squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i >= len(dims):
            ax.set_visible(False)
            continue
        d = df[df["dimension"] == dims[i]].sort_values("period")
        x = [mpl_text(v) for v in d["period"].astype(str)]
        for col, name, colour, style in (("score", city_name, MPL_COLOURS[0], "-"),
                                         ("peer_median", t("compare.chart.trend_peer", lang), MPL_COLOURS[2], "--"),
                                         ("region_median", t("compare.chart.trend_region", lang), "#888888", ":")):
            ax.plot(x, [_num(v) for v in d[col]], style, marker="o", markersize=2.5, color=colour,
                    label=mpl_text(name))
        ax.set_title(textwrap.shorten(t(f"city.dimension.{dims[i]}", lang), 34, placeholder="…"), fontsize=7)
        ax.set_ylim(0, 100)
        ax.tick_params(labelsize=6)
        ax.spines[["top", "right"]].set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=6, loc="lower center", ncol=3, frameon=False)
    fig.subplots_adjust(hspace=0.6, bottom=0.4 / (1.45 * rows + 0.4) + 0.08)
    return _png(fig)


def _room(pdf: _Page, needed: float) -> bool:
    return pdf.get_y() + needed <= pdf.h - BOTTOM


def _para(pdf: _Page, text: str, size: float = 7.5, x: float | None = None, w: float = 0,
          colour=(0, 0, 0), bold: bool = False) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.set_x(pdf.l_margin if x is None else x)
    pdf.multi_cell(w, size * 0.48, pdf_text(text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def recommendation_items(pdf: _Page, recs: pd.DataFrame, lang: str, max_practices: int = 5,
                         max_actors: int = 5) -> None:
    """Practices, then partners: title (and city), the reason, contact; as many as the page holds."""
    for kind, title_key, limit in (("practice", "recommend.practices", max_practices),
                                   ("actor", "recommend.actors", max_actors)):
        part = recs[recs["kind"] == kind].head(limit)
        if part.empty or not _room(pdf, 14):
            continue
        pdf.heading(t(title_key, lang))
        for r in part.itertuples(index=False):
            if not _room(pdf, 12):
                break
            head = r.title + (f" — {r.city}" if isinstance(r.city, str) and r.city else "")
            _para(pdf, head, 7.5, bold=True, colour=INK)
            _para(pdf, r.reason, 7)
            extra = [x for x in (r.contact, r.link) if isinstance(x, str) and x]
            if extra:
                _para(pdf, " · ".join(extra), 6.5, colour=GREY)
            pdf.ln(0.8)


def compare_page(pdf: _Page, p, lang: str, city_name: str) -> None:
    """Page 2 of the city profile: positions, strengths and weaknesses, dimension trends, recommendations."""
    pdf.add_page()
    pdf.set_font(FONT, "B", 14)
    pdf.set_text_color(*INK)
    pdf.cell(0, 8, _fit(pdf, f"{city_name} · {t('compare.title', lang)}", pdf.epw), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    _para(pdf, t("compare.intro", lang), 6.5, colour=GREY)
    if p.period:
        _para(pdf, t("compare.period_note", lang, period=p.period), 6.5, colour=GREY)
    pdf.ln(1)
    pos = p.positions.dropna(subset=["position"]) if len(p.positions) else p.positions
    if len(pos):
        img = pdf.image(positions_png(p.positions, lang, city_name), x=pdf.l_margin, w=pdf.epw)
        pdf.set_y(pdf.get_y() + 1) if img is None else None
    if len(p.strengths):
        top = pdf.get_y() + 1
        half = pdf.epw / 2
        for i, (side, key) in enumerate((("best", "compare.strengths"), ("worst", "compare.weaknesses"))):
            pdf.set_y(top)
            x = pdf.l_margin + i * half
            pdf.heading(t(key, lang), x=x, w=half - 3)
            for sentence in p.strengths.loc[p.strengths["side"] == side, "sentence"]:
                _para(pdf, "• " + sentence, 6.8, x=x, w=half - 3)
            if i == 0:
                left_bottom = pdf.get_y()
        pdf.set_y(max(left_bottom, pdf.get_y()) + 1)
    if len(p.dimension_trend) and _room(pdf, 62):
        pdf.heading(t("compare.dimension_trend", lang))
        pdf.image(trends_png(p.dimension_trend, lang, city_name), x=pdf.l_margin, w=pdf.epw * 0.92)
    if len(p.recommendations):
        if not _room(pdf, 40):
            pdf.add_page()
        pdf.set_font(FONT, "B", 11)
        pdf.set_text_color(*INK)
        pdf.cell(0, 7, t("recommend.title", lang), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        recommendation_items(pdf, p.recommendations, lang, max_practices=4, max_actors=3)


def answer_pack_pdf(request: pd.DataFrame, needs: pd.DataFrame, recs: pd.DataFrame, lang: str, *,
                    demo: bool = False, generated_on: date | None = None) -> bytes:
    """One page for a help-desk request: what was asked, the city's highest-need dimensions, and the
    practices and partners that answer it, each with its reason (``hub.queries.recommend``)."""
    r = request.iloc[0]
    city = place_name(r["name"], r.get("name_local"), lang, r.get("country"))
    topic_key = "helpdesk.topic." + str(r["topic"]).strip().lower().replace(" ", "_").replace("-", "_")
    topic = t(topic_key, lang)
    topic = str(r["topic"]) if topic == topic_key else topic
    pdf = _Page()
    pdf.set_title(t("recommend.pack.title", lang, id=r["request_id"]))
    pdf.set_author(t("common.app_title", lang))
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.set_text_color(*INK)
    pdf.cell(0, 9, _fit(pdf, t("recommend.pack.title", lang, id=r["request_id"]), pdf.epw), new_x="LMARGIN",
             new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    _para(pdf, t("recommend.pack.subtitle", lang, city=city, topic=topic, date=fmt_date(r["opened_on"], lang),
                 today=fmt_date(generated_on or date.today(), lang, format="long")), 8.5, colour=GREY)
    if demo:
        _para(pdf, t("common.demo_notice", lang), 7, colour=(160, 60, 0))
    pdf.ln(2)
    high = needs[needs["high"]] if len(needs) else needs
    if len(high):
        pdf.heading(t("recommend.pack.needs", lang))
        for n in high.itertuples(index=False):
            share = f"{max(1, round(100 * (1 - n.position)))} %"
            _para(pdf, "• " + t("recommend.pack.need_line", lang, dimension=t(f"city.dimension.{n.dimension}", lang),
                                share=share), 7.5)
        pdf.ln(1.5)
    if recs.empty:
        _para(pdf, t("recommend.none", lang), 8)
    else:
        recommendation_items(pdf, recs, lang)
    pdf.set_y(pdf.h - 18)
    _para(pdf, t("recommend.pack.footer", lang), 6, colour=GREY)
    return bytes(pdf.output())
