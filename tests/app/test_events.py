"""Events page in AppTest against the demo database: figures recomputed from the store, filters,
empty and one-city cases."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import text
from sqlmodel import Session

from hub import i18n
from hub.db import get_engine
from hub.i18n import fmt_number
from hub.models import User
from tests.app.helpers import app_as, numeric, open_tab, table_with, texts
from tests.app.helpers_lang import app_in
from tests.unit.queries.test_events import seed

PAGE = "pages/events.py"


def _metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def _table(at, column):
    return numeric(table_with(at, column))    # in whichever tab shows it (tabs run only when open)


def _store(url):
    eng = get_engine(url)
    p = pd.read_sql("select p.*, e.kind, e.language from participants p join events e using (event_id)", eng)
    e = pd.read_sql("select * from events", eng)
    return e, p


def test_demo_figures_equal_store(demo_env):
    e, p = _store(demo_env)
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    per_city = p.dropna(subset=["municipality_code"]).groupby("municipality_code")["event_id"].nunique()
    assert _metric(at, "Events") == fmt_number(len(e), "en")
    assert _metric(at, "Participants") == fmt_number(int(p["count"].sum()), "en")
    assert _metric(at, "Mayors engaged") == fmt_number(p.loc[p["role"] == "mayor", "municipality_code"].nunique(), "en")
    assert _metric(at, "Cities reached") == fmt_number(p["municipality_code"].nunique(), "en")
    assert _metric(at, "Cities at 2+ events") == fmt_number(int((per_city >= 2).sum()), "en")
    assert len(_table(at, "Title")) == len(e)
    roles = _table(at, "Role")
    assert roles["Total"].sum() == p["count"].sum()
    assert len(_table(at, "Events attended")) == per_city.size


def test_demo_filters_narrow(demo_env):
    e, p = _store(demo_env)
    at = app_as("donor.demo", page=PAGE, query={"kind": "workshop"})
    assert not at.exception
    assert _metric(at, "Events") == fmt_number(int((e["kind"] == "workshop").sum()), "en")
    assert set(_table(at, "Title")["Type"]) == {"Workshop"}
    at = open_tab(at, "Cities")
    at.toggle(key="repeat").set_value(True).run()
    ws = p[p["kind"] == "workshop"].dropna(subset=["municipality_code"])
    repeat = ws.groupby("municipality_code")["event_id"].nunique()
    if (repeat >= 2).any():
        assert len(_table(at, "Events attended")) == int((repeat >= 2).sum())
    else:
        assert "No data for this selection." in texts(at)
    assert at.query_params["repeat"] in ("1", ["1"])


def test_empty_database(empty_env):
    with Session(get_engine(empty_env)) as s:
        s.add(User(username="hub.admin", display_name="Hub", role="hub"))
        s.commit()
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    assert "No data for this selection." in texts(at) and not at.metric


def test_one_city(empty_url, monkeypatch):
    url = empty_url
    eng = seed(get_engine(url))
    with eng.begin() as c:
        c.execute(text("delete from participants where municipality_code is null or municipality_code <> 'XK001'"))
    with Session(eng) as s:
        s.add(User(username="hub.admin", display_name="Hub", role="hub"))
        s.commit()
    monkeypatch.setenv("DATABASE_URL", url)
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    assert _metric(at, "Cities reached") == "1" and _metric(at, "Mayors engaged") == "1"
    assert _metric(at, "Cities at 2+ events") == "0"
    assert _table(at, "Events attended")["Municipality"].tolist() == ["Prishtinë"]
    assert any("1244" in c.value for c in at.caption)   # Kosovo footnote under the table naming Kosovo


def test_in_bcms(demo_env):
    at = app_in("bcms", "hub.admin", PAGE)
    assert not at.exception
    assert at.title[0].value == i18n.t("nav.events", "bcms") != i18n.t("nav.events", "en")
    assert "events." not in texts(at)
    assert "Okrugli sto" in set(_table(at, "Naziv")["Vrsta"])


def test_titles_without_translation_say_so_outside_english(demo_env):
    # An event has one title, as entered: outside English the page says so under the table.
    note = i18n.t("events.titles_as_entered", "mk")
    at = app_in("mk", "hub.admin", PAGE)
    assert not at.exception and note in [c.value for c in at.caption]
    at = app_in("en", "hub.admin", PAGE)
    assert i18n.t("events.titles_as_entered", "en") not in [c.value for c in at.caption]
