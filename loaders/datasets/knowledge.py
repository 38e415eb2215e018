"""Shared by the Help Desk's knowledge datasets (practices, actors): text in four languages, and
list cells (themes, tags, economies, offers, links) normalised to ``a;b;c``."""
from __future__ import annotations

import re

from hub.models import LANGUAGES, THEMES
from loaders.spec import Column

LIST_SPLIT = re.compile(r"\s*[;,|\n]\s*")
SLUG_ITEM = re.compile(r"[a-z0-9][a-z0-9_]*")
LANGUAGE_NAMES = {"en": "English", "sq": "Albanian", "bcms": "Bosnian/Croatian/Montenegrin/Serbian",
                  "mk": "Macedonian"}


def per_language(field: str, description: str, examples: dict[str, str]) -> tuple[Column, ...]:
    """``<field>_en``, ``<field>_sq``, ``<field>_bcms``, ``<field>_mk``: each optional; the app shows the
    viewer's language and falls back to English, then to any language given."""
    return tuple(Column(f"{field}_{lang}", "text", False,
                        f"{description} in {LANGUAGE_NAMES[lang]} (optional; shown in the other languages "
                        "when theirs is empty)", examples.get(lang, ""), optional_header=lang != "en")
                 for lang in LANGUAGES)


def split_list(value) -> list[str]:
    """Items of a list cell (separated by ``;``, ``,``, ``|`` or new lines), trimmed, duplicates dropped."""
    if value is None:
        return []
    items = [x for x in LIST_SPLIT.split(str(value).strip()) if x]
    return list(dict.fromkeys(items))


def normalise_list(ctx, column: str, *, lower: bool = True, allowed: tuple[str, ...] | None = None,
                   slug: bool = False, unknown_themes: bool = False, required: bool = False,
                   item_check=None) -> None:
    """Check every item of a list column and store the cell as ``a;b;c`` (so a reload of the same file
    compares equal and changes nothing). ``allowed`` refuses other items; ``unknown_themes`` accepts
    themes outside the hub's list with a warning; ``item_check(item) -> problem | None``."""
    if column not in ctx.present:
        return
    for rownum, rec in ctx.rows:
        items = split_list(rec.get(column))
        if lower:
            items = list(dict.fromkeys(x.lower() for x in items))
        if required and not items and rec.get(column) is not None:
            ctx.error(rownum, column, "the list is empty")
        for item in items:
            if allowed is not None and item not in allowed:
                ctx.error(rownum, column, f"{item!r} is not allowed; use one or more of: {', '.join(allowed)} "
                                          "(separated by ';')")
            elif slug and not SLUG_ITEM.fullmatch(item):
                ctx.error(rownum, column, f"{item!r} is not valid (lower-case letters, digits and underscores, "
                                          "several separated by ';', e.g. youth_engagement;social_cohesion)")
            elif unknown_themes and item not in THEMES:
                ctx.warn(rownum, column, f"{item!r} is not one of the hub's themes; accepted as a new theme")
            elif item_check is not None and (problem := item_check(item)):
                ctx.error(rownum, column, problem)
        rec[column] = ";".join(items) if items else None


def require_one_language(ctx, field: str) -> None:
    """At least one of ``<field>_<lang>`` must be given in every row (checked only when the file has
    all of the row's language columns it could fill)."""
    cols = [f"{field}_{lang}" for lang in LANGUAGES]
    present = [c for c in cols if c in ctx.present]
    if not present:
        ctx.error(1, cols[0], f"give the {field} in at least one language: columns {', '.join(cols)}")
        return
    for rownum, rec in ctx.rows:
        if not any(rec.get(c) for c in present):
            ctx.error(rownum, present[0], f"{field} missing: give it in at least one language "
                                          f"({', '.join(present)})")


URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def link_problem(item: str) -> str | None:
    """Links are kept as text and shown as links: only http(s) addresses."""
    if not URL.fullmatch(item):
        return f"{item!r} is not a web address; links must start with https:// or http://"
    return None
