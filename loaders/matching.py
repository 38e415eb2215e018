"""Matching a municipality named in a file to a member of the store: by code, else by name folded
across scripts and diacritics (Čair = Cair = Чаир), trying each side of "A/B" and the name without
"(...)". One home for the boundary loader and the assessment loader."""
from __future__ import annotations

import re
from typing import Iterable

from hub.i18n import fold


def name_variants(name: str | None) -> list[str]:
    """Folded forms of a name: the whole, without "(...)", and each side of "A/B"."""
    if not name:
        return []
    out = [fold(name)]
    bare = re.sub(r"\s*\([^)]*\)", "", str(name)).strip()
    out.append(fold(bare))
    for part in re.split(r"\s*/\s*", bare):
        out.append(fold(part))
    return [v for v in dict.fromkeys(out) if v]


class MunicipalityIndex:
    """Codes and folded names of municipalities, from ``(code, name, name_local, ...)`` rows.

    ``match(code, name)`` gives ``(code, how)`` with ``how`` = ``code`` or ``name``, or ``(None, None)``.
    With ``unique=True`` a name shared by several municipalities matches none of them (``ambiguous``
    lists them): never a guess.
    """

    def __init__(self, rows: Iterable[tuple]):
        self.by_code: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        for code, *names in rows:
            self.by_code[str(code).strip().upper()] = code
            for n in names:
                for v in name_variants(n):
                    codes = self.by_name.setdefault(v, [])
                    if code not in codes:
                        codes.append(code)

    def ambiguous(self, name: str | None) -> list[str]:
        hits: list[str] = []
        for v in name_variants(name):
            for c in self.by_name.get(v, ()):
                if c not in hits:
                    hits.append(c)
        return hits if len(hits) > 1 else []

    def match(self, code: str | None, name: str | None = None, *, unique: bool = True) -> tuple[str | None, str | None]:
        if code is not None and str(code).strip():
            hit = self.by_code.get(str(code).strip().upper())
            if hit:
                return hit, "code"
        for v in name_variants(name):
            codes = self.by_name.get(v)
            if codes:
                if unique and self.ambiguous(name):
                    return None, None
                return codes[0], "name"
        return None, None
