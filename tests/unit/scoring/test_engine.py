"""The engine against hand-computed cases, one option at a time."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from hub.scoring import MethodologyError, score_frame

from .helpers import method

XY = {"x": {"dimension": "d1", "polarity": "higher_is_worse", "weight": 1.0},
      "y": {"dimension": "d1", "polarity": "higher_is_better", "weight": 3.0}}
FRAME = pd.DataFrame({"unit": ["A", "B", "C"], "x": [0.0, 5.0, 10.0], "y": [10.0, 20.0, 30.0]})


def scores(m, frame):
    return score_frame(frame, m).table().set_index("unit")


def test_need_keeps_worse_and_inverts_better_with_weights():
    # x → 0, .5, 1 (kept); y → 0, .5, 1 inverted → 1, .5, 0; weights 1 : 3
    t = scores(method(indicators=XY), FRAME)
    assert t["score"].tolist() == pytest.approx([75.0, 50.0, 25.0])
    assert t["rank"].tolist() == [1, 2, 3]
    assert t["d1"].tolist() == pytest.approx([75.0, 50.0, 25.0])


def test_achievement_inverts_worse_and_keeps_better():
    t = scores(method(index={"measures": "achievement"}, indicators=XY), FRAME)
    assert t["score"].tolist() == pytest.approx([25.0, 50.0, 75.0])
    assert t["rank"].tolist() == [3, 2, 1]


def test_scale_is_applied():
    t = scores(method(index={"scale": 1}, indicators=XY), FRAME)
    assert t.loc["A", "score"] == pytest.approx(0.75)


def test_goalposts_normalise_and_clip():
    ind = {"x": {"dimension": "d1", "polarity": "higher_is_worse", "min": 0, "max": 10}}
    f = pd.DataFrame({"unit": ["A", "B", "C"], "x": [4.0, 12.0, -1.0]})
    t = scores(method(indicators=ind), f)
    assert t["score"].tolist() == pytest.approx([40.0, 100.0, 0.0])


def test_cap_before_normalising_with_goalposts():
    ind = {"x": {"dimension": "d1", "polarity": "higher_is_worse", "cap": 8, "min": 0, "max": 10}}
    f = pd.DataFrame({"unit": ["A", "B"], "x": [9.0, 5.0]})
    assert scores(method(indicators=ind), f)["score"].tolist() == pytest.approx([80.0, 50.0])


def test_cap_before_observed_min_max():
    ind = {"x": {"dimension": "d1", "polarity": "higher_is_worse", "cap": 10}}
    f = pd.DataFrame({"unit": ["A", "B", "C"], "x": [2.0, 6.0, 20.0]})
    assert scores(method(indicators=ind), f)["score"].tolist() == pytest.approx([0.0, 50.0, 100.0])


def test_log_transform_with_goalposts_in_log_space():
    ind = {"x": {"dimension": "d1", "polarity": "higher_is_worse", "transform": "log",
                 "min": 1, "max": 100}}
    f = pd.DataFrame({"unit": ["A", "B"], "x": [10.0, 1000.0]})
    # ln 10 is halfway between ln 1 and ln 100; 1000 is clipped to the goalpost
    assert scores(method(indicators=ind), f)["score"].tolist() == pytest.approx([50.0, 100.0])


def test_log_transform_observed():
    ind = {"x": {"dimension": "d1", "polarity": "higher_is_worse", "transform": "log"}}
    f = pd.DataFrame({"unit": ["A", "B", "C"], "x": [1.0, 10.0, 100.0]})
    assert scores(method(indicators=ind), f)["score"].tolist() == pytest.approx([0, 50, 100])


def test_geometric_dimension():
    ind = {"a": {"dimension": "d1", "polarity": "higher_is_worse", "min": 0, "max": 10},
           "b": {"dimension": "d1", "polarity": "higher_is_worse", "min": 0, "max": 10,
                 "weight": 3.0}}
    dims = {"d1": {"weight": 1.0, "aggregation": "geometric"}}
    f = pd.DataFrame({"unit": ["A"], "a": [4.0], "b": [9.0]})
    t = scores(method(dimensions=dims, indicators=ind), f)
    assert t.loc["A", "score"] == pytest.approx(100 * 0.4 ** 0.25 * 0.9 ** 0.75)


def two_dims(index=None, geo_index=False, w1=3.0, threshold=None):
    dims = {"d1": {"weight": w1}, "d2": {"weight": 1.0}}
    ind = {"a": {"dimension": "d1", "polarity": "higher_is_worse", "min": 0, "max": 10},
           "b": {"dimension": "d1", "polarity": "higher_is_worse", "min": 0, "max": 10},
           "c": {"dimension": "d2", "polarity": "higher_is_worse", "min": 0, "max": 10}}
    idx = dict(index or {})
    if geo_index:
        idx["aggregation"] = "geometric"
    if threshold is not None:
        idx["coverage_threshold"] = threshold
    return method(index=idx, dimensions=dims, indicators=ind)


def test_arithmetic_index_over_weighted_dimensions():
    f = pd.DataFrame({"unit": ["A"], "a": [2.0], "b": [4.0], "c": [8.0]})
    t = scores(two_dims(), f)
    assert t.loc["A", "d1"] == pytest.approx(30.0)
    assert t.loc["A", "d2"] == pytest.approx(80.0)
    assert t.loc["A", "score"] == pytest.approx((3 * 30 + 80) / 4)


def test_geometric_index_over_dimensions():
    f = pd.DataFrame({"unit": ["A"], "a": [2.0], "b": [4.0], "c": [8.0]})
    t = scores(two_dims(geo_index=True), f)
    assert t.loc["A", "score"] == pytest.approx(100 * 0.3 ** 0.75 * 0.8 ** 0.25)


def test_missing_value_is_dropped_and_weights_renormalised():
    f = pd.DataFrame({"unit": ["A", "B"], "a": [2.0, 2.0], "b": [np.nan, 4.0], "c": [8.0, 8.0]})
    t = scores(two_dims(), f)
    assert t.loc["A", "d1"] == pytest.approx(20.0)          # only a observed
    assert t.loc["A", "score"] == pytest.approx((3 * 20 + 80) / 4)
    # coverage: d1 half observed, weighted 3 of 4 → (3 × 0.5 + 1 × 1) / 4
    assert t.loc["A", "coverage"] == pytest.approx(0.625)
    assert t.loc["B", "coverage"] == pytest.approx(1.0)
    assert bool(t.loc["A", "flagged"]) is True               # default threshold 0.7
    assert bool(t.loc["B", "flagged"]) is False


def test_coverage_threshold_from_the_file():
    f = pd.DataFrame({"unit": ["A"], "a": [2.0], "b": [np.nan], "c": [8.0]})
    assert bool(scores(two_dims(threshold=0.6), f).loc["A", "flagged"]) is False


def test_whole_dimension_missing():
    f = pd.DataFrame({"unit": ["A"], "a": [np.nan], "b": [np.nan], "c": [8.0]})
    t = scores(two_dims(), f)
    assert math.isnan(t.loc["A", "d1"])
    assert t.loc["A", "score"] == pytest.approx(80.0)
    assert t.loc["A", "coverage"] == pytest.approx(0.25)


def test_nothing_observed_gives_no_score_and_no_rank():
    f = pd.DataFrame({"unit": ["A", "B"], "a": [np.nan, 1.0], "b": [np.nan, 1.0],
                      "c": [np.nan, 1.0]})
    t = scores(two_dims(), f)
    assert math.isnan(t.loc["A", "score"]) and pd.isna(t.loc["A", "rank"])
    assert t.loc["A", "coverage"] == 0.0 and bool(t.loc["A", "flagged"])
    assert t.loc["B", "rank"] == 1


def test_contributions_sum_to_the_arithmetic_score_with_missing_data():
    f = pd.DataFrame({"unit": ["A", "B"], "a": [2.0, 7.0], "b": [np.nan, 4.0], "c": [8.0, 1.0]})
    res = score_frame(f, two_dims())
    assert res.contributions.sum(axis=1).to_numpy() == pytest.approx(res.score.to_numpy())
    assert res.weights.loc["A", "b"] == 0.0
    assert res.weights.loc["A", "a"] == pytest.approx(0.75)  # all of d1's 3/4 share
    assert res.weights.sum(axis=1).to_numpy() == pytest.approx([1.0, 1.0])


def test_ties_share_the_best_rank():
    f = pd.DataFrame({"unit": ["A", "B", "C"], "x": [5.0, 5.0, 1.0]})
    assert scores(method(), f)["rank"].tolist() == [1, 1, 3]


def test_no_spread_without_goalposts_is_neutral():
    f = pd.DataFrame({"unit": ["A"], "x": [7.0]})
    assert scores(method(), f).loc["A", "score"] == pytest.approx(50.0)


# --- errors -------------------------------------------------------------------------------
def test_missing_column_is_an_error():
    with pytest.raises(MethodologyError, match="lacks: y"):
        score_frame(FRAME.drop(columns="y"), method(indicators=XY))


def test_non_numeric_value_is_an_error():
    f = FRAME.astype({"x": object})
    f.loc[1, "x"] = "n/a"
    with pytest.raises(MethodologyError, match="non-numeric"):
        score_frame(f, method(indicators=XY))


def test_geometric_over_a_zero_indicator_is_an_error():
    ind = {"a": {"dimension": "d1", "polarity": "higher_is_worse", "min": 0, "max": 10},
           "b": {"dimension": "d1", "polarity": "higher_is_worse", "min": 0, "max": 10}}
    dims = {"d1": {"weight": 1.0, "aggregation": "geometric"}}
    f = pd.DataFrame({"unit": ["A"], "a": [0.0], "b": [9.0]})
    with pytest.raises(MethodologyError, match="geometric aggregation over a zero"):
        score_frame(f, method(dimensions=dims, indicators=ind))


def test_geometric_index_over_a_zero_dimension_is_an_error():
    f = pd.DataFrame({"unit": ["A"], "a": [0.0], "b": [0.0], "c": [8.0]})
    with pytest.raises(MethodologyError, match="dimension score"):
        score_frame(f, two_dims(geo_index=True))


def test_log_of_a_non_positive_value_is_an_error():
    ind = {"x": {"dimension": "d1", "polarity": "higher_is_worse", "transform": "log"}}
    with pytest.raises(MethodologyError, match="log transform"):
        score_frame(pd.DataFrame({"unit": ["A"], "x": [0.0]}), method(indicators=ind))
