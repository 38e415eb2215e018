"""hub.escape: every escape with the nasty characters, and the builders that use them (maps, charts,
PDF) with hostile names: shown as written, nothing interpreted, the map script intact."""
from __future__ import annotations

import html
import io
import json
import re
import string

import folium
import pandas as pd
import pytest

from hub import escape, maps

PWN = "window.top.__pwned=1"
PAYLOADS = [
    "${" + PWN + "}",
    "a`b`c ` `${x}`",
    f"</script><script>{PWN}</script>",
    f'<img src=x onerror="{PWN}">',
    "[link](javascript:alert(1))",
    "![x](http://evil.example/b.png)",
    "[Your session expired - sign in again](https://evil.example/login) ![x](https://evil.example/b.png)",
    "$x^2$ and $\\frac{a}{b}$",
    ":red[x] :blue-background[y] :smile: :material/lock:",
    "O'Brien \"quoted\" & Sons",
    "back\\slash \\` \\$ \\n",
    "https://evil.example www.evil.example WWW.Evil.Example user@evil.example",
    "**b** _i_ ~~s~~ `c` # h | t | <b>x</b> &amp; &lt; &#36;",
    "%{x} %{customdata}",
    "Čair / Чаир · Shkodër ☃ 😀",
    "1. item",
    "- item",
    "> quote",
    "[^1] <https://evil.example> <!-- c -->",
]


# --- HTML -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("s", PAYLOADS)
def test_html_text_round_trips_and_has_no_markup(s):
    out = escape.html_text(s)
    assert not set("<>\"'") & set(out)
    assert html.unescape(out) == s


def test_html_text_of_none_and_numbers():
    assert escape.html_text(None) == ""
    assert escape.html_text(12.5) == "12.5"


# --- folium / Leaflet -----------------------------------------------------------------------------
@pytest.mark.parametrize("s", PAYLOADS)
def test_leaflet_text_is_inert_in_a_template_literal_and_round_trips(s):
    out = escape.leaflet_text(s)
    assert not set("<>\"'`$\\") & set(out)
    assert html.unescape(out) == s


@pytest.mark.parametrize("s", PAYLOADS)
def test_leaflet_markup_guards_catalog_text(s):
    assert not set("`$\\") & set(escape.leaflet_markup(f"<b>{s}</b>"))
    assert escape.leaflet_markup("<b>x</b><br>y") == "<b>x</b><br>y"


@pytest.mark.parametrize("s", PAYLOADS + ["\u2028 \u2029 ]]> <!-- --!>"])
def test_script_json_cannot_end_the_script_and_round_trips(s):
    out = escape.script_json([s, {"k": s}, 1.5, None])
    assert not set("<>&'\u2028\u2029") & set(out) and "\n" not in out
    assert json.loads(out) == [s, {"k": s}, 1.5, None]
    assert escape.script_json("Чаир") == '"Чаир"'                 # UTF-8 as it is, not \u escapes


@pytest.mark.parametrize("s", PAYLOADS)
def test_geojson_value_is_html_text(s):
    out = escape.geojson_value(s)
    assert "<" not in out and html.unescape(out) == s
    assert escape.geojson_value(None) == ""


# --- Markdown -------------------------------------------------------------------------------------
def md_unescape(out: str) -> str:
    """What CommonMark shows for ``out`` (backslash escapes removed, word joiners invisible)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", out).replace("\u2060", "")


@pytest.mark.parametrize("s", PAYLOADS)
def test_markdown_text_escapes_every_punctuation_and_reads_back(s):
    out = escape.markdown_text(s)
    assert md_unescape(out) == s.lstrip()
    plain = out.replace("\u2060", "")
    i = 0
    while i < len(plain):               # every ASCII punctuation character is preceded by a backslash
        ch = plain[i]
        if ch == "\\":
            assert plain[i + 1] in string.punctuation
            i += 2
            continue
        assert ch not in string.punctuation, (ch, out)
        i += 1


@pytest.mark.parametrize("s, broken", [
    (":smile:", "\\:\u2060smile\\:\u2060"),
    ("https://evil.example", "https\\:\u2060\\/\\/evil\\.example"),
    ("www.evil.example", "www\u2060\\.evil\\.example"),
    ("WWW.evil.example", "WWW\u2060\\.evil\\.example"),
    ("a@evil.example", "a\\@\u2060evil\\.example"),
])
def test_markdown_text_breaks_patterns_matched_after_parsing(s, broken):
    assert escape.markdown_text(s) == broken


def test_markdown_text_is_one_line_without_control_characters():
    assert escape.markdown_text("a\nb\r\nc\x00d\u2028e") == "a b c\ufffdd e"
    assert escape.markdown_text("    indented") == "indented"        # no code block
    assert escape.markdown_text(None) == ""


# --- Plotly ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("s", PAYLOADS)
def test_plotly_text_has_no_tags_and_no_template_fields(s):
    out = escape.plotly_text(s)
    assert "<" not in out and ">" not in out and "%{" not in out
    assert html.unescape(out) == s


# --- PDF: fpdf2 and matplotlib --------------------------------------------------------------------
@pytest.mark.parametrize("s", PAYLOADS)
def test_mpl_text_is_never_mathtext(s):
    from matplotlib.text import Text
    shown, is_math = Text(text=escape.mpl_text(s))._preprocess_math(escape.mpl_text(s))
    assert is_math is False
    assert shown == s


def test_pdf_text_is_one_line():
    assert escape.pdf_text("a\nb\tc\x07") == "a b\tc\ufffd"


def test_no_module_uses_fpdf_markdown_or_html():
    from pathlib import Path
    for name in ("pdf.py", "pdf_compare.py"):
        src = (Path(escape.__file__).parent / name).read_text()
        assert "markdown=True" not in src and "write_html" not in src, name


def test_html_is_escaped_in_one_place():
    """One escape per output kind: HTML text goes through hub.escape.html_text, not a local html.escape."""
    from pathlib import Path
    root = Path(escape.__file__).resolve().parents[1]
    files = [p for d in ("hub", "ui", "pages", "loaders") for p in (root / d).rglob("*.py")]
    found = [str(p.relative_to(root)) for p in [*files, root / "serve.py", root / "app.py"]
             if p.name != "escape.py" and ("html.escape" in p.read_text(encoding="utf-8")
                                           or "markupsafe" in p.read_text(encoding="utf-8"))]
    assert found == []


# --- the map --------------------------------------------------------------------------------------
HOSTILE_CITIES = pd.DataFrame([
    ("MK001", "${" + PWN + "}`", f"</script><script>{PWN}</script>", "MK", 75051, 42.13279, 21.71585, 71.0),
    ("MK002", f'<img src=x onerror="{PWN}">', "Чаир `$`", "MK", 64773, 42.01528, 21.44111, 64.0),
    ("RS001", "Niš \\${x}", "Ниш", "RS", 187544, 43.32472, 21.90333, 48.0),
], columns=["municipality_code", "name", "name_local", "country", "population", "latitude", "longitude", "value"])


def hostile_units() -> dict:
    units = maps.shipped_units()
    for f in units["features"]:
        if f["properties"]["code"] == "MK-cair":
            f["properties"]["name"] = f'<img src=x onerror="{PWN}">'
            f["properties"]["name_alt"] = "${" + PWN + "}`"
    return units


@pytest.fixture(scope="module")
def hostile_map():
    return maps.regional_map(HOSTILE_CITIES, lang="en", title="Need <b>$x$</b>", units=hostile_units())


def test_map_script_keeps_its_shape_with_hostile_names(hostile_map):
    page = hostile_map.get_root().render()
    assert page.count("<script") == page.count("</script>")
    assert "<img" not in page and f"<script>{PWN}" not in page     # the names only ever as escaped text
    for literal in re.findall(r"bindTooltip\(\s*`(.*?)`,", page, flags=re.S):
        assert "${" not in literal and "\\" not in literal and "<img" not in literal and "<script" not in literal
    # the city markers' data: a JSON literal in the script, where no name can end a string or the script
    (points,) = re.findall(r"style = \{[^}]*\};\s*(\[\[.*?\]\])\.forEach", page, flags=re.S)
    assert "<" not in points and ">" not in points and "'" not in points
    name, local = HOSTILE_CITIES["name"][1], HOSTILE_CITIES["name_local"][1]
    assert escape.leaflet_text(f"{name} ({local})") in {p[4][0] for p in json.loads(points)}


def test_map_tooltips_show_the_names_as_written(hostile_map):
    tips = [mk["tooltip"] for c in hostile_map._children.values() if isinstance(c, maps.CityMarkers)
            for mk in c.markers]
    text = [html.unescape(re.sub(r"<[^>]+>", "", t.replace("<br>", "\n"))) for t in tips]
    assert any(t.startswith(HOSTILE_CITIES["name"][1]) for t in text)
    assert any(HOSTILE_CITIES["name_local"][0] in t for t in text)
    for t in tips:
        assert not set("`$\\") & set(t) and "<img" not in t and "<script" not in t


def test_map_click_resolves_a_hostile_name(hostile_map):
    # st_folium hands back the tooltip's text content: the names as written
    name, local = HOSTILE_CITIES["name"][1], HOSTILE_CITIES["name_local"][1]
    assert maps.city_for_click(hostile_map, f"{name} ({local})North MacedoniaNeed <b>$x$</b>: 64.0") == "MK002"


def test_map_area_tooltips_and_legend_escape_feature_properties(hostile_map):
    cair = next(f["properties"] for f in hostile_map.units_geojson["features"]
                if f["properties"]["code"] == "MK-cair")
    assert "<" not in cair["label"] and html.unescape(cair["label"]).startswith("<img src=x")
    tip = next(ch for c in hostile_map._children.values() if isinstance(c, folium.GeoJson)
               for ch in c._children.values() if isinstance(ch, folium.GeoJsonTooltip))
    assert tip.aliases and all("<" not in a for a in tip.aliases)
    legend = next(c for c in hostile_map._children.values() if isinstance(c, maps.Legend))
    assert "Need &lt;b&gt;$x$&lt;/b&gt;" in legend.html


# --- charts ---------------------------------------------------------------------------------------
def strings(obj, key=None):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from strings(v, k)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from strings(v, key)
    elif hasattr(obj, "tolist"):
        yield from strings(obj.tolist(), key)
    elif isinstance(obj, str):
        yield key, obj


def assert_inert(fig, must_show: list[str]):
    found = list(strings(fig.to_plotly_json()))
    for key, s in found:
        assert "<img" not in s and "<script" not in s and "<a " not in s, (key, s)   # Plotly links only by <a>
        if key not in ("hovertemplate", "texttemplate"):
            assert "%{" not in s, (key, s)
    values = {s for _, s in found}
    values |= {v.replace("<br>", " ") for v in values}     # titles and long names are drawn on lines
    for name in must_show:
        assert escape.plotly_text(name) in values or any(escape.plotly_text(name) in v for v in values), name


NAMES = [PAYLOADS[0], PAYLOADS[3], PAYLOADS[4], PAYLOADS[13]]


def test_chart_builders_escape_names():
    from hub.charts import city, events, fund, helpdesk, needs, overview, youth
    df = pd.DataFrame({"delta": [1.0, -2.0, 3.0, 0.5], "need_pct": [60, 20, 70, 40],
                       "support_pct": [10, 80, 30, 60]})
    assert_inert(overview.changes(df, NAMES, "en"), NAMES)
    assert_inert(overview.quadrant(df, NAMES, "en"), [NAMES[0], NAMES[2]])
    assert_inert(overview.economies_fund(pd.DataFrame({"fund_approved_eur": [1] * 4, "fund_disbursed_eur": [1] * 4}),
                                         NAMES, "en"), NAMES)
    heat = pd.DataFrame({"threat_landscape": [10.0] * 4})
    assert_inert(needs.heatmap(heat, ["threat_landscape"], NAMES, "en"), NAMES)
    assert_inert(needs.movers(pd.DataFrame({"shift": [1, -1, 2, 0]}), NAMES, "en"), NAMES)
    assert_inert(needs.city_priorities(pd.DataFrame({"theme": ["social_cohesion"], "score": [50.0]}), "en",
                                       NAMES[1]), [NAMES[1]])
    scores = pd.DataFrame({"dimension": ["index"], "score": [50.0], "economy_median": [40.0],
                           "region_median": [45.0], "peer_median": [42.0]})
    assert_inert(city.scores_vs_medians(scores, "en", NAMES[3]), [NAMES[3]])
    tr = pd.DataFrame({"period": ["2024"], "score": [50.0], "economy_median": [40.0], "region_median": [45.0]})
    assert_inert(city.trend(tr, "en", NAMES[0]), [NAMES[0]])
    dr = pd.DataFrame({"indicator_code": ["zz_unknown"], "indicator": [NAMES[1]], "dimension": ["x"],
                       "contribution": [3.0]})
    assert_inert(city.drivers(dr, "en"), [NAMES[1]])
    ev = pd.DataFrame({"role": ["r1", "r2"], "language": ["en", "sq"], "participants": [3, 4],
                       "held_on": ["2024-01-01", "2025-01-01"], "kind": ["k1", "k2"]})
    assert_inert(events.participants(ev, lambda r: NAMES[0] + r, lambda v: NAMES[1] + v, "en"), [NAMES[0] + "r1"])
    assert_inert(events.over_time(ev, lambda k: NAMES[2] + k, "en"), [NAMES[2] + "k1"])
    am = pd.DataFrame({"requested_eur": [1] * 4, "approved_eur": [1] * 4, "disbursed_eur": [1] * 4})
    assert_inert(fund.amounts(am, NAMES, "en", NAMES[1]), NAMES)
    assert_inert(fund.progress(pd.DataFrame({"progress": [0.5] * 4}), NAMES, "en"), NAMES)
    hd = pd.DataFrame({"requests": [3] * 4, "open": [1] * 4})
    assert_inert(helpdesk.by_group(hd, NAMES, "en", NAMES[3]), NAMES)
    ye = pd.DataFrame({"mean": [1.0] * 4, "cities": [3] * 4})
    assert_inert(youth.economies(ye, NAMES, NAMES[1], "en"), NAMES)
    yt = pd.DataFrame({"series": ["a", "b"], "period": ["2024", "2024"], "mean": [1.0, 2.0]})
    assert_inert(youth.trend(yt, lambda k: NAMES[0] + k, NAMES[3], "en"), [NAMES[0] + "a", NAMES[3]])
    yc = pd.DataFrame({"has_council": [True, False], "indicator_code": ["x", "y"], "mean": [1.0, 2.0],
                       "cities": [3, 4]})
    assert_inert(youth.council(yc, lambda c: NAMES[2] + c, "en"), [NAMES[2] + "x"])
    fl = pd.DataFrame({"approved_eur": [10.0, 20.0]})
    labels = {stage: [NAMES[0], NAMES[1]] for stage in ("donor", "round", "theme", "place", "result")}
    assert_inert(fund.flow_sankey(fl, labels, "en", NAMES[3]), [NAMES[0], NAMES[1], NAMES[3]])
    ri = pd.DataFrame({"target": [5.0, 6.0], "actual": [1.0, 2.0]})
    assert_inert(fund.results_by_indicator(ri, [NAMES[2], NAMES[0]], "en"), [NAMES[2], NAMES[0]])
    pr = pd.DataFrame({"indicator": [NAMES[1]], "baseline": [0.0], "target": [5.0], "actual": [3.0]})
    assert_inert(fund.project_results(pr, "en", NAMES[2]), [NAMES[1], NAMES[2]])
    from hub.charts import compare
    pos = pd.DataFrame({"indicator_code": ["zz_a", "zz_b"], "indicator": [NAMES[0], NAMES[1]], "domain": ["x", "y"],
                        "unit": [NAMES[2], None], "value": [1.0, 2.0], "median": [1.0, 1.0], "q1": [0.5, 0.5],
                        "q3": [2.0, 2.0], "peer_median": [1.0, 1.0], "position": [40.0, 60.0],
                        "peer_q1_position": [30.0, 30.0], "peer_q3_position": [70.0, 70.0],
                        "peer_median_position": [50.0, 50.0]})
    assert_inert(compare.positions(pos, "en", NAMES[3]), [NAMES[3]])
    dt = pd.DataFrame({"dimension": ["youth_engagement"] * 2, "period": ["2024", "2025"], "score": [40.0, 50.0],
                       "peer_median": [45.0, 46.0], "region_median": [44.0, 47.0]})
    assert_inert(compare.dimension_trends(dt, "en", NAMES[0]), [NAMES[0]])


# --- PDF ------------------------------------------------------------------------------------------
def test_pdf_charts_draw_maths_like_names_as_text():
    from hub.pdf import scores_png, trend_png
    name = "$\\frac{$ \\ $x^2$"
    scores = pd.DataFrame({"dimension": ["index"], "score": [50.0], "economy_median": [40.0],
                           "region_median": [45.0], "peer_median": [42.0]})
    assert scores_png(scores, "en", name).getbuffer().nbytes > 1000      # mathtext would raise here
    tr = pd.DataFrame({"period": ["2024"], "score": [50.0], "economy_median": [40.0], "region_median": [45.0]})
    assert trend_png(tr, "en", name).getbuffer().nbytes > 1000


def test_pdf_shows_hostile_names_as_written():
    from pypdf import PdfReader

    from hub.pdf import city_profile_pdf
    from hub.profile import CityProfile
    name = "$\\frac{$ <b>x</b> [l](javascript:x) Чаир\nsecond"
    header = pd.DataFrame([{"code": "MK002", "name": name, "name_local": None, "country": "MK",
                            "region": "**R** `$`", "population": 1000, "youth_population": None}])
    empty = pd.DataFrame()
    scores = pd.DataFrame({"dimension": ["index"], "score": [50.0], "coverage": [1.0], "economy_median": [40.0],
                           "region_median": [45.0], "peer_median": [42.0]})
    fund = pd.DataFrame({"title": ["<script>x</script> **t**"], "status": ["approved"], "requested_eur": [1.0],
                         "approved_eur": [1.0], "disbursed_eur": [1.0]})
    p = CityProfile(header=header, period="2025", scores=scores, trend=empty, rank=empty, drivers=empty,
                    priorities=empty, fund=fund, helpdesk=empty, events=empty)
    text = PdfReader(io.BytesIO(city_profile_pdf(p, "en"))).pages[0].extract_text()
    assert "$\\frac{$ <b>x</b> [l](javascript:x) Чаир second" in text
    assert "<script>x</script> **t**" in text and "**R** `$`" in text


def test_json_of_a_map_feature_cannot_close_the_script():
    m = maps.regional_map(HOSTILE_CITIES, lang="en", units=hostile_units())
    page = m.get_root().render()
    data = re.findall(r"_add\((\{.*?\})\);", page, flags=re.S)
    assert data and all("</" not in d for d in data)
    json.loads(data[0].replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&").replace("\\u0027", "'"))


def test_xml_text_keeps_a_feed_readable_whatever_a_name_holds(tmp_path):
    import xml.etree.ElementTree as ET
    from datetime import datetime, timezone

    from hub.alerts.digest import Digest, write_feed
    from hub.escape import xml_text
    assert xml_text("Tuzla\x01\x0b <b>&") == "Tuzla\ufffd\ufffd <b>&"      # ElementTree escapes the markup
    assert xml_text("Čair\tЧаир\n") == "Čair\tЧаир\n"
    name = "Bad\x01name </feed> & ${x}"
    items = pd.DataFrame([{"rule": "helpdesk_overdue", "problem": "open", "ref": "HD-1", "label": "youth\x02topic",
                           "municipality_code": "MK001", "name": name, "name_local": None, "country": "MK",
                           "due_on": datetime(2026, 1, 1).date(), "days_overdue": 3, "page": "city",
                           "query": "city=MK001", "before": None, "after": None}])
    feed = tmp_path / "feed.xml"
    for _ in range(2):                           # the second run must read the first entry back
        write_feed(feed, Digest("u", name, "en", items, created=datetime(2026, 1, 2, tzinfo=timezone.utc)),
                   self_url="http://example.org/feed.xml")
    root = ET.parse(feed).getroot()
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 2
    content = entries[0].find("{http://www.w3.org/2005/Atom}content").text
    assert "Bad\ufffdname &lt;/feed&gt; &amp; ${x}" in content
