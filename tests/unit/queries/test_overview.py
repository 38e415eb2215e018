"""Overview queries against a small real store, as each role."""
from __future__ import annotations

import statistics

import pandas as pd
import pytest

from hub.access import Viewer
from hub.db import get_engine
from hub.queries import overview as q
from tests.dbutil import as_date, sql
from tests.unit.queries.scores_seed import CITIES, build, need_scores

HUB = Viewer("hub.admin", "hub")
DONOR = Viewer("donor.demo", "donor")
MAYOR = Viewer("mayor.kumanovo", "mayor", "MK001")
ALL_CODES = {c[0] for c in CITIES}


@pytest.fixture(scope="module")
def store(databases):
    url = databases.empty("overview")
    build(url)
    return get_engine(url), url


def test_headline_matches_independent_sql(store):
    engine, path = store
    h = q.headline(HUB, engine=engine).iloc[0]
    assert h["period"] == "2025"
    assert h["members"] == sql(path, "select count(*) from municipalities where member_since is not null")[0][0] == 9
    assert h["assessed"] == sql(path, "select count(*) from need_scores where period='2025' and score is not null")[0][0]
    assert h["open_requests"] == sql(path, "select count(*) from helpdesk_requests where status!='resolved'")[0][0] == 2
    days = [(as_date(done) - as_date(opened)).days for opened, done in sql(path, "select opened_on, resolved_on from helpdesk_requests "
                                                             "where status='resolved'")]
    assert h["median_days_to_resolve"] == pytest.approx(statistics.median(days))
    assert h["fund_approved_eur"] == sql(path, "select sum(approved_eur) from fund_applications "
                                               "where status in ('approved','completed')")[0][0] == 43_000
    assert h["fund_disbursed_eur"] == sql(path, "select sum(amount_eur) from disbursements")[0][0] == 35_000


def test_headline_for_a_mayor_counts_only_their_city(store):
    engine, _ = store
    h = q.headline(MAYOR, engine=engine).iloc[0]
    assert (h["members"], h["assessed"], h["open_requests"]) == (1, 1, 0)
    assert h["fund_approved_eur"] == 15_000 and h["fund_disbursed_eur"] == 12_000
    assert h["median_days_to_resolve"] == pytest.approx(6.0)  # 10 and 2 days


def test_economies_side_by_side(store):
    engine, _ = store
    eco = q.economies(HUB, engine=engine).set_index("country")
    assert set(eco.index) == {"AL", "BA", "XK", "ME", "MK", "RS"}
    assert eco.loc["MK", "members"] == 4 and eco.loc["ME", "members"] == 0
    mk = [v for c, v in need_scores("2025").items() if c.startswith("MK")]
    assert eco.loc["MK", "median_need"] == pytest.approx(statistics.median(mk))
    assert eco.loc["MK", "fund_approved_eur"] == 15_000 and eco.loc["MK", "fund_disbursed_eur"] == 12_000
    assert eco.loc["MK", "requests"] == 4 and eco.loc["MK", "open_requests"] == 1
    assert eco.loc["AL", "median_need"] == pytest.approx(10.0)  # hub sees single-city economies


@pytest.mark.parametrize("viewer", [DONOR, MAYOR])
def test_economy_need_suppressed_below_three_cities(store, viewer):
    engine, _ = store
    eco = q.economies(viewer, engine=engine).set_index("country")
    assert pd.isna(eco.loc["AL", "median_need"]) and pd.isna(eco.loc["BA", "median_need"])
    assert eco.loc["RS", "median_need"] == pytest.approx(60.0)


def test_map_layer_hub_city_level(store):
    engine, _ = store
    m = q.map_layer(HUB, engine=engine, layer="need").set_index("municipality_code")
    assert set(m.index) == ALL_CODES and (m["level"] == "city").all()
    assert m.loc["MK001", "value"] == pytest.approx(need_scores("2025")["MK001"])
    fund = q.map_layer(HUB, engine=engine, layer="fund_per_capita", period="2024").set_index("municipality_code")
    assert fund.loc["MK001", "value"] == pytest.approx(9_000 / 100_000)  # tranches paid by end of 2024


@pytest.mark.parametrize("layer", ["need", "dim:threat_landscape", "youth:hate_incidents"])
def test_donor_never_gets_city_values_of_sensitive_layers(store, layer):
    engine, _ = store
    m = q.map_layer(DONOR, engine=engine, layer=layer)
    assert (m["level"] == "economy").all()
    # every city shows its economy's single value; below three cities nothing
    assert m.groupby("country")["value"].nunique(dropna=False).max() == 1
    assert m.loc[m["country"].isin(["AL", "BA"]), "value"].isna().all()


def test_donor_gets_city_level_non_sensitive_layers(store):
    engine, _ = store
    m = q.map_layer(DONOR, engine=engine, layer="dim:youth_engagement").set_index("municipality_code")
    assert (m["level"] == "city").all() and m.loc["MK001", "value"] == 60
    f = q.map_layer(DONOR, engine=engine, layer="fund_per_capita").set_index("municipality_code")
    assert f.loc["BA001", "value"] == pytest.approx(8_000 / 20_000)


def test_mayor_map_has_own_city_only(store):
    engine, _ = store
    for layer in q.map_layers(MAYOR, engine=engine)["layer"]:
        m = q.map_layer(MAYOR, engine=engine, layer=layer)
        assert list(m["municipality_code"]) == ["MK001"]


def test_changes(store):
    engine, _ = store
    ch = q.changes(HUB, engine=engine)
    old, new = need_scores("2024"), need_scores("2025")
    assert set(ch["municipality_code"]) == ALL_CODES
    assert list(ch["delta"]) == sorted(ch["delta"], reverse=True)
    row = ch.set_index("municipality_code").loc["MK001"]
    assert row["delta"] == pytest.approx(new["MK001"] - old["MK001"]) and row["previous_period"] == "2024"
    assert q.changes(DONOR, engine=engine).empty
    assert list(q.changes(MAYOR, engine=engine)["municipality_code"]) == ["MK001"]
    assert q.changes(HUB, engine=engine, period="2024").empty  # no earlier period


def test_economy_changes_suppressed_for_donor(store):
    engine, _ = store
    e = q.economy_changes(DONOR, engine=engine).set_index("country")
    assert e.loc["RS", "delta"] == pytest.approx(10.0)
    assert pd.isna(e.loc["AL", "delta"])
    assert q.economy_changes(HUB, engine=engine).set_index("country").loc["AL", "delta"] == pytest.approx(-10.0)


def test_quadrant_percentiles_and_gap(store):
    engine, path = store
    quad = q.quadrant(HUB, engine=engine).set_index("municipality_code")
    assert set(quad.index) == ALL_CODES
    # independent recomputation
    pop = {c[0]: c[4] for c in CITIES}
    paid = dict(sql(path, "select f.municipality_code, sum(d.amount_eur) from disbursements d join fund_applications f "
                          "using(application_id) where d.paid_on <= '2025-12-31' group by 1"))
    res = dict(sql(path, "select municipality_code, count(*) from helpdesk_requests where status='resolved' "
                         "and resolved_on <= '2025-12-31' group by 1"))
    df = pd.DataFrame({"need": pd.Series(need_scores("2025"))})
    df["fund"] = [paid.get(c, 0) / pop[c] * 1000 for c in df.index]
    df["res"] = [res.get(c, 0) for c in df.index]
    pct = lambda s: s.rank(pct=True) * 100  # noqa: E731
    support = pct((pct(df["fund"]) + pct(df["res"])) / 2)
    gap = pct(df["need"]) - support
    for code in df.index:
        assert quad.loc[code, "gap"] == pytest.approx(gap[code])
    assert quad.loc["MK001", "resolved_requests"] == 2 and quad.loc["AL001", "resolved_requests"] == 0  # 2026
    assert quad.loc["MK002", "underserved"]  # need above median, nothing received
    assert not quad.loc["MK001", "underserved"]


def test_quadrant_scoped(store):
    engine, _ = store
    assert q.quadrant(DONOR, engine=engine).empty
    mine = q.quadrant(MAYOR, engine=engine)
    assert list(mine["municipality_code"]) == ["MK001"]
    assert mine["need_pct"].iloc[0] == pytest.approx(100.0)  # own rank, placed among all cities
    eq = q.economy_quadrant(DONOR, engine=engine).set_index("country")
    assert pd.isna(eq.loc["AL", "need"]) and eq.loc["MK", "need"] == pytest.approx(40.0)
    assert eq.loc["MK", "fund_per_1000"] == pytest.approx(12_000 / 290_000 * 1000)


def test_empty_store(empty_url):
    engine = get_engine(empty_url)
    assert q.periods(HUB, engine=engine).empty
    h = q.headline(HUB, engine=engine).iloc[0]
    assert h["members"] == 0 and h["median_days_to_resolve"] is None
    assert (q.economies(HUB, engine=engine)["members"] == 0).all()
    for fn in (q.changes, q.quadrant, q.economy_changes, q.economy_quadrant):
        assert fn(HUB, engine=engine).empty
    assert q.map_layer(HUB, engine=engine).empty
