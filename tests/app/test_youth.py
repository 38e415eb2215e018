"""Youth page in AppTest against the demo database: figures recomputed from the store, filters,
empty and one-city cases, a hostile municipality name shown as text."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import text
from sqlmodel import Session

from hub import i18n
from hub.db import get_engine
from hub.i18n import fmt_number, fmt_percent
from hub.models import User
from tests.app.helpers import app_as, numeric, table_with, texts
from tests.app.helpers_lang import app_in
from tests.unit.queries.test_youth import seed

PAGE = "pages/youth.py"
YOUTH = ("youth_council", "youth_share", "youth_reached", "youth_in_decision_making", "youth_unemployment")


def _metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def _table(at, column):
    return numeric(table_with(at, column))    # in whichever tab shows it (tabs run only when open)


def _values(url):
    return pd.read_sql("select v.*, m.country from indicator_values v join municipalities m "
                       "on m.code = v.municipality_code where v.value is not null", get_engine(url))


def test_demo_figures_equal_store(demo_env):
    v = _values(demo_env)
    v = v[v["indicator_code"].isin(YOUTH)]
    latest = sorted(v["period"].unique())[-1]
    now = v[v["period"] == latest]
    at = app_as("donor.demo", page=PAGE)
    assert not at.exception
    assert _metric(at, "Cities with a youth council") == fmt_percent(
        now.loc[now["indicator_code"] == "youth_council", "value"].mean(), "en", decimals=1)
    assert _metric(at, "Youth unemployment (%)") == fmt_number(
        now.loc[now["indicator_code"] == "youth_unemployment", "value"].mean(), "en", decimals=1)
    cities = _table(at, "Municipality")
    assert len(cities) == now["municipality_code"].nunique()
    council = now[now["indicator_code"] == "youth_council"].set_index("municipality_code")["value"]
    comp = _table(at, "Cities with a council")
    assert comp["Cities with a council"].max() == int((council >= 0.5).sum())


def test_demo_filters_narrow(demo_env):
    v = _values(demo_env)
    periods = sorted(v.loc[v["indicator_code"].isin(YOUTH), "period"].unique())
    at = app_as("hub.admin", page=PAGE, query={"country": "MK", "period": periods[0]})
    assert not at.exception
    cities = _table(at, "Municipality")
    mk = v[(v["country"] == "MK") & (v["period"] == periods[0]) & v["indicator_code"].isin(YOUTH)]
    assert len(cities) == mk["municipality_code"].nunique()
    assert set(cities["Economy"]) == {"North Macedonia"}
    at.text_input(key="youth-search").set_value("kumanovo").run()
    assert _table(at, "Municipality")["Municipality"].tolist() == ["Kumanovo"]


def test_empty_database(empty_env):
    with Session(get_engine(empty_env)) as s:
        s.add(User(username="hub.admin", display_name="Hub", role="hub"))
        s.commit()
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    assert "No data for this selection." in texts(at) and not at.metric


def test_one_city_and_hostile_name(empty_url, monkeypatch):
    url = empty_url
    eng = seed(get_engine(url))
    with eng.begin() as c:
        c.execute(text("delete from indicator_values where municipality_code <> 'BA002'"))
    with Session(eng) as s:
        s.add(User(username="hub.admin", display_name="Hub", role="hub"))
        s.commit()
    monkeypatch.setenv("DATABASE_URL", url)
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    assert _metric(at, "Cities with a youth council") == fmt_percent(0, "en", decimals=1)
    assert _table(at, "Municipality")["Municipality"].tolist() == ["<script>alert(1)</script>"]
    comp = _table(at, "Cities without a council")      # no city has a council: one side only, no error
    assert comp["Cities without a council"].tolist() == [1, 1, 1]
    assert comp["With a youth council"].isna().all()


def test_in_macedonian(demo_env):
    at = app_in("mk", "donor.demo", PAGE)
    assert not at.exception
    assert at.title[0].value == i18n.t("nav.youth", "mk") != i18n.t("nav.youth", "en")
    assert "youth." not in texts(at)
    assert "Куманово" in set(_table(at, "Општина")["Општина"])   # local script in the matching language
