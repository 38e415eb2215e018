"""``load_file``: read, validate, write one file in one transaction, and log it."""
from __future__ import annotations

import getpass
import hashlib
import sys
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from hub.settings import settings
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
        return settings().login_user or getpass.getuser()
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


def rescore(engine, *, full: bool = False) -> str | None:
    """Bring the stored scores up to date: the periods loads marked stale (``full``: every
    period; see ``hub.scoring.store.rescore``). Returns None when done, otherwise why not: the
    data has landed by then, so a failing score run is reported as a warning, not as a refused
    file, and the stale marks stay for the next loader run, ``make run`` or the app to repair."""
    from hub.scoring.store import rescore as _rescore
    try:
        _rescore(engine) if full else _rescore(engine, stale_only=True)
    except Exception as exc:
        return (f"the data landed but scores were not recomputed ({type(exc).__name__}: {exc}); "
                "they are marked stale and the next load, `make run` or the app recomputes them")
    return None


def _log(conn, dataset: str, file_name: str, sha: str, user: str, outcome: str, message: str | None,
         inserted: int = 0, updated: int = 0) -> None:
    """The load log row and the audit line of one attempt, in the caller's transaction."""
    from hub.audit import audit
    from hub.models import LoadLog, utcnow
    conn.execute(LoadLog.__table__.insert(), dict(
        dataset=dataset, file_name=file_name, sha256=sha, rows_inserted=inserted, rows_updated=updated,
        loaded_by=user, outcome=outcome, message=(message or "")[:MESSAGE_MAX] or None, loaded_at=utcnow()))
    audit(user, "load", target=dataset, detail=file_name, conn=conn)


def _log_refusal(engine, dataset: str, file_name: str, sha: str, user: str, message: str) -> None:
    """A refused file writes nothing but its log and audit rows (one transaction, data version
    bumped so that the Data page of every process shows them)."""
    from hub import state
    with engine.begin() as conn:
        state.bump(conn)
        _log(conn, dataset, file_name, sha, user, "refused", message)


def stale_periods(spec, records: list[dict]):
    """The periods whose scores the written ``records`` change (``ALL`` for a dataset without
    periods, e.g. municipalities or indicators)."""
    from hub.state import ALL
    if "period" not in spec.column_names:
        return ALL
    return {str(r["period"]) for r in records}


def load_file(dataset: str, path_or_bytes: Any, *, file_name: str | None = None, engine=None,
              user: str | None = None, sheet: str | None = None, rescore_after: bool = True,
              progress: bool = False) -> LoadReport:
    """Load one file into ``dataset``: all of it, or (raising ``LoadRefused``) nothing.

    ``path_or_bytes``: a path, bytes, or a file-like upload (Streamlit's UploadedFile works).
    Every attempt writes a ``load_log`` row and an audit line, and bumps the data version
    (``hub.state``), in the transaction of the rows. A load that changes scoring inputs marks
    the periods it touched stale in that same transaction; then, unless ``rescore_after=False``
    (the demo builder rescores once at the end), every stale period is rescored, so a crash
    between a load and its rescore is repaired by the next load, even of an unchanged file.
    """
    from hub import state
    from hub.db import get_engine

    spec = get_spec(dataset)
    engine = engine or get_engine()
    who = current_user(user)
    data, name = read_input(path_or_bytes, file_name)
    sha = hashlib.sha256(data).hexdigest()
    try:
        table = read_table(data, name, sheet, columns=spec.column_names)
        bar = _progress_bar(progress, len(table.rows), len(set(table.header) & set(spec.column_names)), name)
        with engine.begin() as conn:
            try:
                rows, found = validate(spec, table, conn, bar.update if bar else None)
                if found.errors:
                    raise LoadRefused(found.errors, dataset, name)
                records = [rec for _, rec in rows]
                version = state.bump(conn)     # first write: orders concurrent writers
                written: list[dict] = []
                inserted, updated, unchanged = upsert(conn, spec, records, written=written)
                if spec.rescore and written:
                    state.mark_stale(conn, stale_periods(spec, written), version)
                if bar:
                    bar.update(len(records))
            finally:
                if bar:
                    bar.close()
            report = LoadReport(dataset, name, len(records), inserted, updated, unchanged, found.warnings, sha)
            if not records:
                report.warnings.append(LoadError(name, None, None, "the file has no data rows"))
            _log(conn, dataset, name, sha, who, "ok", str(report), inserted, updated)
    except SQLAlchemyError as exc:  # a constraint the checks did not foresee: still all or nothing
        refusal = LoadRefused([LoadError(name, None, None, "the store refused the rows (nothing was written): "
                                         f"{type(exc).__name__}: {getattr(exc, 'orig', None) or exc}")],
                              dataset, name)
        _log_refusal(engine, dataset, name, sha, who, str(refusal))
        raise refusal from exc
    except LoadRefused as exc:
        exc.dataset, exc.file = dataset, name
        _log_refusal(engine, dataset, name, sha, who, str(exc))
        raise
    if rescore_after:              # whatever this file changed, and any stale period left by a crash
        why = rescore(engine)
        if why:
            report.warnings.append(LoadError(name, None, None, why))
    return report
