"""Generated files (PDF profile, CSV/xlsx downloads) kept in the store for the user who made them.

The app generates a download in the process that runs the user's page; the browser then
fetches ``/media/<file_id>.<ext>``, which a reverse proxy may send to any app process. So the
file is written here, keyed by Streamlit's file id *and* its owner, and ``hub.web`` serves it
only to a browser signed in as that owner (anyone else gets 404, as for a file that does not
exist). Rows older than ``KEEP`` are purged when new files arrive. No Streamlit import.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

KEEP = timedelta(hours=12)          # a page's download links stay valid this long
TOUCH_AFTER = timedelta(hours=1)    # a file made again (a page rerun) refreshes its age this often


@dataclass(frozen=True)
class StoredFile:
    file_id: str
    file_name: str | None
    mimetype: str
    downloadable: bool
    content: bytes


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def save(file_id: str, owner: str, content: bytes, mimetype: str, file_name: str | None = None, *,
         downloadable: bool = True, engine=None, now: datetime | None = None) -> None:
    """Keep a generated file for ``owner`` (idempotent: the same file again only refreshes its age)."""
    from sqlalchemy import delete, update
    from sqlalchemy.exc import IntegrityError
    from sqlmodel import Session

    from hub.db import get_engine
    from hub.models import GeneratedFile as G

    engine = engine or get_engine()
    now = now or _now()
    with Session(engine) as s:
        row = s.get(G, (file_id, owner))
        if row is None:
            s.add(G(file_id=file_id, owner=owner, file_name=file_name, mimetype=mimetype,
                    downloadable=downloadable, content=content, created_at=now))
            s.exec(delete(G).where(G.created_at < now - KEEP))
            try:
                s.commit()
            except IntegrityError:           # the same file saved by another process just now
                s.rollback()
        elif row.created_at < now - TOUCH_AFTER:
            s.exec(update(G).where(G.file_id == file_id, G.owner == owner).values(created_at=now))
            s.commit()


def fetch(file_id: str, owner: str | None, engine=None, *, now: datetime | None = None) -> StoredFile | None:
    """The file if ``owner`` made it and it has not expired; None otherwise."""
    from sqlmodel import Session

    from hub.db import get_engine
    from hub.models import GeneratedFile as G

    if not owner or not file_id:
        return None
    with Session(engine or get_engine()) as s:
        row = s.get(G, (file_id, owner))
        if row is None or row.created_at < (now or _now()) - KEEP:
            return None
        return StoredFile(row.file_id, row.file_name, row.mimetype, bool(row.downloadable), bytes(row.content))
