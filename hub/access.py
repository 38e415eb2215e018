"""Who is looking: the viewer, what each role may open, and the rules the query layer applies.

Users, password hashing, lockout and the audit log live here too (filled in by the
sign-in work); the query layer imports only ``Viewer`` and the scope helpers.
"""
from __future__ import annotations

from dataclasses import dataclass

# Page ids, in menu order. Each page script guards itself with ``ui.require_viewer(page_id)``.
PAGES = ("overview", "needs", "city", "youth", "fund", "helpdesk", "events", "methodology", "data")

PAGES_BY_ROLE: dict[str, tuple[str, ...]] = {
    "hub": PAGES,
    "donor": ("overview", "fund", "youth", "events", "methodology"),
    "mayor": ("city", "methodology"),
}

# Donors see sensitive indicators only as economy aggregates over at least this many cities.
MIN_GROUP_SIZE = 3


@dataclass(frozen=True)
class Viewer:
    username: str
    role: str                      # hub | donor | mayor
    municipality_code: str | None = None
    language: str = "en"
    display_name: str = ""

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


def pages_for(viewer: Viewer | None) -> tuple[str, ...]:
    return PAGES_BY_ROLE.get(viewer.role, ()) if viewer else ()


# --- the store side -----------------------------------------------------------
def load_viewer(username: str, engine=None) -> Viewer | None:
    """The viewer for a user row, or None when the user does not exist."""
    from hub.db import get_engine
    from hub.models import User
    from sqlmodel import Session

    with Session(engine or get_engine()) as s:
        u = s.get(User, username)
        if u is None:
            return None
        return Viewer(u.username, u.role, u.municipality_code, u.language or "en", u.display_name)


def audit(username: str | None, action: str, target: str | None = None, detail: str | None = None,
          engine=None) -> None:
    """Append one line to the audit log (sign-ins, refusals, downloads, loads)."""
    from hub.db import get_engine
    from hub.models import AuditLog
    from sqlmodel import Session

    with Session(engine or get_engine()) as s:
        s.add(AuditLog(username=username, action=action, target=target, detail=detail))
        s.commit()


# --- passwords (argon2id through argon2-cffi) ----------------------------------
def hash_password(password: str) -> str:
    from argon2 import PasswordHasher
    return PasswordHasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError
    if not password_hash:
        return False
    try:
        return PasswordHasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
