"""The city page's reads, in one place for the page (``pages/city.py``) and for ``ui.prefetch`` (a
mayor's first page, read while the browser loads the app): what the profile shows, read through the
cache under the very keys the page asks for. The PDF is built from the same frames."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from hub.access import Viewer
from hub.profile import CityProfile
from ui.cache import cached_query


def header(viewer: Viewer, city: str) -> pd.DataFrame:
    from hub.queries import city as q
    return cached_query(q.city_header, viewer, city=city)


def periods(viewer: Viewer, city: str) -> list[str]:
    """The city's assessment periods, oldest first (the page opens on the last)."""
    from hub.queries import city as q
    return cached_query(q.city_periods, viewer, city=city)["period"].tolist()


def read(viewer: Viewer, city: str, period: str | None, lang: str, head: pd.DataFrame) -> CityProfile:
    """The profile of ``city`` in ``period`` (None: a city without assessments) as ``viewer`` may see
    it, ``head`` being its ``header``: what the page shows above and in its tabs. The comparison and
    the recommendations, the heaviest reads (~1 s at 100x, against every city), are left empty: their
    tabs read them (``compare``, ``recommendations``) and so does the PDF (``complete``)."""
    from hub.queries import city as q
    from hub.queries import survey as survey_q

    def of_period(fn) -> pd.DataFrame:
        return cached_query(fn, viewer, city=city, period=period) if period else pd.DataFrame()

    assessed_on = None
    assessment = of_period(survey_q.city_assessment)   # survey stream: where this period's values came from
    if len(assessment) and assessment.iloc[0]["survey_values"] and pd.notna(assessment.iloc[0]["assessed_on"]):
        assessed_on = assessment.iloc[0]["assessed_on"]
    return CityProfile(
        header=head, period=period, scores=of_period(q.city_scores), trend=cached_query(q.city_trend, viewer, city=city),
        rank=of_period(q.city_rank), drivers=of_period(q.city_drivers), priorities=of_period(q.city_priorities),
        youth=cached_query(q.city_youth, viewer, city=city), fund=cached_query(q.city_fund, viewer, city=city),
        helpdesk=cached_query(q.city_helpdesk, viewer, city=city), events=cached_query(q.city_events, viewer, city=city),
        assessed_on=assessed_on)


def compare(viewer: Viewer, city: str, period: str | None, lang: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """"How does my city compare": (indicator positions, strengths and weaknesses, dimension trend)."""
    from hub.queries import compare as qc
    if not period:
        return pd.DataFrame(), pd.DataFrame(), cached_query(qc.dimension_trend, viewer, city=city)
    return (cached_query(qc.indicator_positions, viewer, city=city, period=period),
            cached_query(qc.city_strengths, viewer, city=city, period=period, lang=lang),
            cached_query(qc.dimension_trend, viewer, city=city))


def recommendations(viewer: Viewer, city: str, period: str | None, lang: str) -> pd.DataFrame:
    from hub.queries import recommend as qr
    return cached_query(qr.recommendations, viewer, city=city, period=period, lang=lang) if period else pd.DataFrame()


def complete(profile: CityProfile, viewer: Viewer, lang: str) -> CityProfile:
    """``profile`` with its comparison, recommendations and demo mark: what the PDF lays out."""
    from hub.queries.meta import is_demo
    city = profile.header.iloc[0]["code"]
    positions, strengths, dim_trend = compare(viewer, city, profile.period, lang)
    return replace(profile, positions=positions, strengths=strengths, dimension_trend=dim_trend,
                   recommendations=recommendations(viewer, city, profile.period, lang), demo=is_demo(viewer))


def prefetch(viewer: Viewer, lang: str) -> None:
    """What a mayor's first run of the city page reads: their city's picker entry, header and the
    profile of its latest period (not the comparison: its tab and the PDF read it when asked)."""
    from hub.queries import city as q
    city = viewer.municipality_code
    if not city:
        return
    cached_query(q.city_options, viewer)
    head = header(viewer, city)
    if head.empty:
        return
    known = periods(viewer, city)
    read(viewer, city, known[-1] if known else None, lang, head)
