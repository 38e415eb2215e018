"""Action-list rules, scopes, memory and snapshots on a small seeded store (``empty_url``).

The store is seeded so that every rule has one item that fires and one that must not
("no alert" cases), evaluated as of TODAY with the default thresholds of data/alerts.toml.
"""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from sqlmodel import Session

from hub.access import Viewer
from hub.alerts import run as alerts_run
from hub.alerts.snapshots import record
from hub.alerts.visits import touch
from hub.db import get_engine
from hub.models import (
    Disbursement, Event, FundApplication, HelpdeskRequest, LoadLog, Municipality, NeedScore, Participant,
    Result, User,
)
from hub.queries import alerts as qa

TODAY = date(2026, 2, 1)
HUB = Viewer("hub.admin", "hub", language="en")
DONOR = Viewer("donor.demo", "donor")
MAYOR = Viewer("mayor.kumanovo", "mayor", "MK001", "mk")


def seed(url: str) -> None:
    engine = get_engine(url)
    with Session(engine) as s:
        for code, name, local, country in (("MK001", "Kumanovo", "Куманово", "MK"), ("MK002", "Čair", "Чаир", "MK"),
                                           ("BA001", "Tuzla", None, "BA")):
            s.add(Municipality(code=code, name=name, name_local=local, country=country, population=50_000,
                               member_since=date(2020, 1, 1)))
        s.flush()
        s.add(User(username="hub.admin", display_name="Hub", role="hub", language="en", email="hub@example.org"))
        s.add(User(username="donor.demo", display_name="Donor", role="donor", language="en", email="d@example.org"))
        s.add(User(username="mayor.kumanovo", display_name="Mayor", role="mayor", municipality_code="MK001",
                   language="mk", email="m@example.org"))
        # help desk: target 14 days
        for rid, code, opened, status, resolved in (
                ("HD-1", "MK001", date(2026, 1, 1), "open", None),            # 17 days overdue
                ("HD-2", "MK002", date(2026, 1, 25), "open", None),           # within target: no alert
                ("HD-3", "MK001", date(2025, 1, 1), "resolved", date(2025, 1, 3)),  # resolved: no alert
                ("HD-4", "BA001", date(2025, 12, 1), "in_progress", None)):   # overdue
            s.add(HelpdeskRequest(request_id=rid, municipality_code=code, opened_on=opened, topic="funding guidance",
                                  channel="email", status=status, resolved_on=resolved))
        # fund: first tranche due 60 days after the decision; next tranche 180 days after the last;
        # first result 180 days after the first tranche, then every 365 days while it runs
        apps = (("A1", "MK001", "approved", date(2025, 11, 1), 10_000.0),   # no tranche after 92 days
                ("A2", "MK002", "approved", date(2025, 12, 20), 10_000.0),  # 43 days: no alert yet
                ("A3", "BA001", "approved", date(2025, 5, 1), 10_000.0),    # half paid 2025-06-01, no result
                ("A4", "MK002", "completed", date(2024, 1, 1), 8_000.0),    # paid in full, reported: no alert
                ("A5", "MK001", "approved", date(2025, 3, 1), 6_000.0),     # paid in full, reported lately
                ("A6", "MK002", "submitted", None, None))                   # not approved: no alert
        for aid, code, status, decided, amount in apps:
            s.add(FundApplication(application_id=aid, municipality_code=code, title=f"Project {aid}",
                                  theme="social_cohesion", submitted_on=date(2024, 1, 1), requested_eur=10_000,
                                  status=status, decided_on=decided, approved_eur=amount, donor="Norway"))
        s.flush()
        s.add(Disbursement(application_id="A3", tranche=1, paid_on=date(2025, 6, 1), amount_eur=5_000))
        s.add(Disbursement(application_id="A4", tranche=1, paid_on=date(2024, 2, 1), amount_eur=8_000))
        s.add(Disbursement(application_id="A5", tranche=1, paid_on=date(2025, 4, 1), amount_eur=6_000))
        s.add(Result(application_id="A4", indicator="people", reported_on=date(2024, 6, 1), target=10, actual=9))
        s.add(Result(application_id="A5", indicator="people", reported_on=date(2025, 12, 1), target=10, actual=4))
        # assessment coverage (threshold 0.7 from the methodology)
        for code, cov, score, rank in (("MK001", 0.5, 60.0, 1), ("MK002", 0.9, 40.0, 2), ("BA001", 0.7, 20.0, 3)):
            s.add(NeedScore(municipality_code=code, period="2025", score=score, coverage=cov, rank=rank,
                            rank_p05=rank, rank_p95=rank))
        # events: grace 14 days
        s.add(Event(event_id="EV1", kind="workshop", title="Workshop", held_on=date(2026, 1, 1), language="en"))
        s.add(Event(event_id="EV2", kind="workshop", title="Recent", held_on=date(2026, 1, 25), language="en"))
        s.add(Event(event_id="EV3", kind="roundtable", title="Attended", held_on=date(2025, 6, 1), language="mk"))
        s.flush()
        s.add(Participant(event_id="EV3", organisation="Municipality", role="mayor", municipality_code="MK001"))
        # loads: help desk weekly (7 + 7 days grace) is overdue; events monthly is fresh
        s.add(LoadLog(dataset="helpdesk_requests", file_name="hd.csv", sha256="x", outcome="ok",
                      loaded_at=datetime(2025, 12, 1, 9)))
        s.add(LoadLog(dataset="events", file_name="ev.csv", sha256="y", outcome="ok",
                      loaded_at=datetime(2026, 1, 30, 9)))
        s.add(LoadLog(dataset="indicator_values", file_name="iv.csv", sha256="z", outcome="ok",
                      loaded_at=datetime(2026, 1, 20, 9)))
        s.commit()


@pytest.fixture
def store(empty_url):
    seed(empty_url)
    return get_engine(empty_url)


def refs(df, rule=None):
    if rule:
        df = df[df["rule"] == rule]
    return sorted(df["ref"])


def test_helpdesk_requests_past_target(store):
    got = qa.overdue_requests(HUB, engine=store, today=TODAY)
    assert refs(got) == ["HD-1", "HD-4"]                       # HD-2 within target, HD-3 resolved
    hd1 = got.set_index("ref").loc["HD-1"]
    assert hd1["days_overdue"] == 17 and hd1["due_on"] == date(2026, 1, 15)
    assert hd1["page"] == "city" and hd1["query"] == "city=MK001"
    assert refs(qa.overdue_requests(HUB, engine=store, today=TODAY, target_days=40)) == ["HD-4"]
    assert qa.overdue_requests(HUB, engine=store, today=date(2025, 12, 14)).empty   # nothing yet


def test_stalled_applications(store):
    got = qa.stalled_applications(HUB, engine=store, today=TODAY)
    assert sorted(zip(got["ref"], got["problem"])) == [
        ("A1", "no_tranche"), ("A3", "results_overdue"), ("A3", "tranche_overdue")]
    a1 = got[got["ref"] == "A1"].iloc[0]
    assert a1["due_on"] == date(2025, 12, 31) and a1["days_overdue"] == 32
    assert a1["page"] == "fund" and a1["query"] == "app=A1"
    # no alert: A2 (43 days), A4 (completed, paid, reported), A5 (reported 2 months ago), A6 (submitted)
    assert not set(got["ref"]) & {"A2", "A4", "A5", "A6"}
    # A5's next result falls due a year after its last report
    later = qa.stalled_applications(HUB, engine=store, today=date(2026, 12, 2))
    assert ("A5", "results_overdue") in set(zip(later["ref"], later["problem"]))


def test_datasets_overdue_by_freshness(store):
    got = qa.overdue_datasets(HUB, engine=store, today=TODAY)
    assert refs(got) == ["helpdesk_requests"]                  # events loaded 2 days ago: fresh
    assert got.iloc[0]["page"] == "data" and got.iloc[0]["query"] == "dataset=helpdesk_requests"
    assert got.iloc[0]["due_on"] == date(2025, 12, 15)
    assert qa.overdue_datasets(DONOR, engine=store, today=TODAY).empty


def test_incomplete_assessments(store):
    got = qa.incomplete_assessments(HUB, engine=store, today=TODAY)
    assert list(got["municipality_code"]) == ["MK001"]         # 0.9 and exactly 0.7 are complete
    assert got.iloc[0]["query"] == "city=MK001&period=2025" and got.iloc[0]["after"] == 0.5
    assert list(qa.incomplete_assessments(HUB, engine=store, today=TODAY, threshold=0.95)["municipality_code"]) == \
        ["MK001", "BA001", "MK002"]
    assert qa.incomplete_assessments(HUB, engine=store, today=TODAY, threshold=0.4).empty
    assert qa.incomplete_assessments(DONOR, engine=store, today=TODAY).empty


def test_events_without_participants(store):
    got = qa.events_without_participants(HUB, engine=store, today=TODAY)
    assert refs(got) == ["EV1"]                                 # EV2 within grace, EV3 attended
    assert got.iloc[0]["page"] == "events" and got.iloc[0]["query"] == "year=2026&kind=workshop"
    assert qa.events_without_participants(DONOR, engine=store, today=TODAY).empty


def test_action_list_scopes_follow_the_pages(store):
    hub = qa.action_list(HUB, engine=store, today=TODAY)
    assert list(dict.fromkeys(hub["rule"])) == list(qa.ACTION_RULES)
    mayor = qa.news(MAYOR, engine=store, today=TODAY)
    assert set(mayor["municipality_code"].dropna()) == {"MK001"}
    assert refs(mayor, "helpdesk_overdue") == ["HD-1"] and refs(mayor, "fund_stalled") == ["A1"]
    # a mayor may not open the fund page: the item opens their city page instead
    assert mayor[mayor["rule"] == "fund_stalled"].iloc[0][["page", "query"]].tolist() == ["city", "city=MK001"]
    assert not set(mayor["rule"]) & {"dataset_overdue", "event_no_participants"}
    donor = qa.news(DONOR, engine=store, today=TODAY)
    assert set(donor["rule"]) <= {"fund_stalled", "absorption_drop"} and refs(donor, "fund_stalled") == ["A1", "A3", "A3"]


def test_new_since_last_visit(store):
    items = qa.action_list(HUB, engine=store, today=TODAY)
    got = qa.mark_new(items, datetime(2026, 1, 1))
    new = dict(zip(got["ref"], got["new"]))
    assert new["HD-1"] and new["EV1"] and not new["HD-4"] and not new["A3"]
    assert not qa.mark_new(items, None)["new"].any()
    assert touch("hub.admin", "overview", engine=store, now=datetime(2026, 1, 1)) is None
    assert touch("hub.admin", "overview", engine=store, now=datetime(2026, 1, 5)) == datetime(2026, 1, 1)


def test_memory_tells_each_item_once(store):
    (hub,) = [r for r in alerts_run.recipients(store) if r.viewer.username == "hub.admin"]
    assert [r.viewer.username for r in alerts_run.recipients(store)] == ["hub.admin"]   # others opt in
    first = alerts_run.fresh_items(store, hub, today=TODAY)
    assert {"HD-1", "A1", "helpdesk_requests", "EV1"} <= set(first["ref"])
    alerts_run.remember(store, "hub.admin", first)
    assert alerts_run.fresh_items(store, hub, today=TODAY).empty
    # a day later nothing new is due; HD-2 and EV2 fall due on 8 February
    assert alerts_run.fresh_items(store, hub, today=date(2026, 2, 2)).empty
    assert refs(alerts_run.fresh_items(store, hub, today=date(2026, 2, 8))) == ["EV2", "HD-2"]


def test_snapshots_and_changes_between_loads(store):
    assert record(store) is not None
    assert qa.load_pairs(HUB, engine=store).empty                 # one snapshot: nothing to compare
    assert record(store) == qa.snapshot_loads(HUB, engine=store)[0]   # once per load
    with Session(store) as s:
        row = s.get(NeedScore, ("BA001", "2025"))
        row.score, row.rank, row.rank_p05, row.rank_p95 = 75.0, 1, 1, 1
        for code, rank in (("MK001", 2), ("MK002", 3)):
            other = s.get(NeedScore, (code, "2025"))
            other.rank, other.rank_p05, other.rank_p95 = rank, rank, rank
            s.add(other)
        s.add(row)
        s.add(LoadLog(dataset="indicator_values", file_name="iv2.csv", sha256="w", outcome="ok",
                      loaded_at=datetime(2026, 1, 31, 9)))
        s.commit()
    record(store)
    pairs = qa.load_pairs(HUB, engine=store)
    ba = pairs.set_index("municipality_code").loc["BA001"]
    assert (ba["score_previous"], ba["score"], ba["rank_previous"], ba["rank"]) == (20.0, 75.0, 3, 1)
    items = qa.change_items(HUB, engine=store)
    loads = items[items["basis"] == "load"]
    assert ("need_change", "BA001") in set(zip(loads["rule"], loads["ref"]))
    landed = pd.Timestamp(loads["due_on"].iloc[0])            # the change is new to a visit before it only
    assert qa.mark_new(items, landed - pd.Timedelta(seconds=1))["new"][loads.index].all()
    assert not qa.mark_new(items, landed)["new"][loads.index].any()
    assert set(qa.load_pairs(MAYOR, engine=store)["municipality_code"]) == {"MK001"}
    assert qa.load_pairs(DONOR, engine=store).empty


def test_application_page(store):
    assert qa.application_page(HUB, engine=store, application_id="A3", page_size=2) in (1, 2, 3)
    assert qa.application_page(MAYOR, engine=store, application_id="A3") is None      # not their city
    assert qa.application_page(MAYOR, engine=store, application_id="A1") == 1
    assert qa.application_page(HUB, engine=store, application_id="nope") is None
    assert qa.application_page(HUB, engine=store, application_id="A1", statuses=["completed"]) is None
    ids = pd.Series(["A6", "A5", "A4", "A3", "A2", "A1"])                    # same submitted_on: by id
    assert qa.application_page(HUB, engine=store, application_id="A6", page_size=2) == \
        sorted(ids).index("A6") // 2 + 1


def add_2024_scores(engine) -> None:
    """A previous period, so every change rule has a case that fires and one that must not:
    Kumanovo 50 → 60 and rank 2 → 1 (beyond its intervals), Tuzla 20 → 45 and 3 → 2 (and into the
    underserved quadrant: need above the median, support below), Čair 42 → 40 and 1 → 3 (inside
    its 2024 rank interval 1–3: noise)."""
    with Session(engine) as s:
        for code, score, rank, lo, hi in (("MK001", 50.0, 2, 2, 2), ("MK002", 42.0, 1, 1, 3),
                                          ("BA001", 20.0, 3, 3, 3)):
            s.add(NeedScore(municipality_code=code, period="2024", score=score, coverage=0.9, rank=rank,
                            rank_p05=lo, rank_p95=hi))
        for code, score, rank, lo, hi in (("MK002", 40.0, 3, 2, 3), ("BA001", 45.0, 2, 2, 2)):
            row = s.get(NeedScore, (code, "2025"))
            row.score, row.rank, row.rank_p05, row.rank_p95 = score, rank, lo, hi
            s.add(row)
        s.commit()


def test_change_rules_between_the_latest_two_periods(store, tmp_path):
    add_2024_scores(store)
    got = qa.change_items(HUB, engine=store)
    assert set(got["basis"]) == {"period"}                       # no snapshots yet: periods only
    found = {(r, ref): (p, b, a) for r, ref, p, b, a in
             zip(got["rule"], got["ref"], got["problem"], got["before"], got["after"])}
    assert found[("need_change", "MK001")] == ("rose", 50.0, 60.0)
    assert found[("need_change", "BA001")] == ("rose", 20.0, 45.0)
    assert ("need_change", "MK002") not in found                 # 2 points: below the 5 of alerts.toml
    assert found[("top_quartile", "MK001")] == ("entered", 2, 1)  # ceil(3 × 0.25) = the first rank
    assert found[("underserved", "BA001")][0] == "entered"
    assert [k for k in found if k[0] == "underserved"] == [("underserved", "BA001")]
    # Macedonian absorption: 8,000 of 8,000 at the end of 2024, 14,000 of 34,000 at the end of 2025;
    # Bosnia had nothing approved at the end of 2024 (unknown before: no alert)
    mk = got[got["rule"] == "absorption_drop"].set_index("ref").loc["MK"]
    assert (mk["before"], round(mk["after"], 4)) == (1.0, round(14_000 / 34_000, 4))
    assert (mk["page"], mk["query"]) == ("fund", "country=MK")
    assert "BA" not in set(got[got["rule"] == "absorption_drop"]["ref"])
    assert not (got["rule"] == "rank_move").any()                # 1 place each: below the default 3
    one = tmp_path / "alerts.toml"
    one.write_text("[changes]\nrank_places = 1\n", encoding="utf-8")
    moved = qa.change_items(HUB, engine=store, settings_path=str(one))
    moved = moved[moved["rule"] == "rank_move"]
    assert sorted(zip(moved["ref"], moved["problem"])) == [("BA001", "up"), ("MK001", "up")]   # Čair: noise
    need_row = got[(got["rule"] == "need_change") & (got["ref"] == "MK001")].iloc[0]
    assert need_row["query"] == "city=MK001&period=2025"
    # a mayor: their own city's changes, and the absorption of their own city (no economy rows)
    mayor = qa.change_items(MAYOR, engine=store)
    assert set(mayor["municipality_code"].dropna()) == {"MK001"} and set(mayor["ref"]) == {"MK001"}
    # a donor: no need scores, so only the fund's absorption by economy
    assert set(qa.change_items(DONOR, engine=store)["rule"]) == {"absorption_drop"}


def test_donor_digest_keeps_to_its_own_projects(store):
    """A donor account's fund news covers the projects its donors fund, alone or pooled; the hub's
    action list and a donor account without donors keep every application."""
    with Session(store) as s:
        a3 = s.get(FundApplication, "A3")
        a3.donor = "Norway:50; Switzerland:50"
        s.add(a3)
        s.commit()
    swiss = Viewer("donor.swiss", "donor", donors=("Switzerland",))
    norway = Viewer("donor.norway", "donor", donors=("Norway",))
    assert refs(qa.news(swiss, engine=store, today=TODAY), "fund_stalled") == ["A3", "A3"]   # pooled
    assert refs(qa.news(norway, engine=store, today=TODAY), "fund_stalled") == ["A1", "A3", "A3"]
    assert refs(qa.news(Viewer("donor.x", "donor", donors=("Japan",)), engine=store, today=TODAY),
                "fund_stalled") == []
    assert refs(qa.action_list(HUB, engine=store, today=TODAY), "fund_stalled") == ["A1", "A3", "A3"]
