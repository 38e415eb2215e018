"""The overview's action list in AppTest: rows link to the page that shows each item, and those
links open that page with the right filter; donors get no action list; "new since your last
visit" markers. A private copy of the demo store (``demo_copy_env``): the page records visits."""
from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlmodel import Session

from hub.db import get_engine
from hub.escape import markdown_text
from hub.i18n import t
from hub.models import UserVisit
from tests.app.helpers import app_as, texts

PAGE = "pages/overview.py"


@pytest.fixture
def demo_store(demo_copy_env):
    return demo_copy_env


def action_frames(at, lang="en"):
    return [df.value for df in at.dataframe if t("alerts.col.open", lang) in df.value.columns]


def links(at, lang="en"):
    return [u for df in action_frames(at, lang) for u in df[t("alerts.col.open", lang)]]


def test_action_list_links_open_the_right_page_with_the_right_filter(demo_store):
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    assert t("alerts.section", "en") in texts(at)
    labels = [e.label for e in at.expander]
    assert any(x.startswith(t("alerts.rule.helpdesk_overdue", "en")) for x in labels)
    assert any(x.startswith(t("alerts.rule.fund_stalled", "en")) for x in labels)
    urls = links(at)
    city_link = next(u for u in urls if u.startswith("/city?"))
    fund_link = next(u for u in urls if u.startswith("/fund?"))

    path, query = urlsplit(city_link).path, dict(parse_qsl(urlsplit(city_link).query))
    assert query["lang"] == "en"
    city = app_as("hub.admin", page=f"pages{path}.py", query=query)
    assert not city.exception
    assert city.selectbox(key="f-city").value == query["city"]

    path, query = urlsplit(fund_link).path, dict(parse_qsl(urlsplit(fund_link).query))
    fund = app_as("hub.admin", page=f"pages{path}.py", query=query)
    assert not fund.exception
    assert fund.selectbox(key="f-app").value == query["app"]        # the tranche viewer shows it
    assert not fund.warning


def test_fund_page_app_on_a_later_page_and_out_of_view(demo_store):
    from tests.dbutil import sql
    oldest = sql(demo_store, "select application_id from fund_applications "
                 "order by submitted_on, application_id desc limit 1")[0][0]
    fund = app_as("hub.admin", page="pages/fund.py", query={"app": oldest})
    assert fund.selectbox(key="f-app").value == oldest and fund.selectbox(key="f-page").value != "1"
    gone = app_as("hub.admin", page="pages/fund.py", query={"app": "TSF-0000-000"})
    assert not gone.exception
    assert t("alerts.app_not_in_view", "en", app=markdown_text("TSF-0000-000")) in [w.value for w in gone.warning]


def test_donor_gets_no_action_list(demo_store):
    at = app_as("donor.demo", page=PAGE)
    assert not at.exception
    assert t("alerts.section", "en") not in texts(at)
    assert not any(u.startswith("/city?") for u in links(at))        # donors cannot open city pages
    assert all(e.label.startswith(t("alerts.rule.absorption_drop", "en")) for e in at.expander)


def test_new_since_last_visit_markers_in_albanian(demo_store):
    first = app_as("hub.admin", page=PAGE, query={"lang": "sq"})
    assert t("alerts.first_visit", "sq") in texts(first)
    assert not any(t("alerts.col.new", "sq") in df.columns for df in action_frames(first, "sq"))
    with Session(get_engine(demo_store)) as s:               # pretend the last visit was in August 2025
        row = s.get(UserVisit, ("hub.admin", "overview"))
        row.last_visit = datetime(2025, 8, 1)
        s.add(row)
        s.commit()
    again = app_as("hub.admin", page=PAGE, query={"lang": "sq"})
    assert not again.exception
    frames = action_frames(again, "sq")
    marked = [r for df in frames for r in df.to_dict("records") if r.get(t("alerts.col.new", "sq")) == "●"]
    assert marked and any(t("alerts.new_marker", "sq") in e.label for e in again.expander)
    assert any(x.value.startswith(t("alerts.new_since", "sq", n="").split("{")[0][:3]) for x in again.info)
    hd = next(df for df in frames if df[t("alerts.col.open", "sq")].str.startswith("/city").any())
    assert all(u.endswith("lang=sq") for u in hd[t("alerts.col.open", "sq")])
