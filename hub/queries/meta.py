"""Facts about the store: demo flag, load log, freshness."""
from __future__ import annotations

from sqlalchemy import select

from hub.access import Viewer
from hub.models import Setting
from hub.queries.base import scalar

S = Setting.__table__


def is_demo(viewer: Viewer | None = None, *, engine=None) -> bool:
    """Whether the store holds the demo data. The same for every viewer, and for none: the sign-in
    page shows it before anyone has signed in."""
    return scalar(select(S.c.value).where(S.c.key == "demo"), engine) == "1"
