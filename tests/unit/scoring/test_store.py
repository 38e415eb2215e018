"""rescore() on real SQLite stores: scores recomputed independently from the stored inputs."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import delete

from hub.db import get_engine
from hub.models import IndicatorValue
from hub.scoring import load_methodology
from hub.scoring.store import rescore

from .conftest import fill_store

TABLES = ("need_scores", "dimension_scores", "indicator_contributions", "priority_scores")


def read(engine, table):
    return pd.read_sql(f"SELECT * FROM {table}", engine)


def expected_scores(engine) -> pd.DataFrame:
    """The need index by hand in pandas: bounds across all periods, equal weights."""
    m = load_methodology()
    v = read(engine, "indicator_values")
    v = v[v.indicator_code.isin(m.columns)]
    parts = []
    for code, grp in v.groupby("indicator_code"):
        ind = m.indicators[code]
        lo = ind.min if ind.min is not None else grp.value.min()
        hi = ind.max if ind.max is not None else grp.value.max()
        z = ((grp.value - lo) / (hi - lo)).clip(0, 1)
        if ind.polarity == "higher_is_better":
            z = 1 - z
        parts.append(grp.assign(z=z, dimension=ind.dimension))
    long = pd.concat(parts)
    dims = long.groupby(["municipality_code", "period", "dimension"]).z.mean() * 100
    return dims.groupby(["municipality_code", "period"]).mean().rename("expected")


def test_rescore_writes_every_table(store_url):
    engine = get_engine(store_url)
    rescore(engine)
    counts = {t: len(read(engine, t)) for t in TABLES}
    assert counts == {"need_scores": 24, "dimension_scores": 24 * 6,
                      "indicator_contributions": 24 * 24, "priority_scores": 24 * 6}
    contrib = read(engine, "indicator_contributions")
    assert "youth_share" not in set(contrib.indicator_code)
    assert set(read(engine, "need_scores").method_id) == {"need"}


def test_need_scores_match_a_hand_computation(store_url):
    engine = get_engine(store_url)
    rescore(engine)
    got = read(engine, "need_scores").set_index(["municipality_code", "period"])
    both = got.join(expected_scores(engine))
    assert both.score.to_numpy() == pytest.approx(both.expected.to_numpy())
    assert (got.coverage == 1).all() and not got.flagged.any()


def test_ranks_and_intervals_per_period(store_url):
    engine = get_engine(store_url)
    rescore(engine)
    ns = read(engine, "need_scores")
    for _, grp in ns.groupby("period"):
        grp = grp.sort_values("score", ascending=False)
        assert grp["rank"].tolist() == list(range(1, len(grp) + 1))
        assert grp.rank_p05.between(1, len(grp)).all() and grp.rank_p95.between(1, len(grp)).all()
        assert (grp.rank_p05 <= grp.rank_p95).all()
    m = load_methodology()
    assert set(ns.top_mover.dropna()) <= set(m.indicators)


def test_contributions_add_up_and_dimensions_match(store_url):
    engine = get_engine(store_url)
    rescore(engine)
    ns = read(engine, "need_scores").set_index(["municipality_code", "period"])
    c = read(engine, "indicator_contributions")
    sums = c.groupby(["municipality_code", "period"]).contribution.sum()
    assert sums.reindex(ns.index).to_numpy() == pytest.approx(ns.score.to_numpy())
    assert c.weight.groupby([c.municipality_code, c.period]).sum().to_numpy() == pytest.approx(1)
    d = read(engine, "dimension_scores")
    mean_dims = d.groupby(["municipality_code", "period"]).score.mean()
    assert mean_dims.reindex(ns.index).to_numpy() == pytest.approx(ns.score.to_numpy())
    row = c.iloc[0]
    assert row.contribution == pytest.approx(row.weight * row.normalised * 100)


def test_priority_scores_follow_the_rule(store_url):
    engine = get_engine(store_url)
    rescore(engine)
    m = load_methodology()
    p = read(engine, "priority_scores")
    d = read(engine, "dimension_scores").set_index(["municipality_code", "period", "dimension"])
    stated = read(engine, "priorities").set_index(["municipality_code", "period", "theme"])["rank"]
    t = len(m.priority.themes)
    for row in p.itertuples():
        r = stated.get((row.municipality_code, row.period, row.theme))
        s = (t - r + 1) / t if r is not None else 0.0
        g = d.score[(row.municipality_code, row.period, m.priority.themes[row.theme])] / 100
        assert row.stated == pytest.approx(s) and row.need == pytest.approx(g)
        assert row.score == pytest.approx(100 * s ** 0.5 * g ** 0.5)
    top = p[p["rank"] == 1]
    assert (top.stated > 0).all()        # with α = 0.5 an unstated theme scores 0


def test_rescore_replaces_rows_and_follows_the_data(store_url):
    engine = get_engine(store_url)
    rescore(engine)
    before = read(engine, "need_scores")
    with engine.begin() as conn:
        conn.execute(IndicatorValue.__table__.update()
                     .where(IndicatorValue.municipality_code == "C00")
                     .where(IndicatorValue.indicator_code == "youth_unemployment")
                     .where(IndicatorValue.period == "2024").values(value=100.0))
    rescore(engine)
    after = read(engine, "need_scores")
    assert len(after) == len(before)
    key = (after.municipality_code == "C00") & (after.period == "2024")
    assert after[key].score.iloc[0] > before[key].score.iloc[0]
    assert after[~key].score.to_numpy() == pytest.approx(before[~key].score.to_numpy())


def test_missing_values_lower_coverage_and_flag(empty_url):
    gone = {(f"C01", c) for c in ("hate_incidents", "extremist_recruitment_reports",
                                  "online_hate_exposure", "interethnic_tension",
                                  "youth_council", "youth_reached")}
    engine = fill_store(empty_url, missing={"2024": gone})
    rescore(engine)
    ns = read(engine, "need_scores").set_index(["municipality_code", "period"])
    # threat_landscape fully missing (1/6), youth half missing (1/12): 1 − 1/6 − 1/12 = 0.75
    assert ns.loc[("C01", "2024"), "coverage"] == pytest.approx(0.75)
    assert not ns.loc[("C01", "2024"), "flagged"]
    d = read(engine, "dimension_scores").set_index(["municipality_code", "period", "dimension"])
    assert np.isnan(d.loc[("C01", "2024", "threat_landscape"), "score"])
    assert d.loc[("C01", "2024", "youth_engagement"), "coverage"] == pytest.approx(0.5)
    c = read(engine, "indicator_contributions").set_index(
        ["municipality_code", "period", "indicator_code"])
    assert c.loc[("C01", "2024", "hate_incidents"), "weight"] == 0
    assert np.isnan(c.loc[("C01", "2024", "hate_incidents"), "contribution"])


def test_flag_below_threshold(empty_url):
    m = load_methodology()
    gone = {("C02", i.column) for i in m.indicators.values()
            if i.dimension in ("threat_landscape", "social_cohesion")}
    engine = fill_store(empty_url, missing={"2023": gone})
    rescore(engine)
    ns = read(engine, "need_scores").set_index(["municipality_code", "period"])
    assert ns.loc[("C02", "2023"), "coverage"] == pytest.approx(4 / 6)
    assert ns.loc[("C02", "2023"), "flagged"]


def test_empty_store_writes_nothing(empty_url):
    engine = get_engine(empty_url)
    rescore(engine)
    assert all(len(read(engine, t)) == 0 for t in TABLES)


def test_inputs_removed_clears_scores(store_url):
    engine = get_engine(store_url)
    rescore(engine)
    with engine.begin() as conn:
        conn.execute(delete(IndicatorValue))
    rescore(engine)
    assert all(len(read(engine, t)) == 0 for t in TABLES)


def test_single_city(empty_url):
    engine = fill_store(empty_url, n_cities=1, periods=("2025",))
    rescore(engine)
    ns = read(engine, "need_scores")
    assert len(ns) == 1 and ns["rank"].iloc[0] == 1
    assert ns.rank_p05.iloc[0] == 1 and ns.rank_p95.iloc[0] == 1
    assert 0 <= ns.score.iloc[0] <= 100


def test_methodology_path_from_the_environment(store_url, tmp_path, monkeypatch):
    from hub.scoring.methodology import DEFAULT_PATH
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace('id = "need"', 'id = "need_v2"', 1)
    alt = tmp_path / "alt.toml"
    alt.write_text(text, encoding="utf-8")
    monkeypatch.setenv("METHODOLOGY_PATH", str(alt))
    engine = get_engine(store_url)
    rescore(engine)
    assert set(read(engine, "need_scores").method_id) == {"need_v2"}


def test_demo_build_leaves_scores_in_the_store(demo_url):
    engine = get_engine(demo_url)
    ns = read(engine, "need_scores")
    assert len(ns) > 0 and ns.score.between(0, 100).all()
    assert set(ns.period) == {"2023", "2024", "2025"}
    assert len(read(engine, "priority_scores")) > 0
    scored = ns[ns.score.notna()]
    assert scored.rank_p05.notna().all() and scored.rank_p95.notna().all()
    for _, grp in scored.groupby("period"):
        assert sorted(grp["rank"]) == sorted(grp.score.rank(ascending=False, method="min"))
