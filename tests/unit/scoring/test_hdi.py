"""The engine reproduces the published UNDP HDI (HDR 2023/24, data year 2022)."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from hub.scoring import load_methodology, score_frame

HDI = Path(__file__).with_name("hdi.toml")
ROWS = pd.DataFrame({
    "country": ["Serbia", "North Macedonia"],
    "life_expectancy": [74.137, 73.888],
    "expected_schooling": [14.50444031, 13.00483036],
    "mean_schooling": [11.5047611, 10.22815037],
    "gni_per_capita": [19494.00891, 16395.75173],
})
PUBLISHED = {"Serbia": 0.805, "North Macedonia": 0.765}


def test_hdi_reproduced_to_three_decimals():
    t = score_frame(ROWS, load_methodology(HDI)).table().set_index("country")
    for country, hdi in PUBLISHED.items():
        assert round(t.loc[country, "score"], 3) == hdi


def test_hdi_dimension_indices_by_hand():
    t = score_frame(ROWS, load_methodology(HDI)).table().set_index("country")
    rs = t.loc["Serbia"]
    assert rs["health"] == pytest.approx((74.137 - 20) / 65)
    assert rs["education"] == pytest.approx((14.50444031 / 18 + 11.5047611 / 15) / 2)
    assert rs["income"] == pytest.approx(
        (math.log(19494.00891) - math.log(100)) / (math.log(75000) - math.log(100)))
    assert rs["score"] == pytest.approx((rs["health"] * rs["education"] * rs["income"]) ** (1 / 3))


def test_hdi_caps_income_and_schooling():
    rich = ROWS.iloc[[0]].assign(gni_per_capita=120000.0, expected_schooling=21.0)
    t = score_frame(rich, load_methodology(HDI)).table().iloc[0]
    assert t["income"] == pytest.approx(1.0)
    assert t["education"] == pytest.approx((1.0 + 11.5047611 / 15) / 2)
