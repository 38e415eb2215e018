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
from tests.dbutil import as_date

PAGE = "pages/overview.py"


@pytest.fixture
def demo_store(demo_copy_env):
    return demo_copy_env


def action_frames(at, lang="en"):
    return [df.value for df in at.dataframe if t("alerts.col.open", lang) in df.value.columns]


def open_items(at):
    """Open every rule's expander (a closed one's table is not built: ui.alerts.show_items)."""
    from hub.queries import alerts as qa
    for key, rules in (("actions", qa.ACTION_RULES), ("changes", qa.CHANGE_RULES)):
        for rule in rules:
            at.session_state[f"open-{key}-{rule}"] = True
    return at.run()


def links(at, lang="en"):
    open_items(at)
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


def test_data_events_and_economy_links_open_their_filters(demo_store):
    """The action list's other pages: an overdue dataset opens the Data page on that dataset, an
    event without participant records the events page on its year and kind (where the event is
    listed), and a falling economy absorption the fund page filtered to that economy."""
    from datetime import datetime as dt

    from sqlalchemy import delete, update

    from hub.models import LoadLog, Participant
    from tests.dbutil import sql
    event_id, title = sql(demo_store, "select event_id, title from events where held_on < ? "
                          "order by held_on, event_id limit 1", dt(2025, 1, 1))[0]
    with get_engine(demo_store).begin() as conn:      # helpdesk_requests last loaded in 2020; no one came
        conn.execute(update(LoadLog.__table__).where(LoadLog.dataset == "helpdesk_requests")
                     .values(loaded_at=dt(2020, 1, 1)))
        conn.execute(delete(Participant.__table__).where(Participant.event_id == event_id))
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    labels = [e.label for e in at.expander]
    for rule in ("dataset_overdue", "event_no_participants", "absorption_drop"):
        assert any(x.startswith(t(f"alerts.rule.{rule}", "en")) for x in labels), rule
    urls = links(at)

    data_link = next(u for u in urls if u.startswith("/data?"))
    query = dict(parse_qsl(urlsplit(data_link).query))
    assert query["dataset"] == "helpdesk_requests"
    data = app_as("hub.admin", page="pages/data.py", query=query)
    assert not data.exception and data.selectbox(key="f-dataset").value == "helpdesk_requests"

    event_links = [dict(parse_qsl(urlsplit(u).query)) for u in urls if u.startswith("/events?")]
    (kind, year), = sql(demo_store, "select kind, held_on from events where event_id = ?", event_id)
    query = next(q for q in event_links if q["kind"] == kind and q["year"] == str(as_date(year).year))
    events = app_as("hub.admin", page="pages/events.py", query=query)
    assert not events.exception
    assert events.multiselect(key="f-kind").value == [kind]
    assert events.multiselect(key="f-year").value == [query["year"]]
    assert any((df.value == title).any(axis=None) for df in events.dataframe)   # the event is listed

    fund_link = next(u for u in urls if u.startswith("/fund?country="))
    query = dict(parse_qsl(urlsplit(fund_link).query))
    fund = app_as("hub.admin", page="pages/fund.py", query=query)
    assert not fund.exception and fund.multiselect(key="f-country").value == [query["country"]]
