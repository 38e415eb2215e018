"""Data page, survey tab (hub only): the XLSForm download, and an export checked (preview, nothing
written) then loaded. Store: a mutable demo store (``demo_copy_env``: a private copy of the demo store)."""
from __future__ import annotations

import pandas as pd
import pytest

from hub.db import get_engine
from hub.escape import markdown_text
from generators import assessment_sample as sample
from loaders.assessment_form import form_spec
from hub.i18n import t
from tests.app.helpers import app_as, open_tab

PAGE = "pages/data.py"


@pytest.fixture
def store(demo_copy_env):
    return get_engine(demo_copy_env)


def _values(engine) -> int:
    with engine.connect() as c:
        return int(pd.read_sql("select count(*) as n from indicator_values where method = 'survey'", c)["n"][0])


def test_form_download_preview_then_load(store):
    spec = form_spec(store)
    at = app_as("hub.admin", PAGE)
    assert not at.exception
    open_tab(at, t("survey.section", "en"))                  # tabs run only when open (ui.tabs)
    [button] = [b for b in at.get("download_button") if "XLSForm" in str(b.proto.label)]
    assert spec.version in button.proto.url or spec.version in " ".join(c.value for c in at.caption)
    subs = sample.synthetic_submissions(spec, ["MK001", "BA001"], "2026")
    at.file_uploader(key="survey-files").set_value(
        ("kobo.xlsx", sample.kobo_xlsx(spec, subs, lang="mk", multiple="split"), "application/octet-stream"))
    at.run()
    at.button(key="survey-preview").click()
    at.run()
    assert not at.exception
    preview = [d.value for d in at.dataframe if "Municipality code" in d.value.columns]
    assert preview and list(preview[0]["Municipality code"]) == ["MK001", "BA001"]
    assert list(preview[0]["New values"]) == ["25", "25"]          # shown as the language writes them
    assert _values(store) == 0                       # a preview writes nothing
    at.button(key="survey-confirm").click()
    at.run()
    assert not at.exception
    assert any(f"{markdown_text('kobo.xlsx')} loaded: 2 submissions" in s.value for s in at.success)
    assert _values(store) == 50


def test_refused_export_lists_sheet_row_and_column(store):
    spec = form_spec(store)
    subs = sample.synthetic_submissions(spec, ["MK001"], "2026")
    subs[0]["version"] = "v0000000000"
    at = app_as("hub.admin", PAGE)
    open_tab(at, t("survey.section", "en"))
    at.file_uploader(key="survey-files").set_value(("old.xlsx", sample.kobo_xlsx(spec, subs), "application/octet-stream"))
    at.run()
    at.button(key="survey-preview").click()
    at.run()
    assert any(f"{markdown_text('old.xlsx')} was refused" in e.value for e in at.error)
    problems = [d.value for d in at.dataframe if "Problem" in d.value.columns][0]
    assert problems.iloc[0]["File"] == "old.xlsx (sheet City Needs Assessment)"
    assert (problems.iloc[0]["Row"], problems.iloc[0]["Column"]) == ("2", "form_version")



def test_city_profile_and_methodology_say_assessed_via_survey(store):
    """After a survey load, the mayor's city profile for that period and the methodology page's freshness
    say when the cities were assessed; a period whose values came from files says nothing of the kind."""
    from hub.i18n import fmt_date, fmt_number, t
    from loaders.assessment import load_assessment
    from tests.dbutil import sql
    spec = form_spec(store)
    subs = sample.synthetic_submissions(spec, ["MK001", "MK002"], "2026")
    load_assessment([(sample.kobo_xlsx(spec, subs), "k.xlsx")], engine=store)
    [(mayor_lang,)] = sql(store, "select language from users where username = ?", "mayor.kumanovo")
    said = t("survey.assessed_via_survey", mayor_lang, date=fmt_date(subs[0]["assessed_on"], mayor_lang))
    for period, shown in (("2026", True), ("2025", False)):
        at = app_as("mayor.kumanovo", "pages/city.py", query={"period": period})
        assert not at.exception
        assert (said in [c.value for c in at.caption]) is shown, period
    [(donor_lang,)] = sql(store, "select language from users where username = ?", "donor.demo")
    latest = max(s["assessed_on"] for s in subs)
    fresh = t("survey.survey_freshness", donor_lang, date=fmt_date(latest, donor_lang),
              submissions=fmt_number(2, donor_lang), cities=fmt_number(2, donor_lang))
    at = app_as("donor.demo", "pages/methodology.py")
    assert not at.exception
    assert fresh in [c.value for c in at.caption]
