"""Monte Carlo rank intervals and the top mover."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hub.scoring import rank_intervals, score_frame

from .helpers import method

SIX = {f"i{j}": {"dimension": f"d{j // 2}", "polarity": "higher_is_worse",
                 "weight": 1.0 + j % 3} for j in range(6)}
DIMS = {f"d{d}": {"weight": 1.0 + d} for d in range(3)}


def random_frame(n=12, seed=3):
    rng = np.random.default_rng(seed)
    data = {"unit": [f"U{i}" for i in range(n)]}
    data.update({f"i{j}": rng.uniform(0, 10, n) for j in range(6)})
    return pd.DataFrame(data)


def intervals(frame, m, **kw):
    res = score_frame(frame, m)
    return res, rank_intervals(res.normalised, m, **kw)


def test_reproducible_with_the_seed_and_sensitive_to_it():
    m = method(dimensions=DIMS, indicators=SIX)
    f = random_frame(40)
    _, a = intervals(f, m)
    _, b = intervals(f, m)
    _, c = intervals(f, m, seed=99)
    pd.testing.assert_frame_equal(a, b)
    assert not a[["rank_p05", "rank_p95"]].equals(c[["rank_p05", "rank_p95"]])


def test_intervals_bracket_the_rank_and_stay_in_range():
    m = method(dimensions=DIMS, indicators=SIX)
    res, mc = intervals(random_frame(30), m)
    assert (mc["rank_p05"] >= 1).all() and (mc["rank_p95"] <= 30).all()
    assert (mc["rank_p05"] <= mc["rank_p95"]).all()
    assert (mc[["rank_p05", "rank_p95"]] % 1 == 0).all().all()     # whole ranks
    rank = res.rank.astype(float)
    inside = (mc["rank_p05"] <= rank) & (rank <= mc["rank_p95"])
    assert inside.mean() > 0.9


def test_well_separated_units_have_exact_ranks():
    m = method(dimensions=DIMS, indicators=SIX)
    f = pd.DataFrame({"unit": ["A", "B", "C"]} | {f"i{j}": [9.0, 5.0, 1.0] for j in range(6)})
    _, mc = intervals(f, m)
    assert mc["rank_p05"].tolist() == [1, 2, 3] and mc["rank_p95"].tolist() == [1, 2, 3]
    assert not mc["rank_uncertain"].any()


def test_units_that_depend_on_weights_are_rank_uncertain():
    # x and y trade off exactly: every unit scores 50 at equal weights, so the weights decide
    ind = {"x": {"dimension": "d1", "polarity": "higher_is_worse"},
           "y": {"dimension": "d1", "polarity": "higher_is_worse"}}
    f = pd.DataFrame({"unit": list("ABCDEFGHIJ"), "x": np.arange(10.0), "y": 9 - np.arange(10.0)})
    m = method(indicators=ind)
    _, mc = intervals(f, m)
    assert mc.loc["A", "rank_p05"] <= 2 and mc.loc["A", "rank_p95"] >= 9
    # the ends swap places with the weights; the middle stays in the middle
    assert mc.loc[["A", "B", "I", "J"], "rank_uncertain"].all()
    assert not mc.loc[["E", "F"], "rank_uncertain"].any()
    wide = method(indicators=ind, montecarlo={"rank_uncertain_width": 9.5})   # absolute ranks
    _, mc2 = intervals(f, wide)
    assert not mc2["rank_uncertain"].any()


def test_top_mover_is_the_indicator_whose_omission_moves_the_rank_most():
    m = method(dimensions=DIMS, indicators=SIX)
    f = random_frame(15, seed=11)
    res, mc = intervals(f, m)
    base = res.score.rank(ascending=False, method="first")
    shifts = {}
    for j in range(6):
        inds = {k: v for k, v in SIX.items() if k != f"i{j}"}
        loo = score_frame(f.drop(columns=f"i{j}"), method(dimensions=DIMS, indicators=inds))
        shifts[f"i{j}"] = (loo.score.rank(ascending=False, method="first") - base).abs()
    shifts = pd.DataFrame(shifts)
    moved = shifts.max(axis=1) > 0
    assert moved.any()
    for unit in shifts.index[moved]:
        top = mc.loc[unit, "top_mover"]
        assert shifts.loc[unit, top] == shifts.loc[unit].max(), unit


def test_unit_without_data_has_no_interval():
    m = method(dimensions=DIMS, indicators=SIX)
    f = random_frame(5)
    f.loc[0, [f"i{j}" for j in range(6)]] = np.nan
    _, mc = intervals(f, m)
    assert pd.isna(mc.loc["U0", "rank_p05"]) and pd.isna(mc.loc["U0", "top_mover"])
    assert mc.loc["U1":, "rank_p95"].max() <= 4


def test_single_unit():
    m = method(dimensions=DIMS, indicators=SIX)
    _, mc = intervals(random_frame(1), m)
    assert mc.loc["U0", "rank_p05"] == 1 and mc.loc["U0", "rank_p95"] == 1
    assert not mc.loc["U0", "rank_uncertain"]


def test_draw_count_from_the_file_is_used(monkeypatch):
    m = method(dimensions=DIMS, indicators=SIX, montecarlo={"draws": 7})
    seen = {}
    import hub.scoring.montecarlo as mcmod
    real = mcmod._ranks

    def spy(scores):
        seen.setdefault("shape", scores.shape)
        return real(scores)
    monkeypatch.setattr(mcmod, "_ranks", spy)
    intervals(random_frame(4), m)
    assert seen["shape"] == (7, 4)


@pytest.mark.parametrize("dim_agg, index_agg", [("arithmetic", "arithmetic"),
                                                ("geometric", "geometric"),
                                                ("geometric", "arithmetic")])
def test_draw_kernel_equals_the_engine_for_any_weights(dim_agg, index_agg):
    """The vectorised per-draw kernel gives the engine's score for the drawn weights."""
    from hub.scoring.engine import structure
    from hub.scoring.montecarlo import _index
    rng = np.random.default_rng(5)
    complete = random_frame(9)
    f = complete.copy()
    f.loc[2, "i0"] = np.nan
    f.loc[4, ["i2", "i3"]] = np.nan                                     # a whole dimension
    for f in (complete, f, complete):
        w = rng.uniform(0.2, 3, 6)
        v = rng.uniform(0.2, 3, 3)
        inds = {k: dict(spec, weight=float(w[j]), min=-1, max=11)
                for j, (k, spec) in enumerate(SIX.items())}
        dims = {f"d{d}": {"weight": float(v[d]), "aggregation": dim_agg} for d in range(3)}
        m = method(index={"aggregation": index_agg}, dimensions=dims, indicators=inds)
        res = score_frame(f, m)
        mm, _, _, geo = structure(m)
        got = _index(res.normalised.to_numpy(), w[None], v[None], mm, geo,
                     index_agg == "geometric")[0]
        assert got * 100 == pytest.approx(res.score.to_numpy())
