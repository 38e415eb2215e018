"""Who is looking: the viewer, what each role may open, and the scope rules the query layer applies.

Pure rules, no store access: ``Viewer`` and its scope checks, the pages per role, the smallest
group a donor sees sensitive values over. Accounts (users, passwords, sign-in with throttling)
are in ``hub.accounts``, session and device tokens and the signing key in ``hub.tokens``, the
audit log in ``hub.audit``; the HTTP routes in ``hub.web``.
"""
from __future__ import annotations

from dataclasses import dataclass

from hub.donors import parse_group

# Page ids, in menu order. Each page script guards itself with ``ui.require_viewer(page_id)``.
PAGES = ("overview", "needs", "city", "youth", "fund", "helpdesk", "events", "methodology", "data")
PAGES += ("practices",)   # stream know (issue 16): practices and partners

PAGES_BY_ROLE: dict[str, tuple[str, ...]] = {
    "hub": PAGES,
    "donor": ("overview", "fund", "youth", "events", "methodology"),
    "mayor": ("city", "methodology"),
}
PAGES_BY_ROLE["donor"] += ("practices",)   # stream know (issue 16): public entries only
PAGES_BY_ROLE["mayor"] += ("practices",)

# Donors see sensitive indicators only as economy aggregates over at least this many cities.
MIN_GROUP_SIZE = 3


@dataclass(frozen=True)
class Viewer:
    username: str
    role: str                      # hub | donor | mayor
    municipality_code: str | None = None
    language: str = "en"
    display_name: str = ""
    donors: tuple[str, ...] = ()   # a donor account's donor(s) (hub.donors.parse_group); a tuple keeps it hashable

    @property
    def is_hub(self) -> bool:
        return self.role == "hub"

    @property
    def is_donor(self) -> bool:
        return self.role == "donor"

    @property
    def is_mayor(self) -> bool:
        return self.role == "mayor"

    def may_open(self, page: str) -> bool:
        return page in PAGES_BY_ROLE.get(self.role, ())

    def may_see_city(self, code: str | None) -> bool:
        """Whether this viewer may see one named city's scores and records."""
        if self.role == "hub":
            return True
        if self.role == "mayor":
            return code is not None and code == self.municipality_code
        return False  # donors: city-level fund data only, via the fund queries

    @property
    def sees_sensitive_city_values(self) -> bool:
        return self.role == "hub" or self.role == "mayor"


def viewer_of(user) -> Viewer:
    """The viewer for a ``hub.models.User`` row."""
    return Viewer(user.username, user.role, user.municipality_code, user.language or "en", user.display_name,
                  parse_group(getattr(user, "donor", None)) if user.role == "donor" else ())


def pages_for(viewer: Viewer | None) -> tuple[str, ...]:
    return PAGES_BY_ROLE.get(viewer.role, ()) if viewer else ()
