"""Facts about the store: demo flag, load log, freshness."""
from __future__ import annotations

from sqlalchemy import select

from hub.models import Setting
from hub.queries.base import scalar

S = Setting.__table__


def is_demo(engine=None) -> bool:
    """Whether the store holds the demo data. Not viewer-scoped: a fact about the store that the
    sign-in page shows before anyone has signed in."""
    return scalar(select(S.c.value).where(S.c.key == "demo"), engine) == "1"
