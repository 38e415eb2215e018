"""Events queries on a small real SQLite store: figures recomputed by hand, scope per role."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from hub.access import Viewer
from hub.db import get_engine
from hub.models import Event, Municipality, Participant
from hub.queries import events

HUB = Viewer("h", "hub")
DONOR = Viewer("d", "donor")
MAYOR = Viewer("m", "mayor", "MK001")
NOBODY = Viewer("x", "guest")


def seed(eng):
    with Session(eng) as s:
        s.add_all([Municipality(code="MK001", name="Kumanovo", name_local="Куманово", country="MK"),
                   Municipality(code="MK002", name="Čair", country="MK"),
                   Municipality(code="XK001", name="Prishtinë", country="XK")])
        s.add_all([
            Event(event_id="E1", kind="roundtable", title="Launch", held_on=date(2024, 3, 1), language="en"),
            Event(event_id="E2", kind="workshop", title="Youth", held_on=date(2024, 6, 1), language="mk",
                  location="Skopje"),
            Event(event_id="E3", kind="workshop", title="Online", held_on=date(2025, 2, 1), language="sq",
                  virtual=True),
        ])
        s.commit()
        s.add_all([
            Participant(event_id="E1", organisation="Kumanovo", role="mayor", municipality_code="MK001"),
            Participant(event_id="E1", organisation="Kumanovo", role="municipal_official",
                        municipality_code="MK001", count=2),
            Participant(event_id="E1", organisation="Čair", role="deputy_mayor", municipality_code="MK002"),
            Participant(event_id="E1", organisation="OSCE", role="international", count=3),
            Participant(event_id="E2", organisation="Kumanovo", role="youth", municipality_code="MK001", count=4),
            Participant(event_id="E2", organisation="Čair", role="mayor", municipality_code="MK002"),
            Participant(event_id="E3", organisation="Prishtinë", role="mayor", municipality_code="XK001"),
        ])
        s.commit()
    return eng


@pytest.fixture
def engine(empty_url):
    return seed(get_engine(empty_url))


def test_headline(engine):
    h = events.headline(HUB, engine=engine).iloc[0]
    assert h["events"] == 3
    assert h["participants"] == 1 + 2 + 1 + 3 + 4 + 1 + 1
    assert h["mayors_engaged"] == 3           # MK001, MK002, XK001
    assert h["cities_reached"] == 3
    assert h["repeat_cities"] == 2            # MK001 and MK002 at E1 and E2
    h = events.headline(HUB, engine=engine, kinds=["workshop"]).iloc[0]
    assert (h["events"], h["mayors_engaged"], h["repeat_cities"]) == (2, 2, 0)
    h = events.headline(HUB, engine=engine, years=[2030]).iloc[0]
    assert (h["events"], h["participants"], h["cities_reached"]) == (0, 0, 0)


def test_events_table_and_breakdowns(engine):
    ev = events.events(HUB, engine=engine).set_index("event_id")
    assert list(ev.index) == ["E3", "E2", "E1"]
    assert ev.loc["E1", "participants"] == 7 and ev.loc["E1", "cities"] == 2 and ev.loc["E1", "mayors"] == 1
    pb = events.participants_by(HUB, engine=engine)
    assert pb["participants"].sum() == 13
    assert pb.groupby("role")["participants"].sum()["mayor"] == 3
    assert pb.groupby("language")["participants"].sum()["mk"] == 5
    reach = events.city_reach(HUB, engine=engine)
    assert reach["municipality_code"].tolist()[:2] == ["MK001", "MK002"] and len(reach) == 3
    assert set(events.city_reach(HUB, engine=engine, min_events=2)["municipality_code"]) == {"MK001", "MK002"}
    assert set(events.filter_options(HUB, engine=engine).query("kind=='year'")["value"]) == {"2024", "2025"}


def test_scope(engine):
    assert events.headline(DONOR, engine=engine).iloc[0]["events"] == 3
    h = events.headline(MAYOR, engine=engine).iloc[0]
    assert (h["events"], h["participants"], h["cities_reached"]) == (2, 7, 1)
    for kw in ({}, {"languages": ["sq"]}, {"kinds": ["workshop"]}):
        assert set(events.city_reach(MAYOR, engine=engine, **kw)["municipality_code"]) <= {"MK001"}
        assert set(events.events(MAYOR, engine=engine, **kw)["event_id"]) <= {"E1", "E2"}
    assert events.events(MAYOR, engine=engine).set_index("event_id").loc["E1", "participants"] == 3
    assert events.participants_by(MAYOR, engine=engine)["participants"].sum() == 7
    assert events.events(NOBODY, engine=engine).empty
    assert events.headline(NOBODY, engine=engine).iloc[0]["participants"] == 0
