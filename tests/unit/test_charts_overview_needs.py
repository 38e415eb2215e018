"""Plotly builders of the overview and needs pages, checked as Python objects."""
from __future__ import annotations

import pandas as pd

from hub.charts import needs as nc
from hub.charts import overview as oc
from hub.i18n import t


def test_quadrant_splits_and_names_underserved():
    df = pd.DataFrame({"need_pct": [90, 80, 20, 60], "support_pct": [10, 70, 30, 49]})
    fig = oc.quadrant(df, ["Tetovo", "Ohrid", "Bar", "<script>alert(1)</script>"], "sq")
    under, others = fig.data
    # names are Plotly text (hub.escape.plotly_text): shown as written, never as markup
    assert list(under.text) == ["Tetovo", "&lt;script&gt;alert(1)&lt;/script&gt;"] and under.mode == "markers+text"
    assert list(others.text) == ["", ""]                      # named on hover only
    assert list(others.customdata) == ["Ohrid", "Bar"]
    assert fig.layout.title.text == t("overview.chart.quadrant", "sq")
    assert fig.layout.xaxis.title.text == t("overview.axis.support_pct", "sq")
    assert fig.layout.yaxis.title.text == t("overview.axis.need_pct", "sq")


def test_quadrant_names_the_extremes_only():
    # 40 cities: the highest-need city is named even when it is not underserved, and at most
    # QUADRANT_LABELS underserved ones (largest gap first) besides; close labels do not share a spot.
    n = 40
    df = pd.DataFrame({"need_pct": [50 + (i % 50) for i in range(n)], "support_pct": [(i * 7) % 100 for i in range(n)]})
    df.loc[5, ["need_pct", "support_pct"]] = [100, 95]
    names = [f"C{i}" for i in range(n)]
    fig = oc.quadrant(df, names, "en")
    shown = [x for tr in fig.data for x in tr.text if x]
    assert "C5" in shown and len(shown) <= oc.QUADRANT_LABELS + 1
    pos = oc._label_positions(df, oc.quadrant_labels(df))
    assert set(pos.values()) <= {f"{v} {h}" for v in ("top", "middle", "bottom") for h in ("left", "center", "right")}
    placed = {}
    for i, p in pos.items():     # no two named points within a label's reach share a spot
        near = [j for j in placed if abs(df.at[j, "support_pct"] - df.at[i, "support_pct"]) < 14
                and abs(df.at[j, "need_pct"] - df.at[i, "need_pct"]) < 6 and placed[j] == p]
        assert not near, (i, near, p)
        placed[i] = p


def test_quadrant_names_are_not_cut_off_by_the_frame():
    # The highest-need point sits at 100 (the top of the axes): its name goes below it, not above the
    # frame where it was clipped away; names at the left and right edges point inwards.
    df = pd.DataFrame({"need_pct": [100.0, 80.0, 70.0, 20.0], "support_pct": [17.0, 2.0, 99.0, 50.0]})
    pos = oc._label_positions(df, [0, 1, 2])
    assert pos[0].startswith("bottom") and pos[1].endswith("right") and pos[2].endswith("left")
    fig = oc.quadrant(df, ["Kosovo*", "Serbia", "Albania", "Montenegro"], "en", economies=True)
    assert all(tr.cliponaxis is False for tr in fig.data)
    # no text written in the plot besides the points' names (the quarter is shaded, the legend names it)
    assert not fig.layout.annotations
    (quarter,) = [s for s in fig.layout.shapes if s.type == "rect"]
    assert (quarter.x0, quarter.x1, quarter.y0) == (0, 50, 50) and quarter.fillcolor == fig.data[0].marker.color
    assert fig.data[0].name == "Underserved"


def test_economy_quadrant_names_every_economy():
    # A donor sees six economies: every point named (a nameless dot cannot be read), legend in economies.
    df = pd.DataFrame({"need_pct": [100, 83, 67, 50, 33, 17], "support_pct": [17, 83, 50, 100, 33, 67]})
    names = ["Kosovo*", "Serbia", "Montenegro", "Albania", "BiH", "North Macedonia"]
    for lang in ("en", "mk"):
        fig = oc.quadrant(df, names, lang, economies=True)
        assert sorted(x for tr in fig.data for x in tr.text) == sorted(names)
        assert fig.data[1].name == t("overview.legend.other_economies", lang) != t("overview.legend.others", lang)
    city = oc.quadrant(df, names, "en")
    assert sum(bool(x) for tr in city.data for x in tr.text) < len(names)   # cities: the extremes only


def test_fund_measures_have_one_colour_everywhere():
    from hub.charts import fund as fc
    from hub.charts.base import measure_colour
    eco = oc.economies_fund(pd.DataFrame({"fund_approved_eur": [1.0], "fund_disbursed_eur": [1.0]}), ["A"], "en")
    amt = fc.amounts(pd.DataFrame({"requested_eur": [1.0], "approved_eur": [1.0], "disbursed_eur": [1.0]}),
                     ["A"], "en", "x")
    assert eco.data[0].marker.color == amt.data[1].marker.color == measure_colour("approved")
    assert eco.data[1].marker.color == amt.data[2].marker.color == measure_colour("disbursed")
    assert eco.layout.separators == ".," and oc.economies_fund(
        pd.DataFrame({"fund_approved_eur": [1.0], "fund_disbursed_eur": [1.0]}), ["A"], "bcms").layout.separators == ",."


def test_economies_fund_bars_in_eur():
    df = pd.DataFrame({"fund_approved_eur": [10.0, 20.0], "fund_disbursed_eur": [5.0, 0.0]})
    fig = oc.economies_fund(df, ["Albania", "Serbia"], "en")
    assert [tr.name for tr in fig.data] == ["Fund approved (EUR)", "Fund disbursed (EUR)"]
    assert list(fig.data[1].y) == [5.0, 0.0] and fig.layout.yaxis.title.text == "EUR"


def test_changes_colours_rises_and_falls():
    fig = oc.changes(pd.DataFrame({"delta": [12.5, -3.0]}), ["A", "B"], "mk")
    assert fig.data[0].marker.color[0] != fig.data[0].marker.color[1]
    assert fig.layout.title.text.replace("<br>", " ") == t("overview.chart.changes", "mk")


def test_heatmap_cities_by_dimensions():
    df = pd.DataFrame({"youth_engagement": [10.0, 90.0], "social_cohesion": [50.0, None]})
    fig = nc.heatmap(df, ["youth_engagement", "social_cohesion"], ["Čair", "Tuzla"], "bcms")
    hm = fig.data[0]
    assert list(hm.x) == ["Angažman mladih", "Društvena kohezija"] and list(hm.y) == ["Čair", "Tuzla"]
    assert hm.z[1][0] == 90.0 and (hm.zmin, hm.zmax) == (0, 100)


def test_theme_and_priority_bars_translated():
    themes = pd.DataFrame({"theme": ["online_harms", "youth_engagement"], "stated_first": [5, 4],
                           "scored_first": [3, 6]})
    fig = nc.theme_firsts(themes, "mk")
    assert list(fig.data[0].y) == ["Штети на интернет", "Ангажман на младите"]
    assert list(fig.data[1].x) == [3, 6]
    prio = pd.DataFrame({"theme": ["social_cohesion"], "score": [44.7]})
    fig = nc.city_priorities(prio, "en", "Kumanovo")
    assert fig.layout.title.text == "Priority scores of Kumanovo" and list(fig.data[0].x) == [44.7]


def test_labels_fall_back_to_readable_codes():
    assert nc.dimension_label("new_dimension", "en") == "new dimension"
    assert nc.theme_label("gender_and_inclusion", "sq") == "Gjinia dhe përfshirja"


def test_long_vertical_axis_titles_are_broken_into_lines():
    # The youth charts' y title is the indicator's name with its unit: in sq ~50 characters, longer than
    # the plot is high, it ran into the chart's title and was cut at the top.
    from hub.charts import youth as yc
    from hub.charts.base import AXIS_TITLE_CHARS, wrapped
    label = t("youth.ind.youth_council", "sq")
    assert len(label) > AXIS_TITLE_CHARS
    fig = yc.economies(pd.DataFrame({"mean": [0.5], "cities": [3]}), ["Serbia"], label, "sq", percent=True)
    lines = fig.layout.yaxis.title.text.split("<br>")
    assert len(lines) == 2 and all(len(x) <= AXIS_TITLE_CHARS + 1 for x in lines) and " ".join(lines) == label
    assert wrapped("<b>x</b> y", 4) == "&lt;b&gt;x&lt;/b&gt;<br>y"      # still Plotly text, never markup
    assert wrapped("short") == "short"


def test_long_bar_names_are_drawn_on_lines_and_the_data_keeps_them_whole():
    # The city page's dimension names in mk (up to ~45 characters) left a phone's chart a sliver of bars
    # and were cut at the left edge: drawn on lines of at most CATEGORY_CHARS, the categories unchanged.
    from hub.charts import city as cc
    from hub.charts.base import CATEGORY_CHARS
    dims = ["national_local_cooperation", "social_cohesion"]
    df = pd.DataFrame({"dimension": dims, "score": [30.0, 45.0], "economy_median": [40.0] * 2,
                       "region_median": [42.0] * 2, "peer_median": [44.0] * 2})
    fig = cc.scores_vs_medians(df, "mk", "Тузла")
    names = [cc.dimension_label(d, "mk") for d in dims[::-1]]
    assert list(fig.data[0].y) == names                         # hovers and order read the whole name
    assert list(fig.layout.yaxis.tickvals) == names
    long_name = cc.dimension_label("national_local_cooperation", "mk")
    drawn = dict(zip(fig.layout.yaxis.ticktext, fig.layout.yaxis.tickvals))
    wrapped = next(k for k, v in drawn.items() if v == long_name)
    assert "<br>" in wrapped and all(len(x) <= CATEGORY_CHARS for x in wrapped.split("<br>"))
    assert wrapped.replace("<br>", " ") == long_name
    short = oc.changes(pd.DataFrame({"delta": [1.0]}), ["Bar"], "en")
    assert short.layout.yaxis.tickvals is None                  # short names: the axis as Plotly draws it


def test_titles_fit_a_phone_and_the_legend_sits_below_everything():
    # A title longer than a phone is wide was cut at the right; the economies chart's turned names ran
    # into a legend placed at y=-0.2 of the plot on a phone. Titles on lines, the top margin grown;
    # the legend at the foot of the whole figure.
    from hub.charts.base import TITLE_CHARS
    df = pd.DataFrame({"fund_approved_eur": [1.0], "fund_disbursed_eur": [1.0]})
    fig = oc.economies_fund(df, ["Shqipëria"], "sq")
    lines = fig.layout.title.text.split("<br>")
    assert len(lines) >= 2 and all(len(x) <= TITLE_CHARS for x in lines)
    assert " ".join(lines) == t("overview.chart.economies_fund", "sq")
    assert fig.layout.margin.t == 50 + 20 * (len(lines) - 1)
    assert fig.layout.legend.yref == "container" and fig.layout.legend.y == 0
    short = oc.quadrant(pd.DataFrame({"need_pct": [1.0], "support_pct": [1.0]}), ["A"], "en")
    assert "<br>" not in short.layout.title.text and short.layout.margin.t == 50
