"""``load_file``: read, validate, write one file in one transaction, and log it."""
from __future__ import annotations

import getpass
import hashlib
import os
import sys
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from loaders.errors import LoadError, LoadRefused, LoadReport
from loaders.parsing import read_input, read_table
from loaders.registry import get_spec
from loaders.store import upsert
from loaders.validation import validate

PROGRESS_MIN_ROWS = 5000
MESSAGE_MAX = 20000


def current_user(user: str | None = None) -> str:
    if user:
        return user
    try:
        return os.environ.get("USER") or getpass.getuser()
    except Exception:  # no login name (e.g. in a container)
        return "unknown"


def _progress_bar(enabled: bool, rows: int, columns: int, desc: str):
    """A tqdm bar on stderr for long loads in a terminal: one unit per row and column checked, plus one
    pass for the cross checks and one for the write."""
    if not (enabled and rows > PROGRESS_MIN_ROWS and sys.stderr.isatty()):
        return None
    from tqdm import tqdm
    return tqdm(total=rows * (columns + 2), desc=desc, unit="cells", unit_scale=True, file=sys.stderr,
                leave=False)


def rescore(engine) -> str | None:
    """Recompute the stored scores after a load. Returns None when done, otherwise why not: the data
    has landed by then, so a failing score run is reported as a warning, not as a refused file."""
    from hub.scoring.store import rescore as _rescore
    try:
        _rescore(engine)
    except Exception as exc:
        return f"the data landed but scores were not recomputed: {type(exc).__name__}: {exc}"
    return None


def _log(engine, dataset: str, file_name: str, sha: str, user: str, outcome: str, message: str | None,
         inserted: int = 0, updated: int = 0, conn=None) -> None:
    from hub.models import LoadLog
    row = dict(dataset=dataset, file_name=file_name, sha256=sha, rows_inserted=inserted, rows_updated=updated,
               loaded_by=user, outcome=outcome, message=(message or "")[:MESSAGE_MAX] or None)
    if conn is not None:
        conn.execute(LoadLog.__table__.insert(), row)
    else:
        with engine.begin() as c:
            c.execute(LoadLog.__table__.insert(), row)


def load_file(dataset: str, path_or_bytes: Any, *, file_name: str | None = None, engine=None,
              user: str | None = None, sheet: str | None = None, rescore_after: bool = True,
              progress: bool = False) -> LoadReport:
    """Load one file into ``dataset``: all of it, or (raising ``LoadRefused``) nothing.

    ``path_or_bytes``: a path, bytes, or a file-like upload (Streamlit's UploadedFile works).
    Every attempt writes a ``load_log`` row and an audit line. After a successful load of a
    dataset the scores depend on, ``hub.scoring.store.rescore(engine)`` runs (unless
    ``rescore_after=False``, as the demo builder does before rescoring once).
    """
    from hub.access import audit
    from hub.db import get_engine

    spec = get_spec(dataset)
    engine = engine or get_engine()
    who = current_user(user)
    data, name = read_input(path_or_bytes, file_name)
    sha = hashlib.sha256(data).hexdigest()
    try:
        table = read_table(data, name, sheet)
        bar = _progress_bar(progress, len(table.rows), len(set(table.header) & set(spec.column_names)), name)
        with engine.begin() as conn:
            try:
                rows, found = validate(spec, table, conn, bar.update if bar else None)
                if found.errors:
                    raise LoadRefused(found.errors, dataset, name)
                records = [rec for _, rec in rows]
                inserted, updated, unchanged = upsert(conn, spec, records)
                if bar:
                    bar.update(len(records))
            finally:
                if bar:
                    bar.close()
            report = LoadReport(dataset, name, len(records), inserted, updated, unchanged, found.warnings, sha)
            if not records:
                report.warnings.append(LoadError(name, None, None, "the file has no data rows"))
            _log(engine, dataset, name, sha, who, "ok", str(report), inserted, updated, conn=conn)
    except SQLAlchemyError as exc:  # a constraint the checks did not foresee: still all or nothing
        refusal = LoadRefused([LoadError(name, None, None, "the store refused the rows (nothing was written): "
                                         f"{type(exc).__name__}: {getattr(exc, 'orig', None) or exc}")],
                              dataset, name)
        _log(engine, dataset, name, sha, who, "refused", str(refusal))
        audit(who, "load", target=dataset, detail=name, engine=engine)
        raise refusal from exc
    except LoadRefused as exc:
        exc.dataset, exc.file = dataset, name
        _log(engine, dataset, name, sha, who, "refused", str(exc))
        audit(who, "load", target=dataset, detail=name, engine=engine)
        raise
    audit(who, "load", target=dataset, detail=name, engine=engine)
    if rescore_after and spec.rescore and (inserted or updated):
        why = rescore(engine)
        if why:
            report.warnings.append(LoadError(name, None, None, why))
    return report
