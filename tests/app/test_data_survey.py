"""Data page, survey tab (hub only): the XLSForm download, and an export checked (preview, nothing
written) then loaded. Store: a mutable demo store (``demo_copy_env``: a private copy of the demo store)."""
from __future__ import annotations

import pandas as pd
import pytest

from hub.db import get_engine
from hub.escape import markdown_text
from generators import assessment_sample as sample
from loaders.assessment_form import form_spec
from tests.app.helpers import app_as

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
    at.file_uploader(key="survey-files").set_value(("old.xlsx", sample.kobo_xlsx(spec, subs), "application/octet-stream"))
    at.run()
    at.button(key="survey-preview").click()
    at.run()
    assert any(f"{markdown_text('old.xlsx')} was refused" in e.value for e in at.error)
    problems = [d.value for d in at.dataframe if "Problem" in d.value.columns][0]
    assert problems.iloc[0]["File"] == "old.xlsx (sheet City Needs Assessment)"
    assert (problems.iloc[0]["Row"], problems.iloc[0]["Column"]) == ("2", "form_version")
