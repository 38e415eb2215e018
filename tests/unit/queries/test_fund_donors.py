"""Donor scope in the fund query layer (issue 15): a donor sees its own contribution next to the
whole fund and never another donor's split; pooled projects split pro rata to the cent; every
total reconciles. Small store seeded on the ``empty_url`` fixture, plus the demo store."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from hub.access import Viewer
from hub.accounts import load_viewer
from hub.db import get_engine
from hub.donors import DonorSyntaxError, parse_group, parse_shares, split_cents
from hub.models import Disbursement, FundApplication, Municipality, Result
from hub.queries import fund

HUB = Viewer("h", "hub")
SWISS = Viewer("d", "donor", donors=("Switzerland",))
NORDIC = Viewer("n", "donor", donors=("Norway", "Sweden"))     # a named group of donors
NOBODY = Viewer("d0", "donor")                                  # a donor account tied to no donor
MAYOR = Viewer("m", "mayor", "MK001")


@pytest.fixture
def engine(empty_url):
    eng = get_engine(empty_url)
    with Session(eng) as s:
        s.add_all([Municipality(code="MK001", name="Kumanovo", country="MK", member_since=date(2018, 1, 1)),
                   Municipality(code="XK001", name="Prizren", country="XK", member_since=date(2019, 1, 1))])
        s.commit()
        s.add_all([
            FundApplication(application_id="P1", municipality_code="MK001", title="Pooled", theme="youth_engagement",
                            submitted_on=date(2024, 1, 1), requested_eur=10000, status="approved",
                            decided_on=date(2024, 2, 1), approved_eur=10000.01, donor="Switzerland:60; Norway:40",
                            title_mk="Заеднички"),
            FundApplication(application_id="P2", municipality_code="XK001", title="Equal", theme="online_harms",
                            submitted_on=date(2024, 3, 1), requested_eur=3000, status="completed",
                            decided_on=date(2024, 4, 1), approved_eur=1000, donor="Switzerland; Norway; Sweden"),
            FundApplication(application_id="P3", municipality_code="XK001", title="Norway alone", theme="online_harms",
                            submitted_on=date(2024, 5, 1), requested_eur=5000, status="approved",
                            decided_on=date(2024, 6, 1), approved_eur=5000, donor="Norway"),
            FundApplication(application_id="P4", municipality_code="MK001", title="Pending", theme="online_harms",
                            submitted_on=date(2025, 5, 1), requested_eur=4000, status="submitted"),
        ])
        s.commit()
        s.add_all([Disbursement(application_id="P1", tranche=1, paid_on=date(2024, 3, 1), amount_eur=5000),
                   Disbursement(application_id="P2", tranche=1, paid_on=date(2024, 5, 1), amount_eur=1000),
                   Disbursement(application_id="P3", tranche=1, paid_on=date(2024, 7, 1), amount_eur=2500)])
        s.add_all([Result(application_id="P1", indicator="officials trained", reported_on=date(2024, 9, 1),
                          baseline=0, target=40, actual=30),
                   Result(application_id="P3", indicator="officials trained", reported_on=date(2024, 9, 1),
                          baseline=10, target=60, actual=70)])
        s.commit()
    return eng


# --- the rules ---------------------------------------------------------------------------------
def test_parse_shares_and_groups():
    assert parse_shares("Switzerland:60; Norway:40") == [("Switzerland", 0.6), ("Norway", 0.4)]
    assert parse_shares(" EU ; Norway ") == [("EU", 0.5), ("Norway", 0.5)]
    assert parse_shares("") == [] and parse_shares(None) == []
    for bad in ("A:60; B:30", "A:60; B", "A; A", "A:x", "A:0; B:100"):
        with pytest.raises(DonorSyntaxError):
            parse_shares(bad)
    assert parse_group("Sweden; Norway;") == ("Norway", "Sweden")


@pytest.mark.parametrize("amount,shares", [(10000.01, [0.6, 0.4]), (1000, [1 / 3] * 3), (0.05, [0.5, 0.5]),
                                           (999.99, [0.2, 0.3, 0.5])])
def test_split_cents_adds_up_to_the_cent(amount, shares):
    parts = split_cents(amount, shares)
    assert round(sum(parts), 2) == round(amount, 2)
    assert all(round(p * 100) == p * 100 for p in (round(x, 2) for x in parts))


# --- scope -------------------------------------------------------------------------------------
def test_donor_headline_is_its_pro_rata_contribution(engine):
    h = fund.headline(SWISS, engine=engine).iloc[0]
    # whole fund: every application, like the hub
    assert h["approved_eur"] == pytest.approx(16000.01) and h["disbursed_eur"] == 8500
    assert h["contribution_of"] == "Switzerland"
    assert h["contribution_approved_eur"] == pytest.approx(6000.01 + 333.34)   # 60 % of P1, 1/3 of P2 (+ the odd cent)
    assert h["contribution_disbursed_eur"] == pytest.approx(3000 + 333.34)
    assert h["contribution_projects"] == 2


def test_hub_without_a_donor_filter_sees_the_whole_fund_only(engine):
    h = fund.headline(HUB, engine=engine).iloc[0]
    assert h["contribution_of"] is None and h["contribution_approved_eur"] is None


def test_hub_donor_filter_matches_pooled_projects(engine):
    h = fund.headline(HUB, engine=engine, donors=["Norway"]).iloc[0]
    assert h["applications"] == 3 and h["contribution_of"] == "Norway"
    assert h["contribution_approved_eur"] == pytest.approx(4000.00 + 333.33 + 5000)


def test_a_donor_never_receives_another_donors_split(engine):
    # a filter naming another donor is dropped: the figures are the unfiltered ones
    assert fund.headline(SWISS, engine=engine, donors=["Norway"]).equals(fund.headline(SWISS, engine=engine))
    c = fund.contributions(SWISS, engine=engine)
    assert set(c["donor"]) == {"Switzerland"}
    by = fund.amounts_by(SWISS, by="donor", engine=engine)
    assert set(by["group"]) == {"Switzerland", fund.OTHER_DONORS}
    assert "donor" not in fund.applications(SWISS, engine=engine).columns
    opts = fund.filter_options(SWISS, engine=engine)
    assert opts.loc[opts["kind"] == "donor", "value"].tolist() == ["Switzerland"]
    assert set(fund.flow(SWISS, engine=engine)["donor"]) == {"Switzerland"}
    for df in (fund.projects(SWISS, engine=engine), fund.results_by_indicator(SWISS, engine=engine),
               fund.need_quartile_share(SWISS, engine=engine)):
        assert not {"Norway", "Sweden"} & {str(v) for v in df.astype(str).to_numpy().ravel()}


def test_whole_fund_flow_names_only_the_donors_own_donors(engine):
    whole = fund.flow(SWISS, engine=engine, whole=True)
    assert set(whole["donor"]) == {"Switzerland", fund.OTHER_DONORS}
    assert len(whole[whole["application_id"] == "P2"]) == 2          # Norway and Sweden as one row
    h = fund.headline(SWISS, engine=engine).iloc[0]
    assert round(whole["approved_eur"].sum(), 2) == round(h["approved_eur"], 2)
    assert round(whole["disbursed_eur"].sum(), 2) == round(h["disbursed_eur"], 2)
    hub = fund.flow(HUB, engine=engine, whole=True, donors=["Sweden"])     # P2 only, every donor of it
    assert set(hub["donor"]) == {"Switzerland", "Norway", "Sweden"}
    assert round(hub["approved_eur"].sum(), 2) == 1000
    assert fund.flow(MAYOR, engine=engine, whole=True).empty and fund.flow(NOBODY, engine=engine).empty


def test_named_group_sums_its_donors(engine):
    c = fund.contributions(NORDIC, engine=engine)
    assert set(c["donor"]) == {"Norway", "Sweden"}
    h = fund.headline(NORDIC, engine=engine).iloc[0]
    assert h["contribution_of"] == "Norway; Sweden"
    assert h["contribution_approved_eur"] == pytest.approx(4000.00 + 333.33 + 333.33 + 5000)


def test_donor_without_a_donor_and_mayor_get_no_contribution(engine):
    assert fund.contributions(NOBODY, engine=engine).empty
    assert fund.headline(NOBODY, engine=engine).at[0, "contribution_of"] is None
    assert fund.contributions(MAYOR, engine=engine).empty
    assert fund.amounts_by(MAYOR, by="donor", engine=engine).empty


def test_totals_reconcile_across_donors_to_the_cent(engine):
    whole = fund.headline(HUB, engine=engine).iloc[0]
    parts = fund.contributions(HUB, engine=engine)
    assert round(parts["approved_eur"].sum(), 2) == round(whole["approved_eur"], 2)
    assert round(parts["disbursed_eur"].sum(), 2) == round(whole["disbursed_eur"], 2)
    by = fund.amounts_by(SWISS, by="donor", engine=engine)
    assert round(by["approved_eur"].sum(), 2) == round(whole["approved_eur"], 2)     # mine + others = whole
    flow = fund.flow(HUB, engine=engine)
    assert round(flow["approved_eur"].sum(), 2) == round(whole["approved_eur"], 2)
    mine = fund.headline(SWISS, engine=engine).iloc[0]
    f = fund.flow(SWISS, engine=engine)
    assert round(f["approved_eur"].sum(), 2) == round(mine["contribution_approved_eur"], 2)
    assert round(f["disbursed_eur"].sum(), 2) == round(mine["contribution_disbursed_eur"], 2)


def test_amounts_by_group_show_my_contribution_beside_the_whole_fund(engine):
    by = fund.amounts_by(SWISS, by="country", engine=engine).set_index("group")
    assert by.at["MK", "approved_eur"] == pytest.approx(10000.01) and by.at["XK", "approved_eur"] == 6000
    assert by.at["MK", "contribution_approved_eur"] == pytest.approx(6000.01)     # 60 % of P1, the odd cent
    assert by.at["XK", "contribution_approved_eur"] == pytest.approx(333.34)      # 1/3 of P2, not P3 (Norway's)
    mine = fund.headline(SWISS, engine=engine).iloc[0]
    for grouping in ("country", "theme", "year"):
        g = fund.amounts_by(SWISS, by=grouping, engine=engine)
        assert round(g["contribution_approved_eur"].sum(), 2) == round(mine["contribution_approved_eur"], 2)
        assert round(g["contribution_disbursed_eur"].sum(), 2) == round(mine["contribution_disbursed_eur"], 2)
    assert "contribution_approved_eur" not in fund.amounts_by(HUB, by="theme", engine=engine).columns
    norway = fund.amounts_by(HUB, by="year", engine=engine, donors=["Norway"]).set_index("group")
    assert norway.at["2024", "contribution_approved_eur"] == pytest.approx(4000.00 + 333.33 + 5000)


def test_timeline_shows_my_contribution_by_month_to_the_cent(engine):
    tl = fund.timeline(SWISS, engine=engine).set_index("month")
    mine = fund.headline(SWISS, engine=engine).iloc[0]
    assert tl["committed_cum"].iloc[-1] == pytest.approx(16000.01)                 # the whole fund, as before
    assert tl["contribution_committed_cum"].iloc[-1] == round(mine["contribution_approved_eur"], 2)
    assert tl["contribution_disbursed_cum"].iloc[-1] == round(mine["contribution_disbursed_eur"], 2)
    assert tl.at["2024-02-01", "contribution_committed_eur"] == pytest.approx(6000.01)   # P1, decided in February
    assert tl.at["2024-03-01", "contribution_disbursed_eur"] == 3000                    # 60 % of P1's tranche
    assert tl.at["2024-07-01", "contribution_disbursed_eur"] == 0                       # P3 is Norway's alone
    assert "contribution_committed_cum" not in fund.timeline(HUB, engine=engine).columns
    assert fund.timeline(MAYOR, engine=engine, donors=["Norway"]).columns.tolist() == [
        "month", "committed_eur", "disbursed_eur", "committed_cum", "disbursed_cum"]


def test_tranche_parts_add_up_to_each_donors_disbursed_part(engine):
    parts = fund.tranche_parts(HUB, engine=engine)
    c = fund.contributions(HUB, engine=engine).set_index(["application_id", "donor"])["disbursed_eur"]
    got = parts.groupby(["application_id", "donor"])["amount_eur"].sum().round(2)
    assert got.to_dict() == c[c > 0].round(2).to_dict()
    assert set(fund.tranche_parts(SWISS, engine=engine)["donor"]) == {"Switzerland"}
    assert fund.tranche_parts(MAYOR, engine=engine).empty


def test_projects_titles_in_the_viewers_language_and_results_add_up(engine):
    p = fund.projects(SWISS, engine=engine, lang="mk").set_index("application_id")
    assert p.at["P1", "title"] == "Заеднички" and p.at["P2", "title"] == "Equal"     # English where none
    assert p.at["P1", "contribution_share"] == pytest.approx(0.6) and p.at["P3", "contribution_share"] == 0
    r = fund.results_by_indicator(HUB, engine=engine).set_index("indicator").loc["officials trained"]
    assert (r["projects"], r["actual"], r["target"]) == (2, 100, 100)
    assert r["cost_per_result"] == pytest.approx(round((10000.01 + 5000) / 90, 2))
    flow = fund.flow(HUB, engine=engine).set_index(["application_id", "donor"])
    assert flow.at[("P3", "Norway"), "result"] == "target_met"
    assert flow.at[("P1", "Switzerland"), "result"] == "in_progress"
    assert flow.at[("P2", "Sweden"), "result"] == "not_reported"


# --- the demo store ------------------------------------------------------------------------------
def test_demo_donor_account_is_tied_to_switzerland_and_reconciles(demo_url):
    eng = get_engine(demo_url)
    viewer = load_viewer("donor.demo", eng)
    assert viewer.donors == ("Switzerland",) and hash(viewer)
    h = fund.headline(viewer, engine=eng).iloc[0]
    every = fund.amounts_by(load_viewer("hub.admin", eng), by="donor", engine=eng).set_index("group")
    assert h["contribution_approved_eur"] == every.at["Switzerland", "approved_eur"]
    assert round(every["approved_eur"].sum(), 2) == h["approved_eur"]
    share = fund.need_quartile_share(viewer, engine=eng).iloc[0]
    assert 0 < share["share_top"] < 1 and share["cities_top_quartile"] >= 1
    assert set(share.index) == {"period", "cities_scored", "cities_top_quartile", "approved_eur", "approved_top_eur",
                                "share_top", "contribution_approved_eur", "contribution_top_eur",
                                "contribution_share_top"}      # counts and money only: no city named
