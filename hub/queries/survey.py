"""Provenance of the assessment data: which values came from a survey submission, and when the city
was assessed (survey stream). ``city_assessment`` is city-level (viewer scope as the city profile);
``survey_freshness`` is region-wide counts, open to every role that sees the methodology page."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import text

from hub.access import Viewer
from hub.db import get_engine

CITY_COLUMNS = ["survey_values", "file_values", "assessed_on", "submissions"]
FRESH_COLUMNS = ["assessed_on", "submissions", "cities", "survey_values"]


def _read(engine, sql: str, **params) -> pd.DataFrame:
    with (engine or get_engine()).connect() as conn:
        return pd.read_sql(text(sql), conn, params=params)


def city_assessment(viewer: Viewer, *, city: str, period: str, engine=None) -> pd.DataFrame:
    """One row for the city and period: values from survey submissions and from files, the latest
    assessment date of those submissions and how many submissions they came from."""
    if not viewer.may_see_city(city):
        return pd.DataFrame(columns=CITY_COLUMNS)
    df = _read(engine, """
        SELECT SUM(CASE WHEN v.method = 'survey' THEN 1 ELSE 0 END) AS survey_values,
               SUM(CASE WHEN v.method = 'survey' THEN 0 ELSE 1 END) AS file_values,
               MAX(s.assessed_on) AS assessed_on,
               COUNT(DISTINCT s.uuid) AS submissions
        FROM indicator_values v
        LEFT JOIN assessment_submissions s ON s.uuid = v.submission_uuid AND v.method = 'survey'
        WHERE v.municipality_code = :c AND v.period = :p""", c=city, p=period)
    df["assessed_on"] = pd.to_datetime(df["assessed_on"], errors="coerce").dt.date
    return df[CITY_COLUMNS].fillna({"survey_values": 0, "file_values": 0})


def survey_freshness(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """One row: the latest assessment date of the submissions behind stored values, how many
    submissions and municipalities, and how many values came from surveys. No city is named."""
    df = _read(engine, """
        SELECT MAX(s.assessed_on) AS assessed_on, COUNT(DISTINCT s.uuid) AS submissions,
               COUNT(DISTINCT v.municipality_code) AS cities, COUNT(*) AS survey_values
        FROM indicator_values v JOIN assessment_submissions s ON s.uuid = v.submission_uuid
        WHERE v.method = 'survey'""")
    df["assessed_on"] = pd.to_datetime(df["assessed_on"], errors="coerce").dt.date
    return df[FRESH_COLUMNS]
