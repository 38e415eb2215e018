"""Needs and priorities queries against a small real store, as each role."""
from __future__ import annotations

import pandas as pd
import pytest

from hub.access import Viewer
from hub.db import get_engine
from hub.queries import needs as q
from tests.dbutil import sql
from tests.unit.queries.scores_seed import CITIES, DIM_SCORES, DIMS, build, need_scores

HUB = Viewer("hub.admin", "hub")
DONOR = Viewer("donor.demo", "donor")
MAYOR = Viewer("mayor.kumanovo", "mayor", "MK001")
ALL_CODES = {c[0] for c in CITIES}


@pytest.fixture(scope="module")
def store(databases):
    url = databases.empty("needs")
    build(url)
    return get_engine(url), url


def test_ranking_rows_and_dimensions(store):
    engine, path = store
    r = q.ranking(HUB, engine=engine)
    assert set(r["municipality_code"]) == ALL_CODES
    assert list(r["rank"]) == sorted(r["rank"])
    stored = dict(sql(path, "select municipality_code, score from need_scores where period='2025'"))
    for row in r.itertuples():
        assert row.score == pytest.approx(stored[row.municipality_code])
    row = r.set_index("municipality_code").loc["RS002"]
    p05, p95 = sql(path, "select rank_p05, rank_p95 from need_scores where period='2025' and municipality_code='RS002'")[0]
    assert row["rank_uncertain"] and (row["rank_p05"], row["rank_p95"]) == (p05, p95) and p95 - p05 == 4
    assert r.set_index("municipality_code").loc["AL001", "flagged"]
    for d, v in zip(DIMS, DIM_SCORES["2025"]["MK001"]):
        assert r.set_index("municipality_code").loc["MK001", d] == v


def test_ranking_filters_narrow(store):
    engine, _ = store
    mk = q.ranking(HUB, engine=engine, countries=("MK",))
    assert set(mk["municipality_code"]) == {"MK001", "MK002", "MK003", "MK004"}
    two = q.ranking(HUB, engine=engine, countries=("MK", "RS"))
    assert len(two) == 7
    by_youth = q.ranking(HUB, engine=engine, dimension="youth_engagement")
    assert list(by_youth["youth_engagement"]) == sorted(by_youth["youth_engagement"], reverse=True)
    old = q.ranking(HUB, engine=engine, period="2024").set_index("municipality_code")
    assert old.loc["MK001", "score"] == pytest.approx(need_scores("2024")["MK001"])


def test_ranking_scoped(store):
    engine, _ = store
    assert q.ranking(DONOR, engine=engine).empty
    assert q.ranking(DONOR, engine=engine, countries=("MK",), period="2024").empty
    assert list(q.ranking(MAYOR, engine=engine)["municipality_code"]) == ["MK001"]
    assert q.ranking(MAYOR, engine=engine, countries=("RS",)).empty


def test_theme_firsts(store):
    engine, path = store
    t = q.theme_firsts(HUB, engine=engine).set_index("theme")
    stated = dict(sql(path, "select theme, count(*) from priorities where period='2025' and rank=1 group by theme"))
    scored = dict(sql(path, "select theme, count(*) from priority_scores where period='2025' and rank=1 group by theme"))
    for theme in t.index:
        assert t.loc[theme, "stated_first"] == stated.get(theme, 0)
        assert t.loc[theme, "scored_first"] == scored.get(theme, 0)
    assert t["stated_first"].sum() == 9
    assert len(t) == 6 and t.loc["gender_and_inclusion", "stated_first"] == 0  # all six themes listed
    assert q.theme_firsts(HUB, engine=engine, countries=("MK",)).set_index("theme").loc["youth_engagement",
                                                                                         "stated_first"] == 4
    assert q.theme_firsts(MAYOR, engine=engine)["stated_first"].sum() == 1


def test_city_priorities_scoped(store):
    engine, _ = store
    p = q.city_priorities(HUB, engine=engine, municipality_code="RS001")
    assert len(p) == 3 and list(p["rank"]) == [1, 2, 3]
    assert p.set_index("theme").loc["online_harms", "stated_rank"] == 1
    assert len(q.city_priorities(MAYOR, engine=engine, municipality_code="MK001")) == 3
    assert q.city_priorities(MAYOR, engine=engine, municipality_code="RS001").empty
    assert q.city_priorities(DONOR, engine=engine, municipality_code="MK001").empty


EQUAL = tuple((d, 1.0) for d in DIMS)  # the seed's need index is the plain mean of its dimensions


def test_what_if_stored_weights_change_nothing(store):
    engine, _ = store
    w = q.what_if(HUB, engine=engine, weights=EQUAL)
    assert set(w["municipality_code"]) == ALL_CODES
    assert (w["shift"] == 0).all()
    assert (w["score_new"] - w["score"]).abs().max() < 1e-9


def test_what_if_reranks_without_writing(store):
    engine, path = store
    before = sql(path, "select municipality_code, period, score, rank from need_scores order by 1, 2")
    w = q.what_if(HUB, engine=engine, weights=EQUAL + (("threat_landscape", 0.0),)).set_index("municipality_code")
    # recompute: mean of youth and cohesion
    expected = {c: (v[1] + v[2]) / 2 for c, v in DIM_SCORES["2025"].items()}
    ranks = pd.Series(expected).rank(ascending=False, method="min")
    for code in ALL_CODES:
        assert w.loc[code, "score_new"] == pytest.approx(expected[code])
        assert w.loc[code, "rank_new"] == ranks[code]
        assert w.loc[code, "shift"] == w.loc[code, "rank"] - ranks[code]
    assert w.loc["BA001", "shift"] > 0  # youth and cohesion high, threat low
    assert sql(path, "select municipality_code, period, score, rank from need_scores order by 1, 2") == before
    mk = q.what_if(HUB, engine=engine, weights=EQUAL + (("threat_landscape", 0.0),), countries=("MK",))
    assert set(mk["municipality_code"]) == {"MK001", "MK002", "MK003", "MK004"}
    assert mk.set_index("municipality_code").loc["MK001", "rank_new"] == w.loc["MK001", "rank_new"]  # regional ranks


def test_what_if_scoped(store):
    engine, _ = store
    assert q.what_if(DONOR, engine=engine, weights=(("threat_landscape", 2.0),)).empty
    assert list(q.what_if(MAYOR, engine=engine)["municipality_code"]) == ["MK001"]


def test_empty_store(empty_url):
    engine = get_engine(empty_url)
    assert q.ranking(HUB, engine=engine).empty
    assert q.theme_firsts(HUB, engine=engine).empty
    assert q.what_if(HUB, engine=engine).empty
    assert q.dimensions(HUB, engine=engine).empty
    assert q.city_priorities(HUB, engine=engine, municipality_code="MK001").empty
