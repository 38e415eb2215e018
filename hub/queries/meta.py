"""Facts about the store: demo flag, load log, freshness."""
from __future__ import annotations

from sqlmodel import Session

from hub.db import get_engine
from hub.models import Setting


def is_demo(engine=None) -> bool:
    with Session(engine or get_engine()) as s:
        row = s.get(Setting, "demo")
        return bool(row and row.value == "1")
