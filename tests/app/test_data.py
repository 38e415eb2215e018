"""Data page: the upload handler against a real store (AppTest cannot drive file uploads), and the
page's load log, audit log and templates in AppTest."""
from __future__ import annotations

import pandas as pd
import pytest
from sqlmodel import Session

from hub.access import Viewer
from hub.audit import audit
from hub import i18n
from hub.i18n import t
from hub.db import get_engine
from hub.models import User
from loaders.uploads import handle_upload, template_bytes
from tests.app.helpers import app_as, numeric, open_tab, table_with, texts
from tests.app.helpers_lang import app_in

PAGE = "pages/data.py"
HUB = Viewer("hub.admin", "hub")
DONOR = Viewer("donor.demo", "donor")


@pytest.fixture
def demo_copy(demo_copy_env):
    """A private copy of the demo database: these tests write to it."""
    return get_engine(demo_copy_env)


def _count(eng, table):
    with eng.connect() as c:
        return int(pd.read_sql(f"select count(*) as n from {table}", c)["n"].iloc[0])


def test_refused_file_writes_nothing_and_lists_problems(demo_copy):
    before = _count(demo_copy, "helpdesk_requests")
    bad = ("request_id,municipality_code,opened_on,topic,channel,status,resolved_on\n"
           "HD-X1,NOPE999,2025-13-01,funding guidance,email,resolved,2025-01-01\n"
           "HD-X2,MK001,2025-01-01,funding guidance,email,open,\n").encode()
    out = handle_upload(HUB, "helpdesk_requests", bad, file_name="bad.csv", engine=demo_copy)
    assert not out.ok
    assert list(out.errors.columns) == ["file", "row", "column", "problem"]
    assert len(out.errors) >= 1 and (out.errors["row"] == 2).any()
    assert _count(demo_copy, "helpdesk_requests") == before
    log = pd.read_sql("select * from load_log order by id desc limit 1", demo_copy)
    assert log.loc[0, "outcome"] == "refused" and log.loc[0, "file_name"] == "bad.csv"


def test_good_file_lands(demo_copy):
    before = _count(demo_copy, "helpdesk_requests")
    good = ("request_id,municipality_code,opened_on,topic,channel,status,resolved_on\n"
            "HD-NEW-1,MK001,2025-05-01,funding guidance,email,open,\n").encode()
    out = handle_upload(HUB, "helpdesk_requests", good, file_name="good.csv", engine=demo_copy)
    assert out.ok, out.errors
    assert (out.rows, out.inserted) == (1, 1)
    assert _count(demo_copy, "helpdesk_requests") == before + 1


def test_only_hub_may_load(demo_copy):
    before = _count(demo_copy, "load_log")
    good = b"request_id,municipality_code,opened_on,topic,channel,status,resolved_on\nHD-D,MK001,2025-05-01,x,email,open,\n"
    out = handle_upload(DONOR, "helpdesk_requests", good, file_name="d.csv", engine=demo_copy)
    assert not out.ok and _count(demo_copy, "load_log") == before
    assert not handle_upload(HUB, "no_such_dataset", good, file_name="d.csv", engine=demo_copy).ok


def test_templates_name_every_required_column():
    from loaders import DATASETS
    for name, spec in DATASETS.items():
        header = template_bytes(name).decode("utf-8-sig").splitlines()[0].split(",")
        assert set(spec.header_required) <= set(header), name


def test_page_shows_load_log_audit_and_template(demo_copy):
    audit("hub.admin", "download", target="x.csv", engine=demo_copy)
    log = pd.read_sql("select * from load_log", demo_copy)
    au = pd.read_sql("select * from audit_log", demo_copy)
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    shown_log = numeric(table_with(at, "Rows inserted"))
    assert len(shown_log) == min(500, len(log))
    shown_audit = numeric(table_with(at, "Action", "Target"))
    assert len(shown_audit) == min(500, len(au))
    at.selectbox(key="f-action").set_value("download").run()
    shown_audit = numeric(table_with(at, "Action", "Target"))
    assert set(shown_audit["Action"]) == {"Download"} and "x.csv" in set(shown_audit["Target"])
    assert at.query_params["action"] in ("download", ["download"])
    datasets = numeric(table_with(at, "Dataset code"))
    from loaders import DATASETS
    assert list(datasets["Dataset code"]) == list(DATASETS)
    at.button[0].click().run()                    # the form's submit without a file
    assert "Choose a file first." in texts(at)


def test_donor_cannot_open(demo_copy):
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app_as("donor.demo", page=PAGE)


def test_empty_database(empty_env):
    with Session(get_engine(empty_env)) as s:
        s.add(User(username="hub.admin", display_name="Hub", role="hub"))
        s.commit()
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    assert any("Dataset code" in df.value.columns for df in at.dataframe)
    assert any("Required" in df.value.columns for df in at.dataframe)     # the chosen dataset's columns
    open_tab(at, t("data.tab.log", "en"))                    # tabs run only when open (ui.tabs)
    assert "No data for this selection." in texts(at)       # no loads yet


def test_in_albanian(demo_copy):
    at = app_in("sq", "hub.admin", PAGE)
    assert not at.exception
    assert at.title[0].value == i18n.t("nav.data", "sq") != i18n.t("nav.data", "en")
    assert "data." not in texts(at)
