"""Column declarations shared by several datasets."""
from __future__ import annotations

from hub.models import THEMES
from loaders.spec import CODE, SLUG, Column

PERIOD = (r"\d{4}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?", "a year such as 2023, or 2024-H1, 2024-Q3, 2024-05")


def municipality_code(required: bool = True, description: str = "") -> Column:
    return Column("municipality_code", "text", required, description or "code of the municipality "
                  "(as in municipalities.code)", "MK001", pattern=CODE, ref=("municipalities", "code"))


def application_id() -> Column:
    return Column("application_id", "text", True, "Technical Support Fund application "
                  "(as in fund_applications.application_id)", "TSF-2024-007", pattern=CODE,
                  ref=("fund_applications", "application_id"))


def period(description: str = "assessment period") -> Column:
    return Column("period", "text", True, description, "2024", pattern=PERIOD)


def theme() -> Column:
    return Column("theme", "text", True, "one of the hub's priority themes ("
                  + ", ".join(THEMES) + "); new themes are accepted with a warning",
                  "youth_engagement", pattern=SLUG)


def warn_unknown_themes(ctx) -> None:
    for rownum, rec in ctx.rows:
        t = rec.get("theme")
        if t and t not in THEMES:
            ctx.warn(rownum, "theme", f"{t!r} is not one of the hub's themes; accepted as a new theme")


def money(name: str, required: bool, description: str, example: str) -> Column:
    return Column(name, "number", required, description + " (EUR, not negative)", example, minimum=0)
