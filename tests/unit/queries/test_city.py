"""City-profile queries as each role, on a small real SQLite store."""
from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text

from hub.access import Viewer
from hub.db import get_engine
from hub.queries import city as q
from tests.unit.queries.city_seed import CITIES, seed

HUB = Viewer("hub.admin", "hub")
DONOR = Viewer("donor.demo", "donor")
MAYOR = Viewer("mayor.kumanovo", "mayor", "MK001")

CITY_FUNCS = [q.city_header, q.city_periods, q.city_trend, q.city_youth, q.city_fund, q.city_tranches,
              q.city_helpdesk, q.city_events]
PERIOD_FUNCS = [q.city_scores, q.city_rank, q.city_drivers, q.city_priorities]


@pytest.fixture(scope="module")
def engine(databases):
    return get_engine(seed(databases.empty("city")))


def sql(engine, stmt, **params) -> pd.DataFrame:
    with engine.connect() as c:
        return pd.read_sql(text(stmt), c, params=params)


def call(fn, viewer, engine, city):
    kw = {"period": "2025"} if fn in PERIOD_FUNCS else {}
    return fn(viewer, engine=engine, city=city, **kw)


@pytest.mark.parametrize("fn", CITY_FUNCS + PERIOD_FUNCS, ids=lambda f: f.__name__)
def test_mayor_never_gets_another_city(engine, fn):
    for code, *_ in CITIES:
        df = call(fn, MAYOR, engine, code)
        if code == "MK001":
            assert len(df) > 0, fn.__name__
        else:
            assert df.empty, (fn.__name__, code)
        assert not df.astype(str).apply(lambda c: c.str.contains("MK002|Čair")).any().any()


@pytest.mark.parametrize("fn", CITY_FUNCS + PERIOD_FUNCS, ids=lambda f: f.__name__)
def test_donor_gets_nothing_and_hub_gets_any_city(engine, fn):
    for code in ("MK001", "BA001"):
        assert call(fn, DONOR, engine, code).empty
        assert len(call(fn, HUB, engine, code)) > 0


def test_city_options_scope(engine):
    assert list(q.city_options(MAYOR, engine=engine)["code"]) == ["MK001"]
    assert q.city_options(DONOR, engine=engine).empty
    assert set(q.city_options(HUB, engine=engine)["code"]) == {c[0] for c in CITIES}


def test_check_city_audits_refusals(engine):
    before = sql(engine, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'refused'")["n"][0]
    assert q.check_city(MAYOR, "MK001", engine=engine) == "ok"
    assert q.check_city(MAYOR, "MK002", engine=engine) == "refused"
    assert q.check_city(MAYOR, "NOPE", engine=engine) == "refused"
    assert q.check_city(HUB, "NOPE", engine=engine) == "unknown"
    assert q.check_city(DONOR, "MK001", engine=engine) == "refused"
    rows = sql(engine, "SELECT username, target FROM audit_log WHERE action = 'refused' ORDER BY id")
    assert len(rows) == before + 3
    assert list(rows["target"].tail(3)) == ["city:MK002", "city:NOPE", "city:MK001"]
    assert rows["username"].iloc[-3] == "mayor.kumanovo"


def test_scores_against_medians(engine):
    df = q.city_scores(MAYOR, engine=engine, city="MK001", period="2025")
    assert list(df["dimension"]) == ["index", "threat_landscape", "youth_engagement"]
    allv = sql(engine, """SELECT n.municipality_code AS code, n.score, m.country, m.population
                          FROM need_scores n JOIN municipalities m ON m.code = n.municipality_code
                          WHERE n.period = '2025'""")
    idx = df.iloc[0]
    assert idx["score"] == allv.set_index("code").loc["MK001", "score"]
    assert idx["economy_median"] == pytest.approx(allv[allv.country == "MK"]["score"].median())
    assert idx["region_median"] == pytest.approx(allv["score"].median())
    peers = allv[(allv.population >= 50_000) & (allv.population < 100_000)]
    assert idx["peer_median"] == pytest.approx(peers["score"].median())
    assert idx["peer_n"] == len(peers) and idx["economy_n"] == 4 and idx["region_n"] == len(CITIES)


def test_small_groups_are_suppressed(engine):
    # Tuzla is alone in its band (100k-250k) and BA has only two cities: no median for either.
    df = q.city_scores(HUB, engine=engine, city="BA001", period="2025")
    assert df["economy_median"].isna().all() and df["peer_median"].isna().all()
    assert df["region_median"].notna().all()


def test_trend_rank_and_records(engine):
    trend = q.city_trend(MAYOR, engine=engine, city="MK001")
    assert list(trend["period"]) == ["2024", "2025"]
    assert trend["score"].tolist() == sql(engine, "SELECT score FROM need_scores WHERE municipality_code='MK001'"
                                                  " ORDER BY period")["score"].tolist()
    rank = q.city_rank(MAYOR, engine=engine, city="MK001", period="2025")
    assert rank["rank"][0] == len(CITIES) and rank["of"][0] == len(CITIES)
    drivers = q.city_drivers(MAYOR, engine=engine, city="MK001", period="2025")
    assert drivers["indicator_code"].tolist() == ["hate_incidents", "youth_unemployment"]
    assert drivers["contribution"].sum() == pytest.approx(trend["score"].iloc[-1])
    pri = q.city_priorities(MAYOR, engine=engine, city="MK001", period="2025")
    assert pri["theme"].tolist() == ["youth_engagement", "online_harms", "social_cohesion"]
    fund = q.city_fund(MAYOR, engine=engine, city="MK001")
    assert fund.set_index("application_id").loc["TSF-MK001-1", "disbursed_eur"] == 7_000
    assert fund.set_index("application_id").loc["TSF-MK001-1", "tranches"] == 2
    assert len(q.city_tranches(MAYOR, engine=engine, city="MK001")) == 2
    hd = q.city_helpdesk(MAYOR, engine=engine, city="MK001")
    assert len(hd) == 3 and hd["days_to_resolve"].dropna().tolist() == [4, 4]
    ev = q.city_events(MAYOR, engine=engine, city="MK001")
    assert ev["event_id"].tolist() == ["EV1"] and ev["participants"][0] == 5
    youth = q.city_youth(MAYOR, engine=engine, city="MK001")
    assert set(youth["indicator_code"]) == {"youth_council", "youth_unemployment", "youth_share"}


def test_peer_band():
    assert q.peer_band(98_000) == (50_000, 100_000)
    assert q.peer_band(300_000) == (250_000, None)
    assert q.peer_band(None) is None


def test_chart_builders_show_the_frames(engine):
    import math
    from hub.charts import city as charts
    scores = q.city_scores(HUB, engine=engine, city="BA001", period="2025")
    fig = charts.scores_vs_medians(scores, "sq", "Tuzla")
    assert [tr.name for tr in fig.data][0] == "Tuzla" and len(fig.data) == 4
    assert list(fig.data[0].x) == list(scores["score"].iloc[::-1])
    assert all(math.isnan(x) for x in fig.data[1].x)        # BA economy median suppressed: no marker
    assert fig.layout.title.text.replace("<br>", " ") == charts.t("city.chart.scores_title", "sq")
    trend = q.city_trend(HUB, engine=engine, city="BA001")
    tfig = charts.trend(trend, "mk", "Tuzla")
    assert list(tfig.data[0].y) == trend["score"].tolist() and tfig.layout.xaxis.title.text
    drivers = q.city_drivers(HUB, engine=engine, city="BA001", period="2025")
    dfig = charts.drivers(drivers, "bcms")
    assert sorted(dfig.data[0].x) == sorted(drivers["contribution"])
    empty = charts.scores_vs_medians(scores.iloc[0:0], "en", "x")
    assert not empty.data and empty.layout.annotations[0].text == charts.t("common.no_data", "en")
