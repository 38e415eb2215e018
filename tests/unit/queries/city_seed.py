"""A small, hand-made store for the city-profile and methodology tests (real SQLite, filled
through hub.models), so these tests do not wait on the demo builder."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session

from hub.db import get_engine
from hub.models import (
    DimensionScore, Disbursement, Event, FundApplication, HelpdeskRequest, Indicator,
    IndicatorContribution, IndicatorValue, LoadLog, Municipality, NeedScore, Participant, Priority,
    PriorityScore, User,
)

# code, name, name_local, country, population
CITIES = [
    ("MK001", "Kumanovo", "Куманово", "MK", 98_000),
    ("MK002", "Čair", "Чаир", "MK", 64_000),
    ("MK003", "Tetovo", "Тетово", "MK", 84_000),
    ("MK004", "Bitola", "Битола", "MK", 85_000),
    ("BA001", "Tuzla", None, "BA", 110_000),
    ("BA002", "Zenica", None, "BA", 70_000),
    ("AL001", "Shkodër", None, "AL", 77_000),
    ("RS001", "<script>alert(1)</script>", None, "RS", 15_000),
    ("XK001", "Prishtinë", None, "XK", 200_000),
]
PERIODS = ("2024", "2025")
DIMENSIONS = ("threat_landscape", "youth_engagement")
INDICATORS = [
    # code, name, domain, unit, polarity, sensitive
    ("hate_incidents", "Hate incidents", "threat_landscape", "per 10,000 residents", "higher_is_worse", True),
    ("youth_council", "Youth council in place", "youth_engagement", "0/1", "higher_is_better", False),
    ("youth_unemployment", "Youth unemployment", "youth_engagement", "%", "higher_is_worse", False),
    ("youth_share", "Youth share of population", "youth_engagement", "%", "higher_is_better", False),
]


def score_of(i: int, period: str, dim: str | None = None) -> float:
    """Deterministic, distinct scores."""
    base = 20 + 7 * i + (3 if period == "2025" else 0)
    return float(base + (0 if dim is None else (5 if dim == "threat_landscape" else -4)))


def seed(url: str) -> str:
    engine = get_engine(url)
    with Session(engine) as s:
        for code, name, local, country, pop in CITIES:
            s.add(Municipality(code=code, name=name, name_local=local, country=country, population=pop,
                               youth_population=pop // 5, region="R"))
        for code, name, domain, unit, pol, sens in INDICATORS:
            s.add(Indicator(code=code, name=name, domain=domain, unit=unit, polarity=pol, sensitive=sens))
        s.commit()
        for i, (code, *_rest) in enumerate(CITIES):
            for period in PERIODS:
                n = len(CITIES)
                s.add(NeedScore(municipality_code=code, period=period, score=score_of(i, period),
                                coverage=0.9, rank=n - i, rank_p05=max(1, n - i - 1),
                                rank_p95=min(n, n - i + 1), rank_uncertain=(i == 0),
                                top_mover="hate_incidents", flagged=False))
                for dim in DIMENSIONS:
                    s.add(DimensionScore(municipality_code=code, period=period, dimension=dim,
                                         score=score_of(i, period, dim), coverage=1.0))
                s.add(IndicatorContribution(municipality_code=code, period=period,
                                            indicator_code="hate_incidents", dimension="threat_landscape",
                                            value=3.0 + i, normalised=0.5, weight=0.5,
                                            contribution=score_of(i, period) * 0.6))
                s.add(IndicatorContribution(municipality_code=code, period=period,
                                            indicator_code="youth_unemployment", dimension="youth_engagement",
                                            value=20.0 + i, normalised=0.3, weight=0.5,
                                            contribution=score_of(i, period) * 0.4))
                for ind, val in (("hate_incidents", 3.0 + i), ("youth_council", float(i % 2)),
                                 ("youth_unemployment", 20.0 + i), ("youth_share", 21.0 + i)):
                    # MK004 lacks hate_incidents in 2024: one missing value for the data-quality table.
                    if code == "MK004" and ind == "hate_incidents" and period == "2024":
                        continue
                    s.add(IndicatorValue(municipality_code=code, indicator_code=ind, period=period, value=val))
                for rank, theme in enumerate(("youth_engagement", "online_harms", "social_cohesion"), 1):
                    s.add(Priority(municipality_code=code, period=period, theme=theme, rank=rank))
                    s.add(PriorityScore(municipality_code=code, period=period, theme=theme,
                                        stated=(3 - rank + 1) / 3, need=0.5, score=60.0 - 10 * rank + i,
                                        rank=rank))
            # Fund: two applications per city, the first with two tranches.
            for k in (1, 2):
                app = f"TSF-{code}-{k}"
                s.add(FundApplication(application_id=app, municipality_code=code, title=f"Project {k} of {code}",
                                      theme="youth_engagement", submitted_on=date(2024, k, 10),
                                      requested_eur=10_000.0 * k, status="approved" if k == 1 else "submitted",
                                      decided_on=date(2024, 3, 1) if k == 1 else None,
                                      approved_eur=9_000.0 if k == 1 else None, donor="EU" if k == 1 else None))
            s.commit()
            s.add(Disbursement(application_id=f"TSF-{code}-1", tranche=1, paid_on=date(2024, 4, 1), amount_eur=4_000.0))
            s.add(Disbursement(application_id=f"TSF-{code}-1", tranche=2, paid_on=date(2024, 9, 1), amount_eur=3_000.0))
            for k in range(3):
                opened = date(2025, 1, 1) + timedelta(days=10 * k)
                s.add(HelpdeskRequest(request_id=f"HD-{code}-{k}", municipality_code=code, opened_on=opened,
                                      topic="funding", channel="email", status="resolved" if k else "open",
                                      resolved_on=opened + timedelta(days=4) if k else None))
        s.add(Event(event_id="EV1", kind="roundtable", title="Skopje roundtable", held_on=date(2024, 5, 5),
                    language="mk", location="Skopje"))
        s.add(Event(event_id="EV2", kind="workshop", title="Tuzla workshop", held_on=date(2024, 6, 6),
                    language="bcms", location="Tuzla"))
        s.commit()
        s.add(Participant(event_id="EV1", organisation="Kumanovo municipality", role="mayor",
                          municipality_code="MK001", count=1))
        s.add(Participant(event_id="EV1", organisation="Kumanovo youth", role="youth",
                          municipality_code="MK001", count=4))
        s.add(Participant(event_id="EV1", organisation="Čair municipality", role="mayor",
                          municipality_code="MK002", count=1))
        s.add(Participant(event_id="EV2", organisation="Tuzla municipality", role="mayor",
                          municipality_code="BA001", count=2))
        now = datetime(2026, 11, 1, 9, 0)
        for ds, days in (("municipalities", 30), ("indicator_values", 400), ("helpdesk_requests", 10)):
            s.add(LoadLog(dataset=ds, file_name=f"{ds}.csv", sha256="ab" * 32, rows_inserted=5,
                          loaded_by="hub.admin", loaded_at=now - timedelta(days=days), outcome="ok"))
        s.add(LoadLog(dataset="helpdesk_requests", file_name="bad.csv", sha256="cd" * 32,
                      loaded_at=now - timedelta(days=1), outcome="refused", message="row 3: bad status"))
        s.add(User(username="hub.admin", display_name="Hub", role="hub"))
        s.add(User(username="donor.demo", display_name="Donor", role="donor"))
        s.add(User(username="mayor.kumanovo", display_name="Mayor", role="mayor", municipality_code="MK001"))
        s.add(User(username="mayor.cair", display_name="Mayor Čair", role="mayor", municipality_code="MK002",
                   language="mk"))
        s.commit()
    return url
