"""Regional overview in AppTest: figures equal the store, filters in the URL, donor scope,
empty-database and one-city cases."""
from __future__ import annotations

import statistics
from datetime import date

import pandas as pd
import pytest
from sqlmodel import Session

from hub.db import get_engine
from hub.i18n import fmt_money, fmt_number, t
from hub.models import Municipality, NeedScore, User
from tests.app.helpers import app_as, each_tab, numeric, open_tab, texts
from tests.dbutil import as_date, sql
from tests.unit.queries.scores_seed import build

PAGE = "pages/overview.py"


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def frame(at, column):
    """The first dataframe shown with ``column``."""
    return numeric(next(df.value for df in at.dataframe if column in df.value.columns))


def frames(at, column):
    return [numeric(df.value) for df in at.dataframe if column in df.value.columns]


def test_headline_figures_equal_the_store(demo_env):
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    url = demo_env
    latest = sql(url, "select max(period) from need_scores")[0][0]
    members = sql(url, "select count(*) from municipalities where member_since is not null")[0][0]
    assessed = sql(url, "select count(*) from need_scores where period=? and score is not null", latest)[0][0]
    open_req = sql(url, "select count(*) from helpdesk_requests where status <> 'resolved'")[0][0]
    days = [(as_date(done) - as_date(opened)).days for opened, done in sql(url, "select opened_on, resolved_on from helpdesk_requests "
                                                            "where status='resolved' and resolved_on is not null")]
    approved = sql(url, "select sum(approved_eur) from fund_applications where status in ('approved','completed')")[0][0]
    paid = sql(url, "select sum(amount_eur) from disbursements")[0][0]
    assert metric(at, "Member cities") == fmt_number(members, "en")
    assert metric(at, f"Cities assessed in {latest}") == fmt_number(assessed, "en")
    assert metric(at, "Open help-desk requests") == fmt_number(open_req, "en")
    assert metric(at, "Median days to resolve a request") == fmt_number(statistics.median(days), "en", 1)
    assert metric(at, "Fund committed (approved)") == fmt_money(approved, "en")
    assert metric(at, "Fund disbursed") == fmt_money(paid, "en")
    assert "Demo data" in texts(at)


def test_economies_table_equals_the_store(demo_env):
    at = open_tab(app_as("hub.admin", page=PAGE), "Economies")
    eco = frame(at, "Median need index").set_index("Economy")
    assert len(eco) == 6
    latest = sql(demo_env, "select max(period) from need_scores")[0][0]
    rows = sql(demo_env, "select m.country, n.score from need_scores n join municipalities m on m.code = "
                         "n.municipality_code where n.period=? and n.score is not null", latest)
    df = pd.DataFrame(rows, columns=["country", "score"])
    names = {"MK": "North Macedonia", "RS": "Serbia", "AL": "Albania"}
    for code, name in names.items():
        med = df[df["country"] == code]["score"].median()
        assert eco.loc[name, "Median need index"] == pytest.approx(round(med, 1))
        n = sql(demo_env, "select count(*) from municipalities where country=? and member_since is not null", code)[0][0]
        assert eco.loc[name, "Member cities"] == n
        paid = sql(demo_env, "select coalesce(sum(d.amount_eur), 0) from disbursements d join fund_applications f "
                             "using (application_id) join municipalities m on m.code = f.municipality_code "
                             "where m.country=?", code)[0][0]
        assert eco.loc[name, "Fund disbursed (EUR)"] == pytest.approx(round(paid))
    assert "Kosovo*" in eco.index
    assert "without prejudice to positions on status" in texts(at)  # Kosovo footnote under the table


def test_changes_name_the_biggest_risers(demo_env):
    at = open_tab(app_as("hub.admin", page=PAGE), "Changes")
    periods = [r[0] for r in sql(demo_env, "select distinct period from need_scores order by 1")]
    cur, prev = periods[-1], periods[-2]
    rows = sql(demo_env, "select m.name, c.score - p.score from need_scores c join need_scores p on "
                         "p.municipality_code = c.municipality_code and p.period=? join municipalities m "
                         "on m.code = c.municipality_code where c.period=? order by 2 desc", prev, cur)
    rose = frames(at, "Change (points)")[0]
    assert rose["Municipality"].iloc[0] == rows[0][0]
    assert rose["Change (points)"].iloc[0] == pytest.approx(round(rows[0][1], 1))
    fell = frames(at, "Change (points)")[1]
    assert fell["Municipality"].iloc[0] == rows[-1][0]
    assert f"from {prev} to {cur}" in texts(at)


def test_underserved_cities_recomputed(demo_env):
    at = open_tab(app_as("hub.admin", page=PAGE), "Need vs support")
    latest = sql(demo_env, "select max(period) from need_scores")[0][0]
    end = f"{latest}-12-31"
    need = dict(sql(demo_env, "select municipality_code, score from need_scores where period=? and score is not null",
                    latest))
    pop = dict(sql(demo_env, "select code, population from municipalities"))
    paid = dict(sql(demo_env, "select f.municipality_code, sum(d.amount_eur) from disbursements d join "
                              "fund_applications f using (application_id) where d.paid_on <= ? group by 1", end))
    res = dict(sql(demo_env, "select municipality_code, count(*) from helpdesk_requests where status='resolved' "
                             "and resolved_on <= ? group by 1", end))
    df = pd.DataFrame({"need": pd.Series(need)})
    df["fund"] = [paid.get(c, 0) / pop[c] * 1000 for c in df.index]
    df["res"] = [res.get(c, 0) for c in df.index]

    def pct(s):
        return s.rank(pct=True) * 100
    df["need_pct"] = pct(df["need"])
    df["support_pct"] = pct((pct(df["fund"]) + pct(df["res"])) / 2)
    under = df[(df["need_pct"] >= 50) & (df["support_pct"] < 50)]
    names = dict(sql(demo_env, "select code, name from municipalities"))
    shown = frame(at, "Gap (percentile points)")
    assert sorted(shown["Municipality"]) == sorted(names[c] for c in under.index)
    assert f"({len(under)})" in texts(at)
    fig = next(c for c in at.get("plotly_chart"))
    assert fig is not None


def test_period_and_layer_from_the_url(demo_env):
    periods = [r[0] for r in sql(demo_env, "select distinct period from need_scores order by 1")]
    at = app_as("hub.admin", page=PAGE, query={"period": periods[-2], "layer": "dim:youth_engagement"})
    assert not at.exception
    n = sql(demo_env, "select count(*) from need_scores where period=?", periods[-2])[0][0]
    assert metric(at, f"Cities assessed in {periods[-2]}") == fmt_number(n, "en")
    assert at.selectbox(key="f-layer").value == "dim:youth_engagement"
    assert f"from {periods[-3]} to {periods[-2]}" in texts(open_tab(at, "Changes"))   # the period stays


def test_donor_sees_economies_not_city_need(demo_env):
    at = app_as("donor.demo", page=PAGE)
    assert not at.exception
    # no table of the donor's overview, in any tab, lists municipalities' need scores
    for shown in each_tab(at):
        for df in shown.dataframe:
            assert "Municipality" not in df.value.columns
    eco = frame(open_tab(at, "Economies"), "Median need index").set_index("Economy")
    assert len(eco) == 6
    assert "economy medians" in texts(at)
    changes = frame(open_tab(at, "Changes"), "Cities compared")
    assert set(changes.columns) >= {"Economy", "Median need index", "Change (points)"}


def test_language_from_the_url(demo_env):
    # The overview is the hub's first page, so the app opens on it. (A rerun in AppTest after
    # switch_page cannot restore a selectbox with format_func in a non-English language.)
    at = app_as("hub.admin", query={"lang": "mk"})
    assert not at.exception
    assert at.title[0].value == t("overview.title", "mk") == "Регионален преглед"
    assert any(m.label == t("overview.metric.members", "mk") for m in at.metric)


def _user(url, *rows):
    with Session(get_engine(url)) as s:
        s.add_all(rows)
        s.commit()


def test_empty_database(empty_env):
    _user(empty_env, User(username="hub.admin", display_name="Hub", role="hub"))
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    assert metric(at, "Member cities") == "0"
    assert metric(at, "Fund disbursed") == fmt_money(0, "en")
    assert t("common.no_data", "en") in texts(at)             # the map's tab, open first
    for shown in each_tab(at):
        assert not shown.get("plotly_chart")


def test_one_city(empty_env):
    _user(empty_env,
          Municipality(code="MK001", name="Kumanovo", name_local="Куманово", country="MK", population=98_000,
                       latitude=42.13, longitude=21.71, member_since=date(2021, 5, 1)),
          User(username="hub.admin", display_name="Hub", role="hub"))
    _user(empty_env, NeedScore(municipality_code="MK001", period="2025", score=55.5, rank=1, coverage=1.0))
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    assert metric(at, "Member cities") == "1"
    assert metric(at, "Cities assessed in 2025") == "1"
    eco = frame(open_tab(at, "Economies"), "Median need index").set_index("Economy")
    assert eco.loc["North Macedonia", "Median need index"] == 55.5


def test_script_name_shown_as_text(empty_url, monkeypatch):
    url = empty_url
    build(url)
    _user(url, User(username="hub.admin", display_name="Hub", role="hub"))
    monkeypatch.setenv("DATABASE_URL", url)
    at = open_tab(app_as("hub.admin", page=PAGE), "Changes")
    assert not at.exception
    rose = frames(at, "Change (points)")[0]
    assert "<script>alert(1)</script>" in set(rose["Municipality"])
