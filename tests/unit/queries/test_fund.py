"""Fund queries on a small real SQLite store: figures recomputed by hand, scope per role."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlmodel import Session

from hub.access import Viewer
from hub.db import get_engine
from hub.models import Disbursement, FundApplication, Municipality, Result
from hub.queries import fund

HUB = Viewer("h", "hub")
DONOR = Viewer("d", "donor")
MAYOR = Viewer("m", "mayor", "MK001")
NOBODY = Viewer("x", "guest")


@pytest.fixture
def engine(empty_url):
    return seed(get_engine(empty_url))


def seed(eng):
    """Three cities, four applications, three tranches, three result reports."""
    with Session(eng) as s:
        s.add_all([
            Municipality(code="MK001", name="Kumanovo", name_local="Куманово", country="MK"),
            Municipality(code="MK002", name="Čair", name_local="Чаир", country="MK"),
            Municipality(code="BA001", name="Tuzla", country="BA"),
        ])
        s.commit()
        s.add_all([
            FundApplication(application_id="A1", municipality_code="MK001", title="Youth hub", theme="youth_engagement",
                            submitted_on=date(2024, 1, 10), requested_eur=10000, status="approved",
                            decided_on=date(2024, 2, 1), approved_eur=8000, donor="EU"),
            FundApplication(application_id="A2", municipality_code="MK002", title="Referral", theme="social_cohesion",
                            submitted_on=date(2024, 3, 1), requested_eur=5000, status="completed",
                            decided_on=date(2024, 3, 20), approved_eur=5000, donor="UK"),
            FundApplication(application_id="A3", municipality_code="BA001", title="Online", theme="online_harms",
                            submitted_on=date(2025, 1, 5), requested_eur=7000, status="rejected",
                            decided_on=date(2025, 2, 1), approved_eur=None, donor="EU"),
            FundApplication(application_id="A4", municipality_code="BA001", title="Plan", theme="youth_engagement",
                            submitted_on=date(2025, 4, 5), requested_eur=3000, status="submitted"),
        ])
        s.commit()
        s.add_all([
            Disbursement(application_id="A1", tranche=1, paid_on=date(2024, 2, 11), amount_eur=4000),
            Disbursement(application_id="A1", tranche=2, paid_on=date(2024, 6, 1), amount_eur=2000),
            Disbursement(application_id="A2", tranche=1, paid_on=date(2024, 4, 19), amount_eur=5000),
        ])
        s.add_all([
            Result(application_id="A1", indicator="youth_reached", reported_on=date(2024, 6, 1),
                   baseline=10, target=50, actual=20),
            Result(application_id="A1", indicator="youth_reached", reported_on=date(2024, 12, 1),
                   baseline=10, target=50, actual=40),
            Result(application_id="A2", indicator="cases", reported_on=date(2024, 12, 1),
                   baseline=5, target=5, actual=6),
        ])
        s.commit()
    return eng


def test_headline_matches_hand_computed_figures(engine):
    h = fund.headline(HUB, engine=engine).iloc[0]
    assert h["applications"] == 4
    assert h["requested_eur"] == 25000
    assert h["approved_eur"] == 13000          # rejected/submitted do not count
    assert h["disbursed_eur"] == 11000
    assert h["absorption"] == pytest.approx(11000 / 13000)
    assert h["median_days_to_first_tranche"] == pytest.approx((10 + 30) / 2)  # A1: 10 days, A2: 30 days


def test_filters_narrow_every_figure(engine):
    h = fund.headline(HUB, engine=engine, countries=["MK"], years=[2024]).iloc[0]
    assert (h["applications"], h["requested_eur"]) == (2, 15000)
    h = fund.headline(HUB, engine=engine, donors=["EU"]).iloc[0]
    assert (h["applications"], h["approved_eur"], h["disbursed_eur"]) == (2, 8000, 6000)
    h = fund.headline(HUB, engine=engine, themes=["online_harms"]).iloc[0]
    assert h["absorption"] is None or pd.isna(h["absorption"])
    assert h["median_days_to_first_tranche"] is None


def test_amounts_by_each_grouping_add_up(engine):
    total = fund.headline(HUB, engine=engine).iloc[0]
    for by in fund.GROUPINGS:
        df = fund.amounts_by(HUB, engine=engine, by=by)
        assert df["requested_eur"].sum() == total["requested_eur"]
        assert df["disbursed_eur"].sum() == total["disbursed_eur"]
    by_year = fund.amounts_by(HUB, engine=engine, by="year").set_index("group")
    assert by_year.loc["2024", "approved_eur"] == 13000 and by_year.loc["2025", "requested_eur"] == 10000
    with pytest.raises(ValueError):
        fund.amounts_by(HUB, engine=engine, by="municipality; drop table x")


def test_pipeline_and_timeline(engine):
    p = fund.pipeline(HUB, engine=engine).set_index("status")
    assert p["applications"].to_dict() == {"submitted": 1, "approved": 1, "completed": 1, "rejected": 1}
    tl = fund.timeline(HUB, engine=engine)
    assert tl["committed_cum"].iloc[-1] == 13000 and tl["disbursed_cum"].iloc[-1] == 11000
    assert tl["month"].is_monotonic_increasing and len(tl) == 5  # Feb..Jun 2024, gap months filled
    assert fund.timeline(HUB, engine=engine, countries=["XK"]).empty


def test_applications_are_paged(engine):
    assert fund.applications_count(HUB, engine=engine) == 4
    p1 = fund.applications(HUB, engine=engine, page=1, page_size=3)
    p2 = fund.applications(HUB, engine=engine, page=2, page_size=3)
    assert len(p1) == 3 and len(p2) == 1
    assert set(p1["application_id"]) | set(p2["application_id"]) == {"A1", "A2", "A3", "A4"}
    assert p1["application_id"].iloc[0] == "A4"  # newest first
    assert pd.concat([p1, p2]).set_index("application_id").loc["A1", "disbursed_eur"] == 6000


def test_tranches_and_results(engine):
    tr = fund.tranches(HUB, engine=engine, application_id="A1")
    assert tr["amount_eur"].tolist() == [4000, 2000]
    assert tr["share_of_approved"].iloc[-1] == pytest.approx(6000 / 8000)
    res = fund.results(HUB, engine=engine).set_index(["application_id", "indicator"])
    assert len(res) == 2                                   # latest report only
    assert res.loc[("A1", "youth_reached"), "progress"] == pytest.approx((40 - 10) / (50 - 10))
    assert pd.isna(res.loc[("A2", "cases"), "progress"])   # target == baseline


def test_scope_mayor_and_unknown_role(engine):
    assert fund.headline(DONOR, engine=engine).iloc[0]["applications"] == 4  # city-level fund data is fine
    for kw in ({}, {"countries": ["BA"]}, {"statuses": ["rejected"]}):
        apps = fund.applications(MAYOR, engine=engine, page_size=100, **kw)
        assert set(apps["municipality_code"]) <= {"MK001"}
    assert fund.headline(MAYOR, engine=engine).iloc[0]["requested_eur"] == 10000
    assert fund.tranches(MAYOR, engine=engine, application_id="A2").empty
    assert set(fund.results(MAYOR, engine=engine)["application_id"]) == {"A1"}
    assert set(fund.amounts_by(MAYOR, engine=engine, by="country")["group"]) == {"MK"}
    assert set(fund.filter_options(MAYOR, engine=engine).query("kind == 'country'")["value"]) == {"MK"}
    assert fund.applications_count(NOBODY, engine=engine) == 0
    assert fund.timeline(NOBODY, engine=engine).empty
