"""practices: good practices, policies, structures and models cities created (the Help Desk's knowledge)."""
from __future__ import annotations

from datetime import date

from hub.models import PRACTICE_STAGES, Practice
from loaders.datasets.common import municipality_code
from loaders.datasets.knowledge import link_problem, normalise_list, per_language, require_one_language
from loaders.spec import CODE, Column, DatasetSpec

FIRST_YEAR = 1990


def check(ctx) -> None:
    require_one_language(ctx, "title")
    normalise_list(ctx, "themes", slug=True, unknown_themes=True, required=True)
    normalise_list(ctx, "tags", lower=True)
    normalise_list(ctx, "links", lower=False, item_check=link_problem)
    this_year = date.today().year
    for rownum, rec in ctx.rows:
        y = rec.get("year_started")
        if y is not None and y > this_year:
            ctx.error(rownum, "year_started", f"{y} is in the future")
        if rec.get("stage") == "idea" and y is not None and y < this_year - 10:
            ctx.warn(rownum, "stage", f"still an idea although started in {y}?")


SPEC = DatasetSpec(
    name="practices",
    model=Practice,
    key=("practice_id",),
    description="Good practices and models cities created: what, where, since when, how far along, whom to ask.",
    columns=(
        Column("practice_id", "text", True, "the practice's reference", "PR-MK-CAT", pattern=CODE),
        municipality_code(False, "the city that runs it (as in municipalities.code); empty for a practice "
                                 "run across several cities"),
        *per_language("title", "title", {"en": "Community Action Team", "mk": "Тим за акција во заедницата"}),
        *per_language("summary", "what it is and what it achieved",
                      {"en": "Municipal staff, police, schools and social services meet monthly to ..."}),
        Column("themes", "text", True, "the hub's themes it addresses, separated by ';' "
               "(e.g. multi_stakeholder_prevention;youth_engagement)", "multi_stakeholder_prevention"),
        Column("year_started", "int", False, "year it started", "2019", minimum=FIRST_YEAR),
        Column("stage", "text", True, "how far along it is", "established", choices=PRACTICE_STAGES),
        Column("contact_organisation", "text", False, "whom to ask about it", "Municipality of Kumanovo"),
        Column("links", "text", False, "web addresses of documents, separated by ';' (kept as text, "
               "never fetched)", "https://example.org/cat-guide.pdf"),
        Column("tags", "text", False, "free keywords, separated by ';'", "referral;police;schools"),
        Column("public", "bool", False, "mayors and donors see it (true/false; optional column, default "
               "true); false = hub staff only", "true", default=True, optional_header=True),
    ),
    check=check,
    depends_on=("municipalities",),
)
