"""Needs and priorities in AppTest: ranking, filters, themes and what-if against the demo store;
paging, empty-database and one-city cases; donors and mayors never reach the page."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlmodel import Session

from hub.db import get_engine
from hub.i18n import fmt_number, t
from hub.models import DimensionScore, Municipality, NeedScore, User
from tests.app.helpers import app_as, numeric, table_with, texts
from tests.dbutil import sql

PAGE = "pages/needs.py"


def frame(at, column):
    return numeric(table_with(at, column))   # in whichever tab shows it (tabs run only when open)


def latest(url):
    return sql(url, "select max(period) from need_scores")[0][0]


def test_ranking_equals_the_store(demo_env):
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    period = latest(demo_env)
    rows = sql(demo_env, "select m.name, n.score, n.rank, n.rank_p05, n.rank_p95 from need_scores n join "
                         "municipalities m on m.code = n.municipality_code where n.period=? order by n.rank, m.code",
               period)
    table = frame(at, "Rank interval (p05–p95)")
    assert len(table) == len(rows)
    assert list(table["Municipality"]) == [r[0] for r in rows]
    assert list(table["Need index"]) == [pytest.approx(round(r[1], 1)) for r in rows]
    assert list(table["Rank"]) == [r[2] for r in rows]
    assert table["Rank interval (p05–p95)"].iloc[0] == f"{fmt_number(rows[0][3], 'en')}–{fmt_number(rows[0][4], 'en')}"
    dims = [r[0] for r in sql(demo_env, "select distinct dimension from dimension_scores")]
    assert all(t(f"needs.dimension.{d}", "en") in table.columns for d in dims)
    assert f"{len(rows)} cities scored in {period}" in texts(at)


def test_filters_in_the_url_narrow_the_ranking(demo_env):
    at = app_as("hub.admin", page=PAGE, query={"country": "MK,XK", "dimension": "youth_engagement"})
    assert not at.exception
    period = latest(demo_env)
    n = sql(demo_env, "select count(*) from need_scores n join municipalities m on m.code = n.municipality_code "
                      "where n.period=? and m.country in ('MK','XK')", period)[0][0]
    table = frame(at, "Rank interval (p05–p95)")
    assert len(table) == n
    assert set(table["Economy"]) == {"North Macedonia", "Kosovo*"}
    youth = t("needs.dimension.youth_engagement", "en")
    assert youth in table.columns and t("needs.dimension.threat_landscape", "en") not in table.columns
    values = [float(x) for x in table[youth]]
    assert values == sorted(values, reverse=True)
    assert "without prejudice to positions on status" in texts(at)


def test_earlier_period_from_the_url(demo_env):
    first = sql(demo_env, "select min(period) from need_scores")[0][0]
    at = app_as("hub.admin", page=PAGE, query={"period": first})
    top = sql(demo_env, "select m.name from need_scores n join municipalities m on m.code = n.municipality_code "
                        "where n.period=? order by n.rank, m.code limit 1", first)[0][0]
    assert frame(at, "Rank interval (p05–p95)")["Municipality"].iloc[0] == top


def test_priority_themes_equal_the_store(demo_env):
    at = app_as("hub.admin", page=PAGE)
    period = latest(demo_env)
    stated = dict(sql(demo_env, "select theme, count(*) from priorities where period=? and rank=1 group by theme",
                      period))
    table = frame(at, "Cities stating it first").set_index("Priority theme")
    for theme, n in stated.items():
        assert table.loc[t(f"needs.theme.{theme}", "en"), "Cities stating it first"] == n
    # the per-city table shows the selected city's priority scores
    code = at.selectbox(key="f-city").value
    rows = sql(demo_env, "select theme, score from priority_scores where period=? and municipality_code=? "
                         "order by rank", period, code)
    city = frame(at, "Priority score")
    assert list(city["Priority score"]) == [pytest.approx(round(r[1], 1)) for r in rows]


def test_what_if_moves_ranks_without_writing(demo_env):
    before = sql(demo_env, "select municipality_code, period, score, rank from need_scores order by 1, 2")
    at = app_as("hub.admin", page=PAGE)
    table = frame(at, "New rank")
    assert (table["Places moved"] == 0).all()  # the methodology's own weights change nothing
    at.slider(key="w-threat_landscape").set_value(0.0).run()
    assert not at.exception
    period = latest(demo_env)
    dims = pd.DataFrame(sql(demo_env, "select municipality_code, dimension, score from dimension_scores "
                                      "where period=?", period), columns=["code", "dimension", "score"])
    wide = dims.pivot(index="code", columns="dimension", values="score").drop(columns="threat_landscape")
    new_rank = wide.mean(axis=1).rank(ascending=False, method="min")
    stored = dict(sql(demo_env, "select municipality_code, rank from need_scores where period=?", period))
    moved = int(sum(1 for c in new_rank.index if new_rank[c] != stored[c]))
    assert next(m.value for m in at.metric if m.label == "Cities whose rank changes") == fmt_number(moved, "en")
    table = frame(at, "New rank")
    names = dict(sql(demo_env, "select code, name from municipalities"))
    expect = sorted(((int(new_rank[c]), names[c]) for c in new_rank.index))
    assert list(table["New rank"]) == [r for r, _ in expect][:len(table)]
    assert moved > 0
    assert sql(demo_env, "select municipality_code, period, score, rank from need_scores order by 1, 2") == before


@pytest.mark.parametrize("user", ["donor.demo", "mayor.kumanovo"])
def test_other_roles_cannot_open_the_page(demo_env, user):
    """The navigation does not register the needs page for donors and mayors."""
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app_as(user, page=PAGE)


def _add(url, *rows):
    with Session(get_engine(url)) as s:
        s.add_all(rows)
        s.commit()


def test_empty_database(empty_env):
    _add(empty_env, User(username="hub.admin", display_name="Hub", role="hub"))
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    assert t("common.no_data", "en") in texts(at)
    assert not at.dataframe and not at.get("plotly_chart")


def test_one_city(empty_env):
    _add(empty_env,
         Municipality(code="MK001", name="Kumanovo", name_local="Куманово", country="MK", population=98_000,
                      member_since=date(2021, 5, 1)),
         User(username="hub.admin", display_name="Hub", role="hub"))
    _add(empty_env, NeedScore(municipality_code="MK001", period="2025", score=42.25, rank=1, rank_p05=1, rank_p95=1,
                              coverage=0.5, flagged=True),
         DimensionScore(municipality_code="MK001", period="2025", dimension="youth_engagement", score=40.0))
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    table = frame(at, "Rank interval (p05–p95)")
    assert list(table["Municipality"]) == ["Kumanovo"] and list(table["Need index"]) == [42.2]
    assert list(table["Data"]) == ["incomplete"] and list(table["Coverage"]) == [0.5]


def test_large_ranking_is_paged(empty_env):
    _add(empty_env, User(username="hub.admin", display_name="Hub", role="hub"),
         *[Municipality(code=f"RS{i:03d}", name=f"Grad {i:03d}", country="RS", population=1000 + i,
                        member_since=date(2020, 1, 1)) for i in range(120)])
    _add(empty_env, *[NeedScore(municipality_code=f"RS{i:03d}", period="2025", score=float(120 - i), rank=i + 1,
                                coverage=1.0) for i in range(120)],
         *[DimensionScore(municipality_code=f"RS{i:03d}", period="2025", dimension="social_cohesion",
                          score=float(120 - i)) for i in range(120)])
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    assert len(frame(at, "Rank interval (p05–p95)")) == 50
    at.number_input(key="rank-page").set_value(3).run()
    table = frame(at, "Rank interval (p05–p95)")
    assert list(table["Rank"]) == list(range(101, 121))
    assert "120 cities scored" in texts(at)
