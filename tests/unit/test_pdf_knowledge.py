"""Issue 16 in the PDFs: the city profile's compare and recommendation pages in every language (a
mayor's with no other city's scores), and the one-page answer pack of a help-desk request."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from hub.access import Viewer
from hub.db import get_engine
from hub.i18n import t
from hub.pdf import city_profile_pdf
from hub.profile import CityProfile
from hub.pdf_compare import answer_pack_pdf
from hub.queries import city as qc
from hub.queries import compare, recommend
from tests.unit.queries.knowledge_seed import seed

HUB = Viewer("hub.admin", "hub")
MAYOR = Viewer("mayor.kumanovo", "mayor", "MK001", "mk")


@pytest.fixture(scope="module")
def engine(databases):
    url = seed(databases.empty("pdfk"))      # the run's backend, from the conftest factory
    yield get_engine(url)
    databases.drop(url)


def text_of(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def profile(engine, viewer, lang):
    kw = {"engine": engine, "city": "MK001"}
    empty = qc.city_fund(viewer, **kw).iloc[0:0]
    return CityProfile(
        header=qc.city_header(viewer, **kw), period="2025", scores=qc.city_scores(viewer, period="2025", **kw),
        trend=qc.city_trend(viewer, **kw), rank=qc.city_rank(viewer, period="2025", **kw),
        drivers=qc.city_drivers(viewer, period="2025", **kw), priorities=qc.city_priorities(viewer, period="2025", **kw),
        fund=empty, helpdesk=qc.city_helpdesk(viewer, **kw), events=qc.city_events(viewer, **kw),
        positions=compare.indicator_positions(viewer, period="2025", **kw),
        strengths=compare.city_strengths(viewer, period="2025", lang=lang, **kw),
        dimension_trend=compare.dimension_trend(viewer, **kw),
        recommendations=recommend.recommendations(viewer, lang=lang, **kw))


@pytest.mark.parametrize("lang", ["en", "sq", "bcms", "mk"])
def test_city_pdf_has_the_compare_page(engine, lang):
    pages = text_of(city_profile_pdf(profile(engine, MAYOR, lang), lang))
    assert len(pages) >= 2
    rest = " ".join(pages[1:])
    assert t("compare.title", lang) in rest and t("recommend.title", lang) in rest
    assert t("compare.strengths", lang) in rest
    for s in ("40.3", "40,3", "39.7", "39,7"):        # Čair's score and the gap never reach a mayor's PDF
        assert s not in rest


@pytest.mark.parametrize("lang", ["en", "mk"])
def test_answer_pack_is_one_page(engine, lang):
    req = recommend.request_detail(HUB, request_id="HD-1", engine=engine)
    needs = recommend.city_needs(HUB, city="MK001", engine=engine)
    recs = recommend.request_matches(HUB, request_id="HD-1", lang=lang, engine=engine)
    pages = text_of(answer_pack_pdf(req, needs, recs, lang, demo=True))
    assert len(pages) == 1
    assert "HD-1" in pages[0] and recs["title"].iloc[0].split()[0] in pages[0]
    assert t("recommend.pack.needs", lang) in pages[0]


HOSTILE = "$\\frac{$ <b>x</b> [l](javascript:x) `${1}`"


def test_compare_page_and_answer_pack_show_hostile_names_as_written(engine):
    """A city name, practice title or topic with maths-like ``$`` pairs (which made matplotlib raise and
    the whole profile fail), markup and line breaks is drawn as written, on one line."""
    p = profile(engine, HUB, "en")
    p.header = p.header.assign(name=HOSTILE)
    p.dimension_trend = p.dimension_trend.assign(period=p.dimension_trend["period"].astype(str) + "$")
    p.positions = p.positions.assign(indicator_code="not_in_the_catalog", indicator=HOSTILE + " $x^2$")
    p.recommendations = p.recommendations.assign(title="Practice\nwith a break " + HOSTILE)
    pages = text_of(city_profile_pdf(p, "en"))
    rest = " ".join(pages[1:])
    assert len(pages) >= 2 and HOSTILE + " · " in rest                   # the page title, shortened to fit
    assert "Practice with a break " + HOSTILE in rest

    req = recommend.request_detail(HUB, request_id="HD-1", engine=engine).assign(topic="Topic\n" + HOSTILE)
    needs = recommend.city_needs(HUB, city="MK001", engine=engine)
    recs = recommend.request_matches(HUB, request_id="HD-1", lang="en", engine=engine)
    pack = text_of(answer_pack_pdf(req, needs, recs.assign(title=HOSTILE + "\nnext"), "en"))
    assert len(pack) == 1 and "Topic " + HOSTILE in pack[0] and HOSTILE + " next" in pack[0]
