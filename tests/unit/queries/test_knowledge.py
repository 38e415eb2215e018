"""Issue 16 in the query layer: search with folding, the recommendation rule on a seeded store, a
mayor's recommendations and comparisons free of other cities' values, help-desk request matches."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from hub.access import Viewer
from hub.db import get_engine
from hub.queries import compare, knowledge, recommend
from tests.unit.queries.knowledge_seed import CITIES, SCORES, seed

HUB = Viewer("hub.admin", "hub")
DONOR = Viewer("donor.demo", "donor")
MAYOR = Viewer("mayor.kumanovo", "mayor", "MK001", "mk")
CAIR_MAYOR = Viewer("mayor.cair", "mayor", "MK002", "sq")
OTHER_SCORES = {s for code, scores in SCORES.items() if code != "MK001" for s in scores}
OTHER_NAMES = {n for code, name, local, *_ in CITIES if code != "MK001" for n in (name, local) if n}


@pytest.fixture
def engine(empty_url):
    return get_engine(seed(empty_url))


# --- search -------------------------------------------------------------------------------
@pytest.mark.parametrize("search", ["cair", "ČAIR", "Чаир", "čair case"])
def test_search_folds_script_case_and_diacritics(engine, search):
    found = knowledge.practices(HUB, search=search, engine=engine)
    assert set(found["practice_id"]) >= {"P8"} and set(found["municipality_code"]) == {"MK002"}


def test_search_in_every_language_field_and_word_starts(engine):
    assert knowledge.practices(HUB, search="модел", engine=engine)["practice_id"].tolist() == ["P1"]
    assert knowledge.practices(HUB, search="vijece mladih", engine=engine)["practice_id"].tolist() == ["P3"]
    assert knowledge.practices(HUB, search="outh", engine=engine).empty        # word starts only
    assert knowledge.actors(HUB, search="обсе скопје", engine=engine)["actor_id"].tolist() == ["X1"]


def test_title_in_viewer_language_with_fallback(engine):
    mk = knowledge.practices(HUB, lang="mk", engine=engine).set_index("practice_id")
    assert mk.loc["P1", "title"] == "Модел со Young Cities" and mk.loc["P2", "title"] == "Tetovo youth forum"
    assert mk.loc["P1", "city"] == "Чаир"


def test_filters(engine):
    assert set(knowledge.practices(HUB, themes=["online_harms"], engine=engine)["practice_id"]) == {"P5"}
    assert set(knowledge.practices(HUB, countries=["BA", "RS"], engine=engine)["practice_id"]) == {"P3", "P7"}
    assert set(knowledge.practices(HUB, stages=["pilot"], engine=engine)["practice_id"]) == {"P5", "P7"}
    # an actor without economies works across the region: it matches every economy
    assert set(knowledge.actors(HUB, countries=["BA"], engine=engine)["actor_id"]) == {"X2", "X3"}
    assert set(knowledge.actors(HUB, kinds=["civil_society"], offers=["funding"], engine=engine)["actor_id"]) == {"X5"}


def test_non_hub_viewers_see_public_entries_only(engine):
    for v in (MAYOR, DONOR):
        assert "P8" not in set(knowledge.practices(v, engine=engine)["practice_id"])
        assert "X4" not in set(knowledge.actors(v, engine=engine)["actor_id"])
    assert "P8" in set(knowledge.practices(HUB, engine=engine)["practice_id"])


# --- the recommendation rule --------------------------------------------------------------
def test_needs_top_quarter_and_at_least_two(engine):
    needs = recommend.city_needs(HUB, city="MK001", engine=engine)
    assert needs["dimension"].tolist()[:2] == ["multi_stakeholder_prevention", "youth_engagement"]
    assert needs.set_index("dimension")["high"].to_dict() == {
        "multi_stakeholder_prevention": True, "youth_engagement": True, "threat_landscape": False,
        "social_cohesion": False}


def test_rule_picks_peer_practices_that_score_better(engine):
    recs = recommend.recommendations(HUB, city="MK001", engine=engine)
    practices = recs[recs["kind"] == "practice"]
    # peers with less need in a needed theme: P1 (youth), P8 (multi-stakeholder), P5 (online harms, stated);
    # never P2/P6 (more need), P9 (the city's own); three peers, so no other-size city
    assert set(practices["item_id"]) == {"P1", "P8", "P5"}
    assert practices["peer"].all()
    assert practices["item_id"].iloc[-1] == "P5"            # lower need position (threat) comes last
    p1 = practices.set_index("item_id").loc["P1"]
    assert p1["gap"] == pytest.approx(80 - 40.3) and p1["other_score"] == pytest.approx(40.3)
    assert "Čair" in p1["reason"] and "40 points lower" in p1["reason"] and "top quarter" in p1["reason"]
    p5 = practices.set_index("item_id").loc["P5"]
    assert "priority 1" in p5["reason"]
    actors = recs[recs["kind"] == "actor"]
    assert set(actors["item_id"]) == {"X1", "X2", "X4"}     # in MK or region-wide, on a needed theme
    assert actors["item_id"].iloc[0] in {"X1", "X4"}        # the city's own economy first


def test_mayor_gets_own_city_only_and_no_other_city_values(engine):
    recs = recommend.recommendations(MAYOR, city="MK001", lang="en", engine=engine)
    practices = recs[recs["kind"] == "practice"]
    # no hub-only entries; only two peers remain, so cities of another size fill in
    assert set(practices["item_id"]) == {"P1", "P5", "P3", "P7"}
    assert practices.set_index("item_id").loc[["P3", "P7"], "peer"].eq(False).all()
    assert "X4" not in set(recs["item_id"])
    assert recs["other_score"].isna().all() and recs["gap"].isna().all()
    numbers = {float(v) for c in recs.columns for v in recs[c] if isinstance(v, (int, float)) and v == v
               and not isinstance(v, bool)}
    assert not numbers & OTHER_SCORES
    text = " ".join(recs["reason"])
    assert "lower need" in text and "points lower" not in text
    for s in OTHER_SCORES:
        assert f"{s:.1f}" not in text and f"{s:.0f} points" not in text
    assert recommend.recommendations(MAYOR, city="MK002", engine=engine).empty
    assert recommend.recommendations(CAIR_MAYOR, city="MK001", engine=engine).empty
    assert recommend.recommendations(DONOR, city="MK001", engine=engine).empty


def test_reasons_translated(engine):
    recs = recommend.recommendations(MAYOR, city="MK001", lang="mk", engine=engine)
    p1 = recs.set_index("item_id").loc["P1"]
    assert p1["title"] == "Модел со Young Cities" and p1["city"] == "Чаир"
    assert "помала потреба" in p1["reason"] and "горната четвртина" in p1["reason"]


def test_request_matches_follow_the_topic(engine):
    recs = recommend.request_matches(HUB, request_id="HD-1", engine=engine)
    assert set(recs.loc[recs["kind"] == "practice", "theme"]) == {"youth_engagement"}
    assert set(recs.loc[recs["kind"] == "practice", "item_id"]) == {"P1", "P3"}
    assert "The request is about Youth engagement." in recs["reason"].iloc[0]
    # a funding question: partners that fund, and the city's own needs
    funding = recommend.request_matches(HUB, request_id="HD-2", engine=engine)
    assert "X5" in set(funding["item_id"])
    assert recommend.request_matches(MAYOR, request_id="HD-2", engine=engine).empty   # not the mayor's city
    assert recommend.request_list(MAYOR, engine=engine)["request_id"].tolist() == ["HD-1"]
    assert recommend.topic_themes("Youth council set-up") == ("youth_engagement",)
    assert recommend.topic_themes("help with online harms") == ("online_harms",)


# --- how does my city compare ---------------------------------------------------------------
def test_positions_are_aggregates_and_own_values(engine):
    pos = compare.indicator_positions(MAYOR, city="MK001", period="2025", engine=engine).set_index("indicator_code")
    hate = pos.loc["hate_incidents"]            # lower is better: 4.0 is worse than 1.3, 2.1, 3.3 (3 of 6)
    assert hate["value"] == 4.0 and hate["position"] == pytest.approx(100 * 2.5 / 6)
    assert hate["median"] == pytest.approx(pd.Series([4.0, 2.1, 5.3, 3.3, 1.3, 6.3]).median())
    assert hate["peer_n"] == 4 and pd.isna(hate["peer_q1"]) and hate["peer_median"] == pytest.approx(3.05)
    others = {1.3, 2.1, 5.3, 3.3, 6.3}
    cells = {float(v) for v in pos[["value"]].to_numpy().ravel()}
    assert not cells & others
    assert compare.indicator_positions(CAIR_MAYOR, city="MK001", period="2025", engine=engine).empty
    assert compare.dimension_trend(DONOR, city="MK001", engine=engine).empty


def test_strengths_and_weaknesses_in_words(engine):
    pos = compare.indicator_positions(MAYOR, city="MK001", period="2025", engine=engine)
    sw = compare.strengths_weaknesses(pos, "en", k=1)
    assert sw["side"].tolist() == ["best", "worst"]
    assert sw["sentence"].iloc[0].startswith("Youth council in place (yes/no): 1.0, better than")
    assert "worse than 58 % of member cities" in sw["sentence"].iloc[1]


def test_compare_figures_name_no_other_city(engine):
    from hub.charts import compare as charts
    pos = compare.indicator_positions(MAYOR, city="MK001", period="2025", engine=engine)
    trend = compare.dimension_trend(MAYOR, city="MK001", engine=engine)
    assert trend["peer_median"].notna().all()
    for fig in (charts.positions(pos, "mk", "Куманово"), charts.dimension_trends(trend, "mk", "Куманово")):
        blob = json.dumps(fig.to_plotly_json(), default=str, ensure_ascii=False)
        assert "Куманово" in blob
        assert not [n for n in OTHER_NAMES if n in blob]
        for s in (1.3, 2.1, 5.3, 6.3):          # other cities' raw values never reach a figure
            assert f"{s}" not in blob.replace("4.0", "")
