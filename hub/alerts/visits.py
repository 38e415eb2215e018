"""When a user last opened a page: the overview's "new since your last visit" markers."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from hub.db import get_engine
from hub.models import UserVisit, utcnow


def touch(username: str, page: str, *, engine=None, now: datetime | None = None) -> datetime | None:
    """Record a visit now and return the one before it (None on a first visit)."""
    now = now or utcnow()
    with Session(engine or get_engine()) as s:
        row = s.get(UserVisit, (username, page))
        if row is None:
            s.add(UserVisit(username=username, page=page, previous_visit=None, last_visit=now))
            s.commit()
            return None
        before = row.last_visit
        row.previous_visit, row.last_visit = before, now
        s.add(row)
        s.commit()
        return before
