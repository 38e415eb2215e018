"""What-if re-weighting of stored dimension scores, and the need-support gap."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hub.scoring import MethodologyError, need_support_gap, score_frame, whatif

from .helpers import method

DIMS = {"d1": {"weight": 3.0}, "d2": {"weight": 1.0}}
IND = {"a": {"dimension": "d1", "polarity": "higher_is_worse"},
       "b": {"dimension": "d2", "polarity": "higher_is_better"}}
FRAME = pd.DataFrame({"unit": ["A", "B", "C"], "a": [1.0, 5.0, 9.0], "b": [3.0, 8.0, 1.0]})


def test_methodology_weights_reproduce_the_engine_score():
    res = score_frame(FRAME, method(dimensions=DIMS, indicators=IND))
    w = whatif(res.dimensions, {"d1": 3.0, "d2": 1.0})
    assert w["score"].to_numpy() == pytest.approx(res.score.to_numpy())
    assert w["rank"].tolist() == res.rank.tolist()


def test_new_weights_and_long_input():
    long = pd.DataFrame({"municipality_code": ["A", "A", "B", "B"],
                         "dimension": ["d1", "d2", "d1", "d2"], "score": [20.0, 80.0, 60.0, 10.0]})
    only_d2 = whatif(long, {"d1": 0.0, "d2": 1.0})
    assert only_d2.loc["A", "score"] == 80.0 and only_d2.loc["A", "rank"] == 1
    even = whatif(long, {"d1": 1, "d2": 1})
    assert even.loc["B", "score"] == pytest.approx(35.0)
    geo = whatif(long, {"d1": 1, "d2": 1}, aggregation="geometric")
    assert geo.loc["A", "score"] == pytest.approx(40.0)


def test_missing_dimension_is_renormalised():
    wide = pd.DataFrame({"d1": [np.nan, 30.0], "d2": [70.0, 50.0]}, index=["A", "B"])
    w = whatif(wide, {"d1": 1, "d2": 3})
    assert w.loc["A", "score"] == pytest.approx(70.0)
    assert w.loc["B", "score"] == pytest.approx(45.0)


def test_whatif_errors():
    wide = pd.DataFrame({"d1": [0.0], "d2": [50.0]}, index=["A"])
    with pytest.raises(MethodologyError):
        whatif(wide, {"d1": -1, "d2": 1})
    with pytest.raises(MethodologyError):
        whatif(wide, {"d1": 0, "d2": 0})
    with pytest.raises(MethodologyError):
        whatif(wide, {"d1": 1}, aggregation="median")
    with pytest.raises(MethodologyError, match="zero"):
        whatif(wide, {"d1": 1, "d2": 1}, aggregation="geometric")


def test_need_support_gap():
    assert need_support_gap(80, 30) == 50.0
    assert need_support_gap(None, 30) is None
    s = need_support_gap(pd.Series([90.0, 10.0, np.nan]), pd.Series([40.0, 60.0, 5.0]))
    assert s.iloc[0] == 50 and s.iloc[1] == -50 and np.isnan(s.iloc[2])
