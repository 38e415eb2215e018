"""A small hand-made store for the recommendation, search and compare tests (issue 16): six member
cities with chosen dimension scores, practices in peer and non-peer cities, public and hub-only
entries, and actors in and outside the city's economy."""
from __future__ import annotations

from datetime import date

from sqlmodel import Session

from hub.db import get_engine
from hub.models import (Actor, DimensionScore, HelpdeskRequest, Indicator, IndicatorValue, Municipality, Practice,
                        Priority, User)

PERIOD = "2025"
# code, name, name_local, country, population (50-100k: MK001, MK002, MK003, AL001; others 100-250k)
CITIES = [
    ("MK001", "Kumanovo", "Куманово", "MK", 75_000),
    ("MK002", "Čair", "Чаир", "MK", 64_000),
    ("MK003", "Tetovo", "Тетово", "MK", 63_000),
    ("BA001", "Tuzla", "Тузла", "BA", 142_000),
    ("AL001", "Shkodër", None, "AL", 95_000),
    ("RS001", "Kragujevac", "Крагујевац", "RS", 147_000),
]
DIMS = ("youth_engagement", "multi_stakeholder_prevention", "threat_landscape", "social_cohesion")
# Kumanovo's scores are whole numbers; every other city's carry .3 so a leak is recognisable.
SCORES = {
    "MK001": (80, 70, 60, 10),
    "MK002": (40.3, 30.3, 20.3, 50.3),
    "MK003": (90.3, 20.3, 70.3, 30.3),
    "BA001": (30.3, 60.3, 65.3, 20.3),
    "AL001": (50.3, 75.3, 10.3, 40.3),
    "RS001": (20.3, 40.3, 30.3, 60.3),
}
# youth_council (0/1, better) and hate_incidents (sensitive, worse) per city
VALUES = {"MK001": (1, 4.0), "MK002": (0, 2.1), "MK003": (1, 5.3), "BA001": (1, 3.3), "AL001": (0, 1.3),
          "RS001": (1, 6.3)}


def practice(pid, city, title, themes, stage="established", year=2019, public=True, **titles):
    return Practice(practice_id=pid, municipality_code=city, title_en=title, themes=themes, stage=stage,
                    year_started=year, public=public, contact_organisation=f"Contact {pid}", **titles)


def practices() -> list[Practice]:
    return [
    practice("P1", "MK002", "Young Cities model", "youth_engagement;multi_stakeholder_prevention",
             title_mk="Модел со Young Cities"),
    practice("P2", "MK003", "Tetovo youth forum", "youth_engagement"),                # more need: never
    practice("P3", "BA001", "Tuzla youth council", "youth_engagement", title_bcms="Vijeće mladih Tuzle"),
    practice("P5", "MK002", "Online hate watch", "online_harms", stage="pilot", year=2022),
    practice("P6", "AL001", "Referral desk", "multi_stakeholder_prevention"),        # more need: never
    practice("P7", "RS001", "Front-line training", "multi_stakeholder_prevention", stage="pilot", year=None),
    practice("P8", "MK002", "Čair case board", "multi_stakeholder_prevention", public=False),
    practice("P9", "MK001", "Kumanovo CAT", "multi_stakeholder_prevention"),         # the city's own
    ]
def actors() -> list[Actor]:
    return [
    Actor(actor_id="X1", name_en="OSCE Mission to Skopje", name_mk="Мисија на ОБСЕ во Скопје", kind="international",
          economies="MK", themes="youth_engagement", offers="training"),
    Actor(actor_id="X2", name_en="Regional Cooperation Council", kind="regional", economies=None,
          themes="online_harms", offers="research"),
    Actor(actor_id="X3", name_en="OSCE Mission to BiH", kind="international", economies="BA",
          themes="youth_engagement"),
    Actor(actor_id="X4", name_en="Hub-only partner", kind="national", economies="MK", themes="youth_engagement",
          public=False),
    Actor(actor_id="X5", name_en="Cohesion NGO", kind="civil_society", economies="MK", themes="social_cohesion",
          offers="funding"),
    ]


def seed(url: str) -> str:
    engine = get_engine(url)
    with Session(engine) as s:
        for code, name, local, country, pop in CITIES:
            s.add(Municipality(code=code, name=name, name_local=local, country=country, population=pop,
                               member_since=date(2019, 1, 1)))
        s.add(Indicator(code="youth_council", name="Youth council", domain="youth_engagement", unit="0/1",
                        polarity="higher_is_better"))
        s.add(Indicator(code="hate_incidents", name="Hate incidents", domain="threat_landscape",
                        unit="per 10,000", polarity="higher_is_worse", sensitive=True))
        s.commit()
        for code, scores in SCORES.items():
            for dim, score in zip(DIMS, scores):
                s.add(DimensionScore(municipality_code=code, period=PERIOD, dimension=dim, score=score, coverage=1))
            yc, hi = VALUES[code]
            s.add(IndicatorValue(municipality_code=code, indicator_code="youth_council", period=PERIOD, value=yc))
            s.add(IndicatorValue(municipality_code=code, indicator_code="hate_incidents", period=PERIOD, value=hi))
        s.add(Priority(municipality_code="MK001", period=PERIOD, theme="online_harms", rank=1))
        s.add(Priority(municipality_code="MK001", period=PERIOD, theme="social_cohesion", rank=5))
        s.add_all(practices() + actors())   # new objects per store
        s.add(HelpdeskRequest(request_id="HD-1", municipality_code="MK001", opened_on=date(2025, 3, 1),
                              topic="youth council set-up", channel="email", status="open"))
        s.add(HelpdeskRequest(request_id="HD-2", municipality_code="MK002", opened_on=date(2025, 4, 1),
                              topic="funding guidance", channel="email", status="open"))
        s.add_all([User(username="hub.admin", display_name="Hub", role="hub"),
                   User(username="donor.demo", display_name="Donor", role="donor"),
                   User(username="mayor.kumanovo", display_name="Mayor", role="mayor", municipality_code="MK001",
                        language="mk")])
        s.commit()
    return url
