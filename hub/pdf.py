"""One-page PDF of a city profile (fpdf2), charts drawn as images with matplotlib.

Plotly's image export needs kaleido and a Chrome, so the two charts are redrawn here with
matplotlib's object API (no pyplot state, safe in Streamlit's threads). Text uses the
DejaVu fonts bundled with matplotlib, which cover Cyrillic and the Albanian and BCMS
diacritics, so no system font is needed. Every label comes from the catalogs
(``pdf.*`` and ``city.*``) in the UI language.

Input is the frames of ``hub.queries.city`` for one city, already scoped to the viewer:
this module only lays them out. Text from data goes through ``hub.escape``: ``mpl_text`` in the
charts (``$`` would start maths), ``pdf_text`` in every fpdf2 cell (one line; fpdf2's ``markdown``
stays off, so nothing else is interpreted).
"""
from __future__ import annotations

import io
import textwrap
from pathlib import Path

import matplotlib
import pandas as pd
from fpdf import FPDF
from matplotlib.figure import Figure

from hub.charts.city import indicator_label
from hub.display import fmt_indicator, unit_label
from hub.escape import mpl_text, pdf_text
from hub.i18n import fmt_date, fmt_money, fmt_number, fmt_percent, place_name, t
from hub.labels import country_name, kosovo_footnote
from hub.profile import CityProfile

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
INK = (31, 78, 121)          # PALETTE[0] of hub.charts.base
GREY = (90, 90, 90)
MPL_COLOURS = ["#1f4e79", "#e07b39", "#3a8f5c", "#b83b5e"]


def _num(x) -> float | None:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return None if x != x else x


def _png(fig: Figure) -> io.BytesIO:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=200, bbox_inches="tight")
    buf.seek(0)
    return buf


def scores_png(scores: pd.DataFrame, lang: str, city_name: str) -> io.BytesIO:
    """The index and sub-scores as bars, with the three medians as markers on each bar."""
    fig = Figure(figsize=(4.8, 3.6))
    ax = fig.add_subplot()
    df = scores.iloc[::-1].reset_index(drop=True)
    labels = [mpl_text(textwrap.fill(t(f"city.dimension.{d}", lang), 26)) for d in df["dimension"]]
    rows = list(range(len(df)))
    vals = [_num(v) if _num(v) is not None else float("nan") for v in df["score"]]
    ax.barh(rows, vals, height=0.55, color=MPL_COLOURS[0], label=mpl_text(city_name))
    for i, (col, marker) in enumerate((("economy_median", "D"), ("region_median", "|"), ("peer_median", "o")), 1):
        med = [_num(v) if _num(v) is not None else float("nan") for v in df[col]]   # no marker = no median
        ax.scatter(med, rows, marker=marker, s=40 if marker == "|" else 22, color=MPL_COLOURS[i], zorder=3,
                   linewidths=2 if marker == "|" else 0.5, edgecolors="white" if marker != "|" else None,
                   label=mpl_text(t(f"city.compare.{col}", lang)))
    ax.set_yticks(rows, labels, fontsize=7)
    ax.set_xlim(0, 100)
    ax.set_xlabel(t("city.chart.score_axis", lang), fontsize=7)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_title(t("city.chart.scores_title", lang), fontsize=9, loc="left")
    ax.legend(fontsize=6, loc="upper center", bbox_to_anchor=(0.4, -0.14), ncol=2, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    return _png(fig)


def trend_png(trend: pd.DataFrame, lang: str, city_name: str) -> io.BytesIO:
    """The need index per period with the economy and region medians."""
    fig = Figure(figsize=(3.4, 3.4))
    ax = fig.add_subplot()
    x = [mpl_text(v) for v in trend["period"].astype(str)]
    for col, name, colour, style in (
            ("score", city_name, MPL_COLOURS[0], "-"),
            ("economy_median", t("city.compare.economy_median", lang), MPL_COLOURS[1], "--"),
            ("region_median", t("city.compare.region_median", lang), MPL_COLOURS[2], ":")):
        ax.plot(x, [_num(v) for v in trend[col]], style, marker="o", color=colour, label=mpl_text(name),
                markersize=3)
    ax.set_ylim(0, 100)
    ax.set_xlabel(t("city.chart.period_axis", lang), fontsize=7)
    ax.set_ylabel(t("city.chart.score_axis", lang), fontsize=7)
    ax.tick_params(labelsize=7)
    ax.set_title(t("city.chart.trend_title", lang), fontsize=9, loc="left")
    ax.legend(fontsize=6, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=1, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


class _Page(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(False)
        self.set_margins(14, 12, 14)

    def heading(self, text: str, x: float | None = None, w: float = 0) -> None:
        self.set_font(FONT, "B", 10)
        self.set_text_color(*INK)
        self.set_x(self.l_margin if x is None else x)
        text = pdf_text(text)
        self.cell(w, 6, _fit(self, text, w) if w else text, new_x="LEFT", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def line_text(self, text: str, size: float = 8, colour=(0, 0, 0)) -> None:
        self.set_font(FONT, "", size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.5, pdf_text(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def table(self, header: list[str], rows: list[list[str]], widths: list[float],
              x: float | None = None) -> None:
        x = self.l_margin if x is None else x
        self.set_font(FONT, "B", 7)
        self.set_fill_color(232, 238, 245)
        self.set_x(x)
        for text, w in zip(header, widths):
            self.cell(w, 5, _fit(self, text, w), border=0, fill=True)
        self.ln(5)
        self.set_font(FONT, "", 7)
        for row in rows:
            self.set_x(x)
            for text, w in zip(row, widths):
                self.cell(w, 4.5, _fit(self, text, w))
            self.ln(4.5)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """Shorten ``text`` (one line) with an ellipsis so it fits ``width`` mm in the current font."""
    text = pdf_text(text)
    if pdf.get_string_width(text) <= width - 1:
        return text
    while text and pdf.get_string_width(text + "…") > width - 1:
        text = text[:-1]
    return text + "…"


def city_profile_pdf(p: CityProfile, lang: str) -> bytes:
    """The one-page PDF of a city profile, in ``lang``."""
    h = p.header.iloc[0]
    name = place_name(h["name"], h.get("name_local"), lang, h.get("country"))
    country = country_name(h["country"], lang)
    pdf = _Page()
    pdf.set_title(pdf_text(t("pdf.document_title", lang, city=name)))
    pdf.set_author(t("common.app_title", lang))
    pdf.add_page()

    # Title block
    pdf.set_font(FONT, "B", 18)
    pdf.set_text_color(*INK)
    pdf.cell(0, 9, _fit(pdf, name, pdf.w - pdf.l_margin - pdf.r_margin), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    sub = [country]
    if pd.notna(h.get("region")) and h.get("region"):
        sub.append(str(h["region"]))
    if _num(h.get("population")) is not None:
        sub.append(t("pdf.population", lang, n=fmt_number(h["population"], lang)))
    pdf.line_text(" · ".join(sub), 9, GREY)
    subtitle = t("pdf.subtitle", lang, period=p.period or "—", date=fmt_date(p.generated_on, lang, format="long"))
    if p.assessed_on is not None:
        subtitle += " · " + t("survey.assessed_via_survey", lang, date=fmt_date(p.assessed_on, lang))
    pdf.line_text(subtitle, 8, GREY)
    if p.demo:
        pdf.line_text(t("common.demo_notice", lang), 7, (160, 60, 0))
    pdf.ln(2)

    # Key figures
    idx = p.scores[p.scores["dimension"] == "index"] if not p.scores.empty else p.scores
    score = _num(idx["score"].iloc[0]) if len(idx) else None
    coverage = _num(idx["coverage"].iloc[0]) if len(idx) else None
    figures = [(t("pdf.need_index", lang), fmt_number(score, lang, 1)),
               (t("pdf.coverage", lang), fmt_percent(coverage, lang))]
    if len(p.rank):
        r = p.rank.iloc[0]
        figures.append((t("pdf.rank", lang), t("pdf.rank_of", lang, rank=fmt_number(_num(r["rank"]), lang),
                                                of=fmt_number(_num(r["of"]), lang))))
        figures.append((t("pdf.rank_interval", lang),
                        f"{fmt_number(_num(r['rank_p05']), lang)}–{fmt_number(_num(r['rank_p95']), lang)}"))
    col_w = (pdf.w - pdf.l_margin - pdf.r_margin) / max(len(figures), 1)
    y = pdf.get_y()
    for i, (label, value) in enumerate(figures):
        pdf.set_xy(pdf.l_margin + i * col_w, y)
        pdf.set_font(FONT, "", 7)
        pdf.set_text_color(*GREY)
        pdf.cell(col_w, 4, label)
        pdf.set_xy(pdf.l_margin + i * col_w, y + 4)
        pdf.set_font(FONT, "B", 14)
        pdf.set_text_color(*INK)
        pdf.cell(col_w, 7, value)
    pdf.set_text_color(0, 0, 0)
    pdf.set_y(y + 13)

    # Charts
    y = pdf.get_y()
    heights = [0.0]
    if len(p.scores):
        heights.append(pdf.image(scores_png(p.scores, lang, name), x=pdf.l_margin, y=y, w=104).rendered_height)
    if len(p.trend):
        heights.append(pdf.image(trend_png(p.trend, lang, name), x=pdf.l_margin + 110, y=y, h=78).rendered_height)
    pdf.set_y(y + max(heights) + 1)
    pdf.line_text(t("pdf.medians_note", lang), 6.5, GREY)
    pdf.ln(1)

    # Drivers
    pdf.heading(t("pdf.drivers", lang))
    if p.drivers.empty:
        pdf.line_text(t("common.no_data", lang))
    else:
        d = p.drivers.dropna(subset=["contribution"]).head(5)
        pdf.table([t("pdf.col.indicator", lang), t("pdf.col.dimension", lang), t("pdf.col.value", lang),
                   t("pdf.col.points", lang)],
                  [[indicator_label(r["indicator_code"], r["indicator"], lang),
                    t(f"city.dimension.{r['dimension']}", lang),
                    fmt_number(_num(r["value"]), lang, 1), fmt_number(_num(r["contribution"]), lang, 1)]
                   for _, r in d.iterrows()],
                  [78, 58, 23, 23])
    pdf.ln(1)

    # Priorities (left) and youth indicators (right), side by side
    top = pdf.get_y()
    left_w, right_x = 88, pdf.l_margin + 94
    pdf.heading(t("pdf.priorities", lang), w=left_w)
    if p.priorities.empty:
        pdf.line_text(t("common.no_data", lang))
    else:
        pdf.table([t("pdf.col.theme", lang), t("pdf.col.stated_rank", lang), t("pdf.col.priority_score", lang)],
                  [[t(f"city.theme.{r['theme']}", lang), fmt_number(_num(r["stated_rank"]), lang),
                    fmt_number(_num(r["score"]), lang, 1)] for _, r in p.priorities.head(6).iterrows()],
                  [46, 20, 22])
    bottom = pdf.get_y()
    pdf.set_y(top)
    pdf.heading(t("pdf.youth", lang), x=right_x, w=pdf.w - pdf.r_margin - right_x)
    if p.youth.empty:
        pdf.set_x(right_x)
        pdf.set_font(FONT, "", 8)
        pdf.cell(0, 4, t("common.no_data", lang))
        pdf.ln(4)
    else:
        y = p.youth.sort_values("period").groupby("indicator_code").tail(1)
        pdf.table([t("pdf.col.indicator", lang), t("pdf.col.period", lang), t("pdf.col.value", lang)],
                  [[indicator_label(r["indicator_code"], r["indicator"], lang)
                    + (f" ({unit_label(r['unit'], lang)})" if unit_label(r["unit"], lang) else ""), str(r["period"]),
                    fmt_indicator(r["value"], r["unit"], lang)] for _, r in y.head(6).iterrows()],
                  [56, 14, 18], x=right_x)
    pdf.set_y(max(bottom, pdf.get_y()) + 1)

    # Support received: fund, help desk, events
    pdf.heading(t("pdf.support", lang))
    f = p.fund
    approved = f["approved_eur"].fillna(0).sum() if len(f) else 0
    pdf.line_text(t("pdf.fund_line", lang, n=fmt_number(len(f), lang),
                    requested=fmt_money(f["requested_eur"].sum() if len(f) else 0, lang),
                    approved=fmt_money(approved, lang),
                    disbursed=fmt_money(f["disbursed_eur"].sum() if len(f) else 0, lang)))
    hd = p.helpdesk
    open_n = int((hd["status"] != "resolved").sum()) if len(hd) else 0
    days = hd["days_to_resolve"].dropna() if len(hd) else pd.Series(dtype=float)
    pdf.line_text(t("pdf.helpdesk_line", lang, n=fmt_number(len(hd), lang), open=fmt_number(open_n, lang),
                    days=fmt_number(float(days.median()) if len(days) else None, lang, 1)))
    if len(f):
        pdf.table([t("pdf.col.application", lang), t("pdf.col.status", lang), t("pdf.col.approved", lang),
                   t("pdf.col.disbursed", lang)],
                  [[str(r["title"]), t(f"city.status.{r['status']}", lang), fmt_money(_num(r["approved_eur"]), lang),
                    fmt_money(_num(r["disbursed_eur"]), lang)] for _, r in f.head(4).iterrows()],
                  [92, 30, 30, 30])
    ev = p.events
    pdf.line_text(t("pdf.events_line", lang, n=fmt_number(len(ev), lang),
                    people=fmt_number(int(ev["participants"].fillna(0).sum()) if len(ev) else 0, lang)))

    # Footer
    notes = [t("pdf.footer", lang), *p.footnotes]
    if h["country"] == "XK" and kosovo_footnote(lang):
        notes.append(kosovo_footnote(lang))
    _footer(pdf, notes)
    if len(p.positions) or len(p.dimension_trend) or len(p.recommendations):
        from hub.pdf_compare import compare_page
        compare_page(pdf, p, lang, name)
        _footer(pdf, notes)
    return bytes(pdf.output())


def _footer(pdf: FPDF, notes: list[str]) -> None:
    pdf.set_y(pdf.h - 22)
    for note in notes:
        pdf.line_text(note, 6, GREY)
