"""The Help Desk's knowledge: good practices and actors, searched and filtered.

Scope (``hub.queries.scope.public``): hub staff see every entry; mayors and donors see the public
ones (``public = true``); anyone else none.
Practices and actors carry no scores, so nothing here is sensitive beyond that flag.

Search works in any of the four languages: the text searched is every language's title and
summary (or name), the city's names in both scripts, the contact, the tags and the themes' names
in all four languages, folded with ``hub.i18n.fold`` (script, case and diacritics ignored), so
"cair" finds Čair and Чаир. Every word of the search must occur.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
from sqlalchemy import select

from hub.access import Viewer
from hub.i18n import LANGUAGES, fold, pick_text, place_name, t
from hub.models import Actor, Municipality, Practice
from hub.queries import scope
from hub.queries.base import as_list, read

P = Practice.__table__
A = Actor.__table__
M = Municipality.__table__

PRACTICE_COLUMNS = ("practice_id", "title", "summary", "municipality_code", "city", "country", "themes",
                    "year_started", "stage", "contact_organisation", "links", "tags", "public")
ACTOR_COLUMNS = ("actor_id", "name", "kind", "economies", "themes", "offers", "contact", "website", "public")


def split(value) -> list[str]:
    """The items of a stored ``a;b;c`` cell."""
    return [x for x in str(value).split(";") if x] if isinstance(value, str) and value else []


@lru_cache(maxsize=256)
def _theme_words(theme: str) -> str:
    """A theme as searchable text: its code and its name in all four languages."""
    names = [t(f"city.theme.{theme}", lang) for lang in LANGUAGES]
    return " ".join([theme.replace("_", " "), *(n for n in names if n != f"city.theme.{theme}")])


_NON_WORD = re.compile(r"[^\w]+")


def searchable(parts) -> str:
    """Folded words of ``parts`` (None and NaN skipped), one space before each word."""
    text = " ".join(fold(str(p)) for p in parts if p is not None and p == p)
    return " " + " ".join(_NON_WORD.sub(" ", text).split())


def matches(haystack: str, search: str | None) -> bool:
    """Every folded word of ``search`` starts a word of ``haystack`` (made by ``searchable``)."""
    words = _NON_WORD.sub(" ", fold(search)).split()
    return all(" " + w in haystack for w in words)


def _found(df: pd.DataFrame, search: str | None, haystack) -> pd.Series | bool:
    """Rows whose haystack (``haystack(row)``) holds every word of ``search``; all rows without one."""
    if not (search and search.strip()):
        return True
    return pd.Series([matches(haystack(r), search) for r in df.itertuples(index=False)], index=df.index)


def _any_in(cells, wanted: list[str] | None) -> list[bool]:
    if not wanted:
        return [True] * len(cells)
    w = set(wanted)
    return [bool(w & set(split(c))) for c in cells]


# --- practices ------------------------------------------------------------------------------
def _practice_rows(viewer: Viewer, engine) -> pd.DataFrame:
    stmt = (select(P, M.c.name.label("city_name"), M.c.name_local.label("city_local"), M.c.country)
            .select_from(P.outerjoin(M, M.c.code == P.c.municipality_code))
            .where(scope.public(viewer, P.c.public)))
    return read(stmt.order_by(P.c.practice_id), engine)


def practices(viewer: Viewer, *, search: str | None = None, themes=None, countries=None, stages=None,
              lang: str = "en", engine=None) -> pd.DataFrame:
    """The practices this viewer may see that match the search and filters: title and summary in
    ``lang`` (with fallback), the city's display name, themes/tags/links as ``a;b`` text."""
    df = _practice_rows(viewer, engine)
    if df.empty:
        return pd.DataFrame(columns=list(PRACTICE_COLUMNS))
    keep = pd.Series(_any_in(df["themes"], as_list(themes)), index=df.index)
    if (v := as_list(countries)):
        keep &= df["country"].isin(v)
    if (v := as_list(stages)):
        keep &= df["stage"].isin(v)
    keep &= _found(df, search, _practice_haystack)
    df = df[keep]
    out = pd.DataFrame({
        "practice_id": df["practice_id"],
        "title": [pick_text({lg: getattr(r, f"title_{lg}") for lg in LANGUAGES}, lang)
                  for r in df.itertuples(index=False)],
        "summary": [pick_text({lg: getattr(r, f"summary_{lg}") for lg in LANGUAGES}, lang)
                    for r in df.itertuples(index=False)],
        "municipality_code": df["municipality_code"],
        "city": [place_name(n, nl, lang, c) if isinstance(n, str) else None
                 for n, nl, c in zip(df["city_name"], df["city_local"], df["country"])],
        "country": df["country"],
        "themes": df["themes"], "year_started": df["year_started"], "stage": df["stage"],
        "contact_organisation": df["contact_organisation"], "links": df["links"], "tags": df["tags"],
        "public": df["public"].astype(bool),
    })
    return out.reset_index(drop=True)


def _practice_haystack(r) -> str:
    parts = [getattr(r, f"{f}_{lg}") for f in ("title", "summary") for lg in LANGUAGES]
    parts += [r.city_name, r.city_local, r.contact_organisation, " ".join(split(r.tags)),
              r.practice_id, r.year_started]
    parts += [_theme_words(x) for x in split(r.themes)]
    return searchable(parts)


# --- actors ---------------------------------------------------------------------------------
def actors(viewer: Viewer, *, search: str | None = None, themes=None, countries=None, kinds=None, offers=None,
           lang: str = "en", engine=None) -> pd.DataFrame:
    """The actors this viewer may see that match: name in ``lang`` (with fallback); an actor with no
    economies works across the region and matches every economy filter."""
    df = read(select(A).where(scope.public(viewer, A.c.public)).order_by(A.c.kind, A.c.actor_id), engine)
    if df.empty:
        return pd.DataFrame(columns=list(ACTOR_COLUMNS))
    keep = pd.Series(_any_in(df["themes"], as_list(themes)), index=df.index)
    if (v := as_list(countries)):
        keep &= pd.Series([not split(e) or bool(set(v) & set(split(e))) for e in df["economies"]], index=df.index)
    if (v := as_list(kinds)):
        keep &= df["kind"].isin(v)
    if (v := as_list(offers)):
        keep &= pd.Series(_any_in(df["offers"], v), index=df.index)
    keep &= _found(df, search, _actor_haystack)
    df = df[keep]
    out = pd.DataFrame({
        "actor_id": df["actor_id"],
        "name": [pick_text({lg: getattr(r, f"name_{lg}") for lg in LANGUAGES}, lang) for r in df.itertuples(index=False)],
        "kind": df["kind"], "economies": df["economies"], "themes": df["themes"], "offers": df["offers"],
        "contact": df["contact"], "website": df["website"], "public": df["public"].astype(bool),
    })
    return out.reset_index(drop=True)


def _actor_haystack(r) -> str:
    parts = [getattr(r, f"name_{lg}") for lg in LANGUAGES]
    parts += [r.contact, r.actor_id, r.kind, " ".join(split(r.offers))]
    parts += [_theme_words(x) for x in split(r.themes)]
    return searchable(parts)


def filter_options(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """Values the filters offer, from the entries this viewer may see: ``kind`` (theme, country, stage,
    actor_kind, offer), ``value``."""
    p = read(select(P.c.themes, P.c.stage, M.c.country).select_from(P.outerjoin(M, M.c.code == P.c.municipality_code))
             .where(scope.public(viewer, P.c.public)), engine)
    a = read(select(A.c.themes, A.c.kind, A.c.economies, A.c.offers).where(scope.public(viewer, A.c.public)), engine)
    found: dict[str, set] = {
        "theme": {x for c in [*p["themes"], *a["themes"]] for x in split(c)},
        "country": set(p["country"].dropna()) | {x for c in a["economies"] for x in split(c)},
        "stage": set(p["stage"].dropna()),
        "actor_kind": set(a["kind"].dropna()),
        "offer": {x for c in a["offers"] for x in split(c)},
    }
    rows = [{"kind": k, "value": v} for k, vals in found.items() for v in sorted(vals)]
    return pd.DataFrame(rows, columns=["kind", "value"])
