"""Help-desk queries on a small real SQLite store: figures recomputed independently, scope per role."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlmodel import Session

from hub.access import Viewer
from hub.db import get_engine
from hub.models import HelpdeskRequest, Municipality
from hub.queries import helpdesk
from hub.queries.dates import weighted_median

HUB = Viewer("h", "hub")
DONOR = Viewer("d", "donor")
MAYOR = Viewer("m", "mayor", "MK001")

ROWS = [  # id, city, opened, topic, channel, status, resolved
    ("R1", "MK001", date(2024, 1, 5), "referral", "email", "resolved", date(2024, 1, 15)),
    ("R2", "MK001", date(2024, 1, 20), "funding", "phone", "resolved", date(2024, 3, 1)),
    ("R3", "MK002", date(2024, 2, 3), "funding", "email", "open", None),
    ("R4", "BA001", date(2024, 2, 10), "training", "meeting", "in_progress", None),
    ("R5", "BA001", date(2025, 1, 2), "referral", "email", "resolved", date(2025, 1, 3)),
]


def seed(eng):
    with Session(eng) as s:
        s.add_all([Municipality(code="MK001", name="Kumanovo", country="MK"),
                   Municipality(code="MK002", name="Čair", country="MK"),
                   Municipality(code="BA001", name="Tuzla", country="BA")])
        s.commit()
        s.add_all([HelpdeskRequest(request_id=r[0], municipality_code=r[1], opened_on=r[2], topic=r[3],
                                   channel=r[4], status=r[5], resolved_on=r[6]) for r in ROWS])
        s.commit()
    return eng


@pytest.fixture
def engine(empty_url):
    return seed(get_engine(empty_url))


def test_weighted_median_equals_pandas_median():
    raw = pd.Series([3, 1, 4, 1, 5, 9, 2, 6])
    vc = raw.value_counts()
    assert weighted_median(pd.Series(vc.index), pd.Series(vc.values)) == raw.median()
    assert weighted_median(pd.Series([7]), pd.Series([3])) == 7
    assert weighted_median(pd.Series([], dtype=float), pd.Series([], dtype=float)) is None


def test_headline(engine):
    h = helpdesk.headline(HUB, engine=engine).iloc[0]
    assert (h["requests"], h["open"], h["resolved"]) == (5, 2, 3)
    assert h["median_days_to_resolve"] == pd.Series([10, 41, 1]).median()
    assert helpdesk.headline(HUB, engine=engine, years=[2025]).iloc[0]["median_days_to_resolve"] == 1


def test_counts_by_and_filters(engine):
    by_topic = helpdesk.counts_by(HUB, engine=engine, by="topic").set_index("group")
    assert by_topic["requests"].to_dict() == {"funding": 2, "referral": 2, "training": 1}
    assert by_topic.loc["referral", "median_days_to_resolve"] == pd.Series([10, 1]).median()
    assert pd.isna(by_topic.loc["training", "median_days_to_resolve"])
    by_country = helpdesk.counts_by(HUB, engine=engine, by="country", channels=["email"]).set_index("group")
    assert by_country["requests"].to_dict() == {"MK": 2, "BA": 1}
    for by in helpdesk.GROUPINGS:
        assert helpdesk.counts_by(HUB, engine=engine, by=by)["requests"].sum() == 5
    with pytest.raises(ValueError):
        helpdesk.counts_by(HUB, engine=engine, by="request_id")


def test_backlog_is_open_at_month_end(engine):
    b = helpdesk.backlog(HUB, engine=engine).set_index("month")
    assert b.loc["2024-01-01", "open_at_month_end"] == 1     # R2 still open at end of January
    assert b.loc["2024-02-01", "open_at_month_end"] == 3     # R2, R3, R4
    assert b.loc["2024-03-01", "open_at_month_end"] == 2     # R2 resolved in March
    assert b.loc["2025-01-01", "open_at_month_end"] == 2
    assert len(b) == 13                                       # every month from Jan 2024 to Jan 2025


def test_scope(engine):
    for kw in ({}, {"countries": ["BA"]}, {"topics": ["training"]}):
        assert helpdesk.headline(MAYOR, engine=engine, **kw).iloc[0]["requests"] <= 2
    assert helpdesk.headline(MAYOR, engine=engine).iloc[0]["requests"] == 2
    assert helpdesk.headline(MAYOR, engine=engine, countries=["BA"]).iloc[0]["requests"] == 0
    assert set(helpdesk.filter_options(MAYOR, engine=engine).query("kind=='country'")["value"]) == {"MK"}
    assert helpdesk.headline(DONOR, engine=engine).iloc[0]["requests"] == 0
    assert helpdesk.counts_by(DONOR, engine=engine).empty
    assert helpdesk.backlog(DONOR, engine=engine).empty


def test_filter_options_are_the_distinct_values_in_scope(engine):
    """One DISTINCT per column (issue 8) lists exactly what the requests in scope hold."""
    def expected(rows):
        country = {"MK001": "MK", "MK002": "MK", "BA001": "BA"}
        return {("country", v) for v in {country[r[1]] for r in rows}} | \
            {("topic", r[3]) for r in rows} | {("channel", r[4]) for r in rows} | \
            {("status", r[5]) for r in rows} | {("year", str(r[2].year)) for r in rows}

    for viewer, rows in ((HUB, ROWS), (MAYOR, [r for r in ROWS if r[1] == "MK001"]), (DONOR, [])):
        got = helpdesk.filter_options(viewer, engine=engine)
        assert set(zip(got["kind"], got["value"])) == expected(rows)
        assert not got.duplicated().any()
        for kind, values in got.groupby("kind", sort=False)["value"]:
            assert list(values) == sorted(values)
