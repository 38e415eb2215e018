"""What a city profile holds: the frames of ``hub.queries.city`` (and of the compare and recommend
queries) for one city and period, already scoped to the viewer. The city page shows them and
``hub.pdf`` lays them out as the one-page PDF; ``ui.city_profile`` reads them, through the cache, for
both. Kept apart from ``hub.pdf`` so that a page run does not import fpdf2 and matplotlib (~0.6 s)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd


@dataclass
class CityProfile:
    """Everything one page shows, as returned by the city queries."""
    header: pd.DataFrame
    period: str | None
    scores: pd.DataFrame
    trend: pd.DataFrame
    rank: pd.DataFrame
    drivers: pd.DataFrame
    priorities: pd.DataFrame
    fund: pd.DataFrame
    helpdesk: pd.DataFrame
    events: pd.DataFrame
    youth: pd.DataFrame = field(default_factory=pd.DataFrame)
    demo: bool = False
    # "How does my city compare" and recommendations (stream know, issue 16): a second page when given
    positions: pd.DataFrame = field(default_factory=pd.DataFrame)
    strengths: pd.DataFrame = field(default_factory=pd.DataFrame)
    dimension_trend: pd.DataFrame = field(default_factory=pd.DataFrame)
    recommendations: pd.DataFrame = field(default_factory=pd.DataFrame)
    footnotes: list[str] = field(default_factory=list)
    generated_on: date = field(default_factory=date.today)
    assessed_on: date | None = None        # the period's values came from a survey assessed that day
