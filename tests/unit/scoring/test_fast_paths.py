"""The fast paths of issue 8 agree with the general ones they short-cut."""
from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy.exc import IntegrityError

from hub.db import get_engine
from hub.models import NeedScore
from hub.scoring.montecarlo import _index, _index_linear, _rank_percentiles, _ranks
from hub.scoring.store import rescore


def _structure(k=7, d=3, seed=0):
    rng = np.random.default_rng(seed)
    m = np.zeros((k, d))
    m[np.arange(k), np.arange(k) % d] = 1.0
    return rng, m


def test_linear_draw_kernel_equals_the_general_one():
    rng, m = _structure()
    x = rng.uniform(0, 1, (40, 7))
    w = rng.uniform(0.5, 1.5, (50, 7))
    v = rng.uniform(0.5, 1.5, (50, 3))
    w[3, [0, 3, 6]] = 0.0                       # a draw that drops a whole dimension
    w[4] = 0.0                                  # and one that observes nothing
    geo = np.zeros(3, bool)
    fast, slow = _index_linear(x, w, v, m), _index(x, w, v, m, geo, False)
    assert np.array_equal(np.isnan(fast), np.isnan(slow)) and np.isnan(fast[4]).all()
    assert np.allclose(fast[~np.isnan(slow)], slow[~np.isnan(slow)], rtol=0, atol=1e-12)


@pytest.mark.parametrize("draws", [1, 7, 20, 999, 1000])
def test_rank_percentiles_are_numpys_inverted_cdf(draws):
    rng = np.random.default_rng(draws)
    ranks = np.argsort(rng.random((draws, 30)), axis=1) + 1.0
    expected = np.percentile(ranks, [5, 95], axis=0, method="inverted_cdf")
    assert np.array_equal(_rank_percentiles(ranks, [5, 95]), expected)


def test_ranks_order_ties_as_a_stable_sort():
    scores = np.array([[0.5, 0.9, 0.5, np.nan, 0.1, 0.5],
                       [0.3, 0.2, 0.1, 0.4, np.nan, np.nan]])
    got = _ranks(scores)
    key = np.where(np.isnan(scores), np.inf, -scores)
    want = np.empty(scores.shape)
    np.put_along_axis(want, np.argsort(key, axis=1, kind="stable"),
                      np.arange(1, 7, dtype=float), axis=1)
    want[np.isnan(scores)] = np.nan
    assert np.array_equal(got, want, equal_nan=True)
    assert got[0].tolist()[:3] == [2.0, 1.0, 3.0]      # tied 0.5s keep their order


def test_rescore_leaves_foreign_keys_enforced(store_url):
    engine = get_engine(store_url)
    rescore(engine)
    with pytest.raises(IntegrityError):
        with engine.begin() as conn:
            conn.execute(NeedScore.__table__.insert(),
                         [dict(municipality_code="NOPE", period="2024", coverage=1.0)])


def test_intervals_with_gaps_match_the_general_kernel_alone(monkeypatch):
    """Complete units take the linear kernel, units with a gap the general one; the rank
    intervals and top movers are those of the general kernel for every unit."""
    import pandas as pd

    import hub.scoring.montecarlo as mc
    from hub.scoring import rank_intervals, score_frame

    from .helpers import method
    inds = {f"i{j}": {"dimension": f"d{j % 3}", "polarity": "higher_is_worse",
                      "weight": 1.0 + j % 2} for j in range(7)}
    m = method(dimensions={f"d{d}": {"weight": 1.0 + d} for d in range(3)}, indicators=inds)
    rng = np.random.default_rng(11)
    frame = pd.DataFrame({"unit": [f"U{i}" for i in range(60)]}
                         | {f"i{j}": rng.uniform(0, 10, 60) for j in range(7)})
    frame.loc[[3, 17, 40], "i2"] = np.nan
    frame.loc[25, ["i0", "i3", "i6"]] = np.nan                        # a whole dimension
    norm = score_frame(frame, m).normalised
    mixed = rank_intervals(norm, m, draws=300)
    geo = np.zeros(3, bool)
    monkeypatch.setattr(mc, "_index_linear",
                        lambda x, w, v, mm: mc._index(x, w, v, mm, geo, False))
    general = rank_intervals(norm, m, draws=300)
    pd.testing.assert_frame_equal(mixed, general)
    assert mixed["rank_p05"].notna().all()
