"""Plotly builders of the youth page, checked as Python objects."""
from __future__ import annotations

import pandas as pd

from hub.charts import youth as yc
from hub.i18n import t


def _lines(series: int) -> pd.DataFrame:
    return pd.DataFrame([{"series": f"s{i}", "period": p, "mean": 0.1 * i}
                         for i in range(series) for p in ("2024", "2025")])


def test_trend_names_the_indicator_in_its_title_not_on_the_y_axis():
    # on a phone the seven-line legend takes rows of the height and a wrapped y title ran into the title
    label = "Youth council in operation (share of cities, %)"
    fig = yc.trend(_lines(7), str, label, "sq", percent=True)
    assert fig.layout.title.text.replace("<br>", " ") == t("youth.chart.trend", "sq", indicator=label)
    assert not fig.layout.yaxis.title.text
    assert fig.layout.xaxis.title.text == t("youth.axis.period", "sq")
    assert list(fig.data[1].y) == [10.0, 10.0]          # shares shown as percentages


def test_trend_grows_with_its_legend():
    assert yc.trend(_lines(2), str, "x", "en").layout.height == 380
    assert yc.trend(_lines(7), str, "x", "en").layout.height == 460
