"""Help-desk page in AppTest: figures equal the store, filters narrow, empty and one-city cases."""
from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text
from sqlmodel import Session

from hub import i18n
from hub.db import get_engine
from hub.i18n import fmt_number
from hub.models import User
from tests.app.helpers import app_as, texts, numeric
from tests.app.helpers_lang import app_in
from tests.unit.queries.test_helpdesk import seed

PAGE = "pages/helpdesk.py"


def _users(eng):
    with Session(eng) as s:
        s.add_all([User(username="hub.admin", display_name="Hub", role="hub"),
                   User(username="donor.demo", display_name="Donor", role="donor")])
        s.commit()


def _env(url, monkeypatch):
    eng = seed(get_engine(url))
    _users(eng)
    monkeypatch.setenv("DATABASE_URL", url)
    return eng


def _metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def _table(at, column):
    return numeric(next(df.value for df in at.dataframe if column in df.value.columns))


def test_figures_equal_store(empty_url, monkeypatch):
    eng = _env(empty_url, monkeypatch)
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    raw = pd.read_sql("select * from helpdesk_requests", eng, parse_dates=["opened_on", "resolved_on"])
    done = raw[raw["status"] == "resolved"]
    assert _metric(at, "Requests") == fmt_number(len(raw), "en")
    assert _metric(at, "Open") == fmt_number(int((raw["status"] != "resolved").sum()), "en")
    assert _metric(at, "Median days to resolve") == fmt_number(
        (done["resolved_on"] - done["opened_on"]).dt.days.median(), "en")
    by_topic = _table(at, "Topic").set_index("Topic")
    assert by_topic.loc["Funding guidance" if "Funding guidance" in by_topic.index else "funding", "Requests"] == 2
    backlog = _table(at, "Open at month end")
    assert backlog["Open at month end"].iloc[-1] == 2


def test_filter_by_channel_from_url_and_grouping(empty_url, monkeypatch):
    _env(empty_url, monkeypatch)
    at = app_as("hub.admin", page=PAGE, query={"channel": "email", "by": "country"})
    assert not at.exception
    assert _metric(at, "Requests") == "3"
    by_country = _table(at, "Economy")
    assert dict(zip(by_country["Economy"], by_country["Requests"])) == {"North Macedonia": 2,
                                                                        "Bosnia and Herzegovina": 1}
    at.sidebar.multiselect(key="f-status").set_value(["resolved"]).run()
    assert _metric(at, "Requests") == "2"


def test_donor_cannot_open(empty_url, monkeypatch):
    _env(empty_url, monkeypatch)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app_as("donor.demo", page=PAGE)  # the page is not even in the donor's navigation


def test_empty_database(empty_env):
    _users(get_engine(empty_env))
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    assert "No data for this selection." in texts(at) and not at.metric


def test_one_city(empty_url, monkeypatch):
    eng = _env(empty_url, monkeypatch)
    with eng.begin() as c:
        c.execute(text("delete from helpdesk_requests where municipality_code <> 'MK001'"))
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    assert _metric(at, "Requests") == "2" and _metric(at, "Open") == "0"
    assert _metric(at, "Median days to resolve") == fmt_number(pd.Series([10, 41]).median(), "en")


def test_demo_figures_equal_store(demo_env):
    raw = pd.read_sql("select * from helpdesk_requests", get_engine(demo_env), parse_dates=["opened_on", "resolved_on"])
    done = raw[raw["status"] == "resolved"].dropna(subset=["resolved_on"])
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    assert _metric(at, "Requests") == fmt_number(len(raw), "en")
    assert _metric(at, "Open") == fmt_number(int((raw["status"] != "resolved").sum()), "en")
    assert _metric(at, "Median days to resolve") == fmt_number(
        (done["resolved_on"] - done["opened_on"]).dt.days.median(), "en")
    assert _table(at, "Topic")["Requests"].sum() == len(raw)
    last = _table(at, "Open at month end").iloc[-1]["Open at month end"]
    assert last == len(raw) - raw["resolved_on"].notna().sum()


def test_in_albanian(demo_env):
    at = app_in("sq", "hub.admin", PAGE)
    assert not at.exception
    assert at.title[0].value == i18n.t("nav.helpdesk", "sq") != i18n.t("nav.helpdesk", "en")
    assert "helpdesk." not in texts(at)
    assert "Udhëzime për financimin" in set(_table(at, "Tema")["Tema"])


def test_backlog_months_are_dates_written_the_language_way(demo_env):
    # The month column read "2023-04" in every language; now a date column (it still sorts) drawn
    # month-year in the language's pattern (4.2023 г. in mk), and the download keeps the ISO month.
    import json
    from hub.display import date_pattern
    at = app_in("mk", "hub.admin", PAGE)
    assert not at.exception
    month = i18n.t("helpdesk.col.month", "mk")
    [df] = [d for d in at.dataframe if month in d.value.columns]
    assert pd.api.types.is_datetime64_any_dtype(df.value[month])
    config = json.loads(df.proto.columns)
    assert config[month]["type_config"]["format"] == date_pattern("mk", "yMM") == "M.YYYY\u202f[г]."
