"""The audit log (table ``audit_log``): one row per sign-in, sign-out, refusal, download, password
change and load. ``hub.tokens`` reads the sign-outs back: a sign-out ends every session of that user
issued before it."""
from __future__ import annotations

from sqlmodel import Session

from hub.db import get_engine
from hub.models import AuditLog, utcnow


def audit(username: str | None, action: str, target: str | None = None, detail: str | None = None,
          engine=None, conn=None) -> None:
    """Append one line to the audit log (sign-ins, refusals, downloads, loads); inside the
    caller's transaction when ``conn`` is given (a load's line commits with its rows)."""
    if conn is not None:
        conn.execute(AuditLog.__table__.insert().values(at=utcnow(), username=username, action=action,
                                                       target=target, detail=detail))
        return
    with Session(engine or get_engine()) as s:
        s.add(AuditLog(username=username, action=action, target=target, detail=detail))
        s.commit()
