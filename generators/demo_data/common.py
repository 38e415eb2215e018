"""What every part of the demo shares: the seed, periods, themes, domains and the demo's "today"."""
from __future__ import annotations

import random
from datetime import date, timedelta

SEED = 20230301
PERIODS = ("2023", "2024", "2025")
AS_OF = date(2025, 12, 31)           # the demo's "today": nothing is dated after it
THEMES = (
    "national_local_cooperation", "multi_stakeholder_prevention", "youth_engagement",
    "online_harms", "social_cohesion", "gender_and_inclusion",
)
THEME_DIMENSION = {
    "national_local_cooperation": "national_local_cooperation",
    "multi_stakeholder_prevention": "multi_stakeholder_prevention",
    "youth_engagement": "youth_engagement",
    "online_harms": "threat_landscape",
    "social_cohesion": "social_cohesion",
    "gender_and_inclusion": "social_cohesion",
}
DOMAINS = (
    "threat_landscape", "national_local_cooperation", "multi_stakeholder_prevention",
    "youth_engagement", "social_cohesion", "institutional_capacity",
)


def day(s: str) -> date:
    return date.fromisoformat(s)


def clip(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


def rand_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))
