"""Provenance of the assessment data: which values came from a survey submission, and when the city
was assessed (survey stream). ``city_assessment`` is city-level (viewer scope as the city profile);
``survey_freshness`` is region-wide counts, open to every role that sees the methodology page."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, case, distinct, func, select

from hub.access import Viewer
from hub.models import AssessmentSubmission, IndicatorValue
from hub.queries import scope
from hub.queries.base import read

CITY_COLUMNS = ["survey_values", "file_values", "assessed_on", "submissions"]
FRESH_COLUMNS = ["assessed_on", "submissions", "cities", "survey_values"]
IV = IndicatorValue.__table__
S = AssessmentSubmission.__table__
SURVEY = IV.c.method == "survey"


def city_assessment(viewer: Viewer, *, city: str, period: str, engine=None) -> pd.DataFrame:
    """One row for the city and period: values from survey submissions and from files, the latest
    assessment date of those submissions and how many submissions they came from."""
    if not scope.city(viewer, city):
        return pd.DataFrame(columns=CITY_COLUMNS)
    df = read(select(func.sum(case((SURVEY, 1), else_=0)).label("survey_values"),
                     func.sum(case((SURVEY, 0), else_=1)).label("file_values"),
                     func.max(S.c.assessed_on).label("assessed_on"),
                     func.count(distinct(S.c.uuid)).label("submissions"))
              .select_from(IV.outerjoin(S, and_(S.c.uuid == IV.c.submission_uuid, SURVEY)))
              .where(IV.c.municipality_code == city, IV.c.period == period), engine)
    df["assessed_on"] = pd.to_datetime(df["assessed_on"], errors="coerce").dt.date
    return df[CITY_COLUMNS].fillna({"survey_values": 0, "file_values": 0})


def survey_freshness(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """One row: the latest assessment date of the submissions behind stored values, how many
    submissions and municipalities, and how many values came from surveys. No city is named (and
    nothing counted for a viewer of unknown role)."""
    df = read(select(func.max(S.c.assessed_on).label("assessed_on"), func.count(distinct(S.c.uuid)).label("submissions"),
                     func.count(distinct(IV.c.municipality_code)).label("cities"),
                     func.count().label("survey_values"))
              .select_from(IV.join(S, S.c.uuid == IV.c.submission_uuid))
              .where(SURVEY, scope.anyone(viewer)), engine)
    df["assessed_on"] = pd.to_datetime(df["assessed_on"], errors="coerce").dt.date
    return df[FRESH_COLUMNS]
