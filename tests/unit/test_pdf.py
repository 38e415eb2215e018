"""The city profile PDF: a real one-page PDF with the city's name on page 1, in every language."""
from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest
from pypdf import PdfReader

from hub.access import Viewer
from hub.db import get_engine
from hub.i18n import fmt_date, fmt_number, t
from hub.pdf import city_profile_pdf
from hub.profile import CityProfile
from hub.queries import city as q
from tests.unit.queries.city_seed import seed

HUB = Viewer("hub.admin", "hub")


@pytest.fixture(scope="module")
def engine(databases):
    return get_engine(seed(databases.empty("pdf")))


def profile(engine, city: str, period: str = "2025") -> CityProfile:
    kw = {"engine": engine, "city": city}
    return CityProfile(
        header=q.city_header(HUB, **kw), period=period,
        scores=q.city_scores(HUB, period=period, **kw), trend=q.city_trend(HUB, **kw),
        rank=q.city_rank(HUB, period=period, **kw), drivers=q.city_drivers(HUB, period=period, **kw),
        priorities=q.city_priorities(HUB, period=period, **kw), fund=q.city_fund(HUB, **kw),
        helpdesk=q.city_helpdesk(HUB, **kw), events=q.city_events(HUB, **kw), youth=q.city_youth(HUB, **kw),
        demo=True, generated_on=date(2026, 1, 15),
    )


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    return PdfReader(io.BytesIO(pdf))


@pytest.mark.parametrize("city, lang, shown", [
    ("MK002", "mk", "Чаир"),          # local Cyrillic name in Macedonian
    ("MK002", "en", "Čair"),          # Latin name with a diacritic in English
    ("AL001", "sq", "Shkodër"),
    ("BA001", "bcms", "Tuzla"),
])
def test_one_page_with_city_name(engine, city, lang, shown):
    reader = read(city_profile_pdf(profile(engine, city), lang))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert shown in text
    assert t("pdf.drivers", lang) in text and t("pdf.support", lang) in text
    assert reader.metadata.title == t("pdf.document_title", lang, city=shown)


def test_figures_match_the_store(engine):
    p = profile(engine, "MK001")
    text = read(city_profile_pdf(p, "en")).pages[0].extract_text()
    score = p.scores.loc[p.scores["dimension"] == "index", "score"].iloc[0]
    assert fmt_number(score, "en", 1) in text
    assert t("pdf.rank_of", "en", rank=int(p.rank["rank"][0]), of=int(p.rank["of"][0])) in text
    assert "€7,000" in text            # disbursed to MK001's first application (4,000 + 3,000)
    assert "Project 1 of MK001" in text


def test_kosovo_carries_its_footnote(engine):
    from hub.labels import country_name, kosovo_footnote
    text = read(city_profile_pdf(profile(engine, "XK001"), "sq")).pages[0].extract_text()
    assert "Prishtinë" in text and country_name("XK", "sq") in text
    assert kosovo_footnote("sq")[:40] in " ".join(text.split())


def test_markup_in_a_name_is_plain_text(engine):
    text = read(city_profile_pdf(profile(engine, "RS001"), "bcms")).pages[0].extract_text()
    assert "<script>alert(1)</script>" in text


def test_a_period_from_files_says_nothing_of_a_survey(engine):
    text = read(city_profile_pdf(profile(engine, "MK001"), "en")).pages[0].extract_text()
    assert "via survey" not in text


def test_empty_profile_still_renders(engine):
    empty = profile(engine, "MK001")
    blank = {k: v.iloc[0:0] for k, v in vars(empty).items() if isinstance(v, pd.DataFrame) and k != "header"}
    p = CityProfile(**{**vars(empty), **blank, "period": None})
    reader = read(city_profile_pdf(p, "sq"))
    assert len(reader.pages) == 1 and "Kumanovo" in reader.pages[0].extract_text()


def text_heights(pdf: bytes) -> list[tuple[float, str]]:
    """(height above the page bottom, text) of every text run on page 1."""
    runs: list[tuple[float, str]] = []
    read(pdf).pages[0].extract_text(
        visitor_text=lambda text, cm, tm, font, size: runs.append((tm[5], text)) if text.strip() else None)
    return sorted(runs)


@pytest.mark.parametrize("city, lang", [("MK001", "mk"), ("MK002", "sq"), ("BA001", "bcms")])
def test_demo_profiles_fit_above_the_footer(demo_url, city, lang):
    """With the demo's six dimensions and full records, nothing runs into the footer."""
    p = profile(get_engine(demo_url), city)
    p.assessed_on = date(2025, 3, 2)           # the longest subtitle: a surveyed period says so
    pdf = city_profile_pdf(p, lang)
    said = t("survey.assessed_via_survey", lang, date=fmt_date(p.assessed_on, lang))
    assert " ".join(said.split()) in " ".join(read(pdf).pages[0].extract_text().split())   # wrapped or not
    runs = text_heights(pdf)
    footer = [y for y, s in runs if s.strip() and s.strip() in t("pdf.footer", lang)]
    assert footer, "footer not found"
    body = [y for y, s in runs if y > max(footer) + 1]
    assert len(runs) - len(body) <= 3          # only the footer lines sit that low
    assert min(body) > max(footer) + 8         # a clear gap between the body and the footer


def test_indicator_and_theme_names_are_translated(engine):
    text = read(city_profile_pdf(profile(engine, "MK002"), "mk")).pages[0].extract_text()
    assert t("city.indicator.hate_incidents", "mk") in text
    assert t("city.theme.online_harms", "mk") in text
    assert "Hate incidents" not in text
