"""A small store with scores, fund and help-desk rows for the overview and needs query tests.

Nine member cities in four economies (and one non-member, MK099) (MK 4, RS 3, AL 1, BA 1 named like a script tag), two periods,
three dimensions (threat_landscape is sensitive). Figures are chosen so tests can recompute
them by hand or with independent SQL.
"""
from __future__ import annotations

from datetime import date

from sqlmodel import Session

from hub.db import get_engine
from hub.models import (
    DimensionScore, Disbursement, FundApplication, HelpdeskRequest, Indicator, IndicatorValue,
    Municipality, NeedScore, Priority, PriorityScore,
)

CITIES = [  # code, name, local, country, population
    ("MK001", "Kumanovo", "Куманово", "MK", 100_000),
    ("MK002", "Cair", "Чаир", "MK", 60_000),
    ("MK003", "Tetovo", "Тетово", "MK", 80_000),
    ("MK004", "Ohrid", "Охрид", "MK", 50_000),
    ("RS001", "Novi Pazar", "Нови Пазар", "RS", 100_000),
    ("RS002", "Presevo", "Прешево", "RS", 30_000),
    ("RS003", "Bujanovac", "Бујановац", "RS", 40_000),
    ("AL001", "Shkoder", "Shkodër", "AL", 120_000),
    ("BA001", "<script>alert(1)</script>", None, "BA", 20_000),
]
DIMS = ("threat_landscape", "youth_engagement", "social_cohesion")
# Dimension scores per period: code -> (threat, youth, cohesion); need = their mean.
DIM_SCORES = {
    "2024": {"MK001": (60, 40, 50), "MK002": (70, 60, 50), "MK003": (30, 30, 30), "MK004": (20, 40, 30),
             "RS001": (80, 70, 60), "RS002": (50, 50, 50), "RS003": (40, 20, 30), "AL001": (10, 20, 30),
             "BA001": (30, 60, 30)},
    "2025": {"MK001": (90, 60, 60), "MK002": (60, 50, 40), "MK003": (30, 30, 30), "MK004": (20, 20, 20),
             "RS001": (70, 60, 50), "RS002": (60, 60, 60), "RS003": (40, 40, 40), "AL001": (10, 10, 10),
             "BA001": (30, 60, 60)},
}
THEMES = ("youth_engagement", "online_harms", "social_cohesion")


def need_scores(period: str) -> dict[str, float]:
    return {c: sum(v) / len(v) for c, v in DIM_SCORES[period].items()}


def build(url: str) -> None:
    engine = get_engine(url)
    with Session(engine) as s:
        for code, name, local, country, pop in CITIES:
            s.add(Municipality(code=code, name=name, name_local=local, country=country, population=pop,
                               youth_population=pop // 5, latitude=42.0, longitude=21.0,
                               member_since=date(2022, 1, 1)))
        s.add(Municipality(code="MK099", name="Prilep", name_local="Прилеп", country="MK", population=70_000))
        s.add(Indicator(code="hate_incidents", name="Hate incidents", domain="threat_landscape",
                        polarity="higher_is_worse", sensitive=True))
        s.add(Indicator(code="youth_council", name="Youth council", domain="youth_engagement",
                        polarity="higher_is_better"))
        s.add(Indicator(code="youth_share", name="Youth share", domain="youth_engagement",
                        polarity="higher_is_better"))
        s.flush()
        for period, table in DIM_SCORES.items():
            needs = need_scores(period)
            for code, vals in table.items():
                rank = 1 + sum(1 for v in needs.values() if v > needs[code])  # ties share the best rank
                s.add(NeedScore(municipality_code=code, period=period, score=needs[code], rank=rank,
                                rank_p05=max(1, rank - 1), rank_p95=rank + (3 if code == "RS002" else 1),
                                rank_uncertain=code == "RS002", coverage=0.6 if code == "AL001" else 1.0,
                                flagged=code == "AL001", top_mover="hate_incidents", method_id="need"))
                for dim, v in zip(DIMS, vals):
                    s.add(DimensionScore(municipality_code=code, period=period, dimension=dim, score=v,
                                         coverage=1.0))
                s.add(IndicatorValue(municipality_code=code, indicator_code="youth_council", period=period,
                                     value=1.0 if code < "MK003" else 0.0))
                s.add(IndicatorValue(municipality_code=code, indicator_code="hate_incidents", period=period,
                                     value=vals[0] / 10))
                # Stated priorities: MK cities put youth first, others online harms.
                first = "youth_engagement" if code.startswith("MK") else "online_harms"
                rest = [t for t in THEMES if t != first]
                rows = []
                for r, theme in enumerate([first] + rest, start=1):
                    s.add(Priority(municipality_code=code, period=period, theme=theme, rank=r))
                    stated = (len(THEMES) - r + 1) / len(THEMES)
                    g = {"youth_engagement": vals[1], "online_harms": vals[0], "social_cohesion": vals[2]}[theme] / 100
                    rows.append((theme, stated, g, 100 * (stated * g) ** 0.5))
                rows.sort(key=lambda x: (-x[3], x[0]))
                for prank, (theme, stated, g, p) in enumerate(rows, start=1):
                    s.add(PriorityScore(municipality_code=code, period=period, theme=theme, stated=stated,
                                        need=g, score=p, rank=prank))
        s.flush()
        # Fund: approved/completed count as committed; one rejected application.
        apps = [
            ("A1", "MK001", "approved", 10_000.0), ("A2", "MK001", "completed", 5_000.0),
            ("A3", "RS001", "approved", 20_000.0), ("A4", "AL001", "rejected", None),
            ("A5", "MK003", "submitted", None), ("A6", "BA001", "approved", 8_000.0),
        ]
        for app_id, code, status, approved in apps:
            s.add(FundApplication(application_id=app_id, municipality_code=code, title=f"Project {app_id}",
                                  theme="youth_engagement", submitted_on=date(2024, 2, 1), requested_eur=25_000.0,
                                  status=status, decided_on=date(2024, 4, 1) if approved else None,
                                  approved_eur=approved))
        s.flush()
        for app_id, tranche, paid, amount in [
            ("A1", 1, date(2024, 6, 1), 4_000.0), ("A1", 2, date(2025, 6, 1), 3_000.0),
            ("A2", 1, date(2024, 7, 1), 5_000.0), ("A3", 1, date(2025, 3, 1), 10_000.0),
            ("A3", 2, date(2026, 1, 15), 5_000.0), ("A6", 1, date(2025, 9, 1), 8_000.0),
        ]:
            s.add(Disbursement(application_id=app_id, tranche=tranche, paid_on=paid, amount_eur=amount))
        # Help desk: (id, city, opened, status, resolved)
        reqs = [
            ("H1", "MK001", date(2025, 1, 1), "resolved", date(2025, 1, 11)),
            ("H2", "MK001", date(2025, 2, 1), "resolved", date(2025, 2, 3)),
            ("H3", "MK002", date(2025, 3, 1), "open", None),
            ("H4", "RS001", date(2025, 3, 1), "in_progress", None),
            ("H5", "RS002", date(2024, 5, 1), "resolved", date(2024, 5, 6)),
            ("H6", "AL001", date(2025, 12, 20), "resolved", date(2026, 1, 10)),
            ("H7", "MK004", date(2025, 4, 1), "resolved", date(2025, 4, 5)),
        ]
        for rid, code, opened, status, resolved in reqs:
            s.add(HelpdeskRequest(request_id=rid, municipality_code=code, opened_on=opened, topic="pve",
                                  channel="email", status=status, resolved_on=resolved))
        s.commit()
