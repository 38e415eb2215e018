"""Priority P = s^α · g^(1−α) against hand-computed values."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from hub.scoring.priority import priority_scores

from .helpers import method

IND = {"a": {"dimension": "d1", "polarity": "higher_is_worse"},
       "b": {"dimension": "d2", "polarity": "higher_is_worse"}}
DIMS = {"d1": {"weight": 1.0}, "d2": {"weight": 1.0}}


def m(alpha=0.5):
    return method(dimensions=DIMS, indicators=IND,
                  priority={"alpha": alpha, "themes": {"t1": "d1", "t2": "d2", "t3": "d1"}})


DIM_SCORES = pd.DataFrame({"d1": [64.0, 0.0], "d2": [25.0, 100.0]}, index=["A", "B"])
STATED = pd.DataFrame({"unit": ["A", "A", "B"], "theme": ["t1", "t2", "t1"], "rank": [1, 3, 1]})


def table(alpha=0.5):
    return priority_scores(DIM_SCORES, STATED, m(alpha)).set_index(["unit", "theme"])


def test_hand_computed_priorities():
    t = table()
    # T = 3 themes: rank 1 → s = 1, rank 3 → s = 1/3, not stated → 0
    assert t.loc[("A", "t1"), "stated"] == 1.0
    assert t.loc[("A", "t2"), "stated"] == pytest.approx(1 / 3)
    assert t.loc[("A", "t3"), "stated"] == 0.0
    assert t.loc[("A", "t1"), "need"] == pytest.approx(0.64)
    assert t.loc[("A", "t1"), "score"] == pytest.approx(80.0)
    assert t.loc[("A", "t2"), "score"] == pytest.approx(100 * math.sqrt(0.25 / 3))
    assert t.loc[("A", "t3"), "score"] == 0.0
    assert [t.loc[("A", th), "rank"] for th in ("t1", "t2", "t3")] == [1, 2, 3]


def test_non_compensatory():
    t = table()
    # B states t1 first but measures no need there; t2 measured at 100 but not stated
    assert t.loc[("B", "t1"), "score"] == 0.0
    assert t.loc[("B", "t2"), "score"] == 0.0


def test_alpha_extremes():
    assert table(alpha=1.0).loc[("A", "t2"), "score"] == pytest.approx(100 / 3)
    assert table(alpha=0.0).loc[("A", "t3"), "score"] == pytest.approx(64.0)


def test_stated_without_measured_need_has_no_score():
    stated = pd.concat([STATED, pd.DataFrame({"unit": ["Z"], "theme": ["t2"], "rank": [1]})])
    t = priority_scores(DIM_SCORES, stated, m()).set_index(["unit", "theme"])
    assert t.loc[("Z", "t2"), "stated"] == 1.0 and math.isnan(t.loc[("Z", "t2"), "score"])


def test_no_stated_priorities_at_all():
    t = priority_scores(DIM_SCORES, pd.DataFrame(columns=["unit", "theme", "rank"]), m())
    assert len(t) == 6 and (t["score"] == 0).all()
