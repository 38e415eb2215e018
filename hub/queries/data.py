"""The Data page's reads of the store: the load log and the audit log (the datasets the loaders
accept come from ``loaders.uploads.datasets``: hub code never imports the loaders).

Scope: hub management only; any other viewer gets empty frames (the page is not in their
navigation either).
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from hub.access import Viewer
from hub.models import AuditLog, LoadLog
from hub.queries.base import read

L = LoadLog.__table__
AU = AuditLog.__table__

LOAD_COLUMNS = ["loaded_at", "dataset", "file_name", "outcome", "rows_inserted", "rows_updated", "loaded_by",
                "message", "sha256"]
AUDIT_COLUMNS = ["at", "username", "action", "target", "detail"]


def load_log(viewer: Viewer, *, engine=None, dataset: str | None = None, limit: int = 500) -> pd.DataFrame:
    """The latest loads, newest first (outcome ``ok`` or ``refused``, with the loader's message)."""
    if not viewer.is_hub:
        return pd.DataFrame(columns=LOAD_COLUMNS)
    stmt = select(*[L.c[c] for c in LOAD_COLUMNS])
    if dataset:
        stmt = stmt.where(L.c.dataset == dataset)
    return read(stmt.order_by(L.c.loaded_at.desc(), L.c.id.desc()).limit(int(limit)), engine)


def audit_actions(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """Distinct audit actions (for the filter): column ``action``."""
    if not viewer.is_hub:
        return pd.DataFrame(columns=["action"])
    return read(select(AU.c.action).distinct().order_by(AU.c.action), engine)


def audit_log(viewer: Viewer, *, engine=None, action: str | None = None, username: str | None = None,
              limit: int = 500) -> pd.DataFrame:
    """The latest audit lines (sign-ins, refusals, downloads, loads), newest first."""
    if not viewer.is_hub:
        return pd.DataFrame(columns=AUDIT_COLUMNS)
    stmt = select(*[AU.c[c] for c in AUDIT_COLUMNS])
    if action:
        stmt = stmt.where(AU.c.action == action)
    if username:
        stmt = stmt.where(AU.c.username == username)
    return read(stmt.order_by(AU.c.at.desc(), AU.c.id.desc()).limit(int(limit)), engine)
