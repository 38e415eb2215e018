"""actors: organisations cities can turn to, what they work on, where, and what they offer."""
from __future__ import annotations

from hub.models import ACTOR_KINDS, ACTOR_OFFERS, COUNTRIES, Actor
from loaders.datasets.knowledge import link_problem, normalise_list, per_language, require_one_language
from loaders.spec import CODE, Column, DatasetSpec


def check(ctx) -> None:
    require_one_language(ctx, "name")
    normalise_list(ctx, "themes", slug=True, unknown_themes=True, required=True)
    normalise_list(ctx, "economies", lower=False,
                   item_check=lambda c: None if c.upper() in COUNTRIES else
                   f"{c!r} is not an economy code; use one or more of: {', '.join(COUNTRIES)} (separated by ';')")
    if "economies" in ctx.present:
        for _, rec in ctx.rows:
            if rec.get("economies"):
                rec["economies"] = rec["economies"].upper()
    normalise_list(ctx, "offers", allowed=ACTOR_OFFERS)
    if "website" in ctx.present:
        for rownum, rec in ctx.rows:
            if rec.get("website") and (problem := link_problem(rec["website"])):
                ctx.error(rownum, "website", problem)


SPEC = DatasetSpec(
    name="actors",
    model=Actor,
    key=("actor_id",),
    description="Organisations cities can turn to: kind, economies, themes, and what they offer.",
    columns=(
        Column("actor_id", "text", True, "the organisation's reference", "OSCE-SKOPJE", pattern=CODE),
        *per_language("name", "name", {"en": "OSCE Mission to Skopje", "mk": "Мисија на ОБСЕ во Скопје"}),
        Column("kind", "text", True, "what kind of organisation", "international", choices=ACTOR_KINDS),
        Column("economies", "text", False, "economies it works in, as country codes separated by ';' "
               f"({', '.join(COUNTRIES)}); empty = the whole region", "MK"),
        Column("themes", "text", True, "the hub's themes it works on, separated by ';'",
               "national_local_cooperation;multi_stakeholder_prevention"),
        Column("offers", "text", False, "what it offers, separated by ';' (" + ", ".join(ACTOR_OFFERS) + ")",
               "training;referral"),
        Column("contact", "text", False, "whom to contact", "Programme officer, prevention unit"),
        Column("website", "text", False, "web address (kept as text, never fetched)", "https://www.osce.org"),
        Column("public", "bool", False, "mayors and donors see it (true/false; optional column, default "
               "true); false = hub staff only", "true", default=True, optional_header=True),
    ),
    check=check,
)
