"""Youth queries on a small real SQLite store: figures recomputed by hand, scope per role."""
from __future__ import annotations

import pandas as pd
import pytest
from sqlmodel import Session

from hub.access import Viewer
from hub.db import get_engine
from hub.models import Indicator, IndicatorValue, Municipality
from hub.queries import youth

HUB = Viewer("h", "hub")
DONOR = Viewer("d", "donor")
MAYOR = Viewer("m", "mayor", "MK001")
NOBODY = Viewer("x", "guest")

VALUES = {  # city -> (council, share, reached, decision, unemployment) for 2025; 2024 halves 'reached'
    "MK001": (1, 22.0, 40.0, 60.0, 20.0),
    "MK002": (0, 25.0, 10.0, 30.0, 30.0),
    "BA001": (1, 20.0, 50.0, 70.0, 25.0),
    "BA002": (0, 18.0, None, 20.0, 35.0),
}


def seed(eng, sensitive_share=False):
    with Session(eng) as s:
        s.add_all([Municipality(code=c, name=n, country=c[:2]) for c, n in
                   (("MK001", "Kumanovo"), ("MK002", "Čair"), ("BA001", "Tuzla"), ("BA002", "<script>alert(1)</script>"))])
        s.add_all([Indicator(code=c, name=c, domain="youth_engagement", polarity="higher_is_better",
                             sensitive=(sensitive_share and c == "youth_share")) for c in youth.YOUTH_INDICATORS])
        s.add(Indicator(code="hate_incidents", name="Hate", domain="threat_landscape", polarity="higher_is_worse",
                        sensitive=True))
        s.commit()
        for city, vals in VALUES.items():
            for code, v in zip(youth.YOUTH_INDICATORS, vals):
                s.add(IndicatorValue(municipality_code=city, indicator_code=code, period="2025", value=v))
                if code == "youth_reached" and v is not None:
                    s.add(IndicatorValue(municipality_code=city, indicator_code=code, period="2024", value=v / 2))
            s.add(IndicatorValue(municipality_code=city, indicator_code="hate_incidents", period="2025", value=9.0))
        s.commit()
    return eng


@pytest.fixture
def engine(empty_url):
    return seed(get_engine(empty_url))


def test_by_city_and_economy(engine):
    cities = youth.by_city(HUB, engine=engine, period="2025").set_index("municipality_code")
    assert len(cities) == 4 and "hate_incidents" not in cities.columns
    assert cities.loc["MK001", "youth_reached"] == 40 and pd.isna(cities.loc["BA002", "youth_reached"])
    eco = youth.by_economy(HUB, engine=engine, period="2025").set_index(["country", "indicator_code"])
    assert eco.loc[("MK", "youth_council"), "mean"] == 0.5
    assert eco.loc[("BA", "youth_reached"), "cities"] == 1 and eco.loc[("BA", "youth_reached"), "mean"] == 50
    assert set(youth.by_city(HUB, engine=engine, period="2025", countries=["BA"])["country"]) == {"BA"}
    assert youth.periods(HUB, engine=engine)["period"].tolist() == ["2024", "2025"]


def test_trend_and_council_comparison(engine):
    tr = youth.trend(HUB, engine=engine).set_index(["period", "indicator_code"])
    assert tr.loc[("2025", "youth_reached"), "mean"] == pytest.approx((40 + 10 + 50) / 3)
    assert tr.loc[("2024", "youth_reached"), "mean"] == pytest.approx((20 + 5 + 25) / 3)
    cc = youth.council_comparison(HUB, engine=engine, period="2025").set_index(["indicator_code", "has_council"])
    assert cc.loc[("youth_in_decision_making", True), "mean"] == 65
    assert cc.loc[("youth_in_decision_making", False), "mean"] == 25
    assert cc.loc[("youth_unemployment", False), "cities"] == 2
    assert "youth_council" not in cc.index.get_level_values(0)


def test_scope(engine):
    assert set(youth.by_city(MAYOR, engine=engine, period="2025")["municipality_code"]) == {"MK001"}
    assert set(youth.by_city(MAYOR, engine=engine, countries=["BA"])["municipality_code"]) == set()
    assert len(youth.by_city(DONOR, engine=engine, period="2025")) == 4   # youth indicators are not sensitive
    assert youth.by_city(NOBODY, engine=engine).empty
    assert youth.by_economy(NOBODY, engine=engine).empty


def test_sensitive_indicator_hidden_from_donors_at_city_level(empty_url):
    eng = seed(get_engine(empty_url), sensitive_share=True)
    assert youth.by_city(DONOR, engine=eng, period="2025")["youth_share"].isna().all()
    assert youth.by_city(HUB, engine=eng, period="2025")["youth_share"].notna().all()
    eco = youth.by_economy(DONOR, engine=eng, period="2025").set_index(["country", "indicator_code"])
    assert eco.loc[("MK", "youth_share"), "mean"] is None          # two cities: suppressed
    eco_all = youth.trend(DONOR, engine=eng).set_index(["period", "indicator_code"])
    assert eco_all.loc[("2025", "youth_share"), "mean"] == pytest.approx((22 + 25 + 20 + 18) / 4)
