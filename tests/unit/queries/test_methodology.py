"""Methodology queries: the file as tables, missing values, freshness, load history."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hub.access import Viewer
from hub.db import get_engine
from hub.queries import methodology as q
from hub.scoring import load_methodology
from tests.unit.queries.city_seed import CITIES, seed

VIEWERS = [Viewer("hub.admin", "hub"), Viewer("donor.demo", "donor"), Viewer("mayor.kumanovo", "mayor", "MK001")]
NOW = datetime(2026, 11, 1, 9, 0)      # the seed's load log is dated relative to this


@pytest.fixture(scope="module")
def engine(databases):
    return get_engine(seed(databases.empty("meth")))


def test_indicators_from_the_methodology_file(engine):
    method = load_methodology()
    df = q.method_indicators(VIEWERS[0], engine=engine)
    assert sorted(df["indicator"]) == sorted(method.indicators)
    assert df["effective_weight"].sum() == pytest.approx(1.0)
    assert set(df["polarity"]) <= {"higher_is_worse", "higher_is_better"}
    # The catalogue's sensitive flag comes along (the seed marks hate_incidents sensitive).
    assert df.set_index("indicator").loc["hate_incidents", "sensitive"]
    assert not df.set_index("indicator").loc["youth_council", "sensitive"]


def test_a_different_file_gives_a_different_page(tmp_path, engine):
    path = tmp_path / "m.toml"
    path.write_text("""
[index]
id = "tiny"
coverage_threshold = 0.5
[montecarlo]
draws = 10
[priority]
alpha = 0.25
[priority.themes]
youth_engagement = "youth"
[dimensions.youth]
weight = 3
[dimensions.threat]
weight = 1
[indicators.youth_council]
dimension = "youth"
polarity = "higher_is_better"
min = 0
max = 1
[indicators.hate_incidents]
dimension = "threat"
polarity = "higher_is_worse"
""")
    s = q.method_settings(VIEWERS[1], path=str(path)).iloc[0]
    assert (s["id"], s["coverage_threshold"], s["draws"], s["alpha"]) == ("tiny", 0.5, 10, 0.25)
    dims = q.method_dimensions(VIEWERS[1], path=str(path)).set_index("dimension")
    assert dims.loc["youth", "share"] == pytest.approx(0.75)
    inds = q.method_indicators(VIEWERS[1], engine=engine, path=str(path)).set_index("indicator")
    assert inds.loc["youth_council", "max"] == 1 and inds.loc["youth_council", "name"] == "Youth council in place"
    assert q.method_themes(VIEWERS[1], path=str(path)).values.tolist() == [["youth_engagement", "youth"]]


@pytest.mark.parametrize("viewer", VIEWERS, ids=lambda v: v.role)
def test_data_quality_counts_missing_values(engine, viewer):
    df = q.data_quality(viewer, engine=engine)
    assert set(df.columns) >= {"indicator", "period", "assessed", "observed", "missing"}
    assert "municipality_code" not in df.columns          # counts only, for every role
    by = df.set_index(["indicator", "period"])
    assert by.loc[("hate_incidents", "2024"), "missing"] == 1      # MK004 lacks it
    assert by.loc[("hate_incidents", "2025"), "missing"] == 0
    assert (by["assessed"] == len(CITIES)).all()
    assert df["missing"].sum() == 1


def test_freshness_against_expected_intervals(engine):
    df = q.freshness(VIEWERS[2], engine=engine, now=NOW).set_index("dataset")
    assert df.loc["municipalities", "status"] == "up_to_date"       # 30 days, yearly
    assert df.loc["indicator_values", "status"] == "due"            # 400 days: past 365, within grace
    assert df.loc["helpdesk_requests", "status"] == "due"           # 10 days: past 7, within 14
    assert df.loc["helpdesk_requests", "file_name"] == "helpdesk_requests.csv"   # the refused load is not "fresh"
    assert df.loc["fund_applications", "status"] == "never_loaded"
    later = q.freshness(VIEWERS[2], engine=engine, now=NOW + timedelta(days=30)).set_index("dataset")
    assert later.loc["helpdesk_requests", "status"] == "overdue"
    assert set(q.UPDATE_INTERVALS) <= set(df.index)


def test_load_history_hides_people_and_messages(engine):
    df = q.load_history(VIEWERS[1], engine=engine)
    assert len(df) == 4 and df["outcome"].tolist()[0] == "refused"
    assert "loaded_by" not in df.columns and "message" not in df.columns
