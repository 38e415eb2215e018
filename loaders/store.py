"""Writing validated rows: bulk, idempotent upserts on the natural key (portable select-then-write).

New keys are inserted with one executemany; existing keys whose values differ are updated with one
executemany; identical rows are left alone, so reloading a file writes nothing and counts nothing
as updated. Only the columns present in the file are compared and updated: a column left out of
a file keeps its stored values.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, select

from loaders.spec import DatasetSpec

CHUNK = 500          # values per IN (...) query
WHOLE_ABOVE = 1000   # above this many distinct values, read the whole table once instead


def select_for(conn, stmt, column, values) -> list:
    """Rows of ``stmt`` whose ``column`` is one of ``values``: chunked IN queries for a few values,
    the whole statement at once for many (then the caller's dictionary lookups ignore the extras)."""
    vals = list(set(values))
    if not vals:
        return []
    if len(vals) > WHOLE_ABOVE:
        return conn.execute(stmt).all()
    out: list = []
    for i in range(0, len(vals), CHUNK):
        out.extend(conn.execute(stmt.where(column.in_(vals[i:i + CHUNK]))).all())
    return out


def _existing(conn, spec: DatasetSpec, cols: list[str], keys: list[tuple]) -> dict[tuple, tuple]:
    """Stored values of ``cols`` for the given keys, by key."""
    t = spec.table
    kcols = [t.c[k] for k in spec.key]
    nk = len(spec.key)
    sel = select(*kcols, *(t.c[c] for c in cols))
    wanted = set(keys)
    out: dict[tuple, tuple] = {}
    for r in select_for(conn, sel, kcols[0], (k[0] for k in keys)):
        k = tuple(r[:nk])
        if k in wanted:
            out[k] = tuple(r[nk:])
    return out


def _with_defaults(t, records: list[dict]) -> list[dict]:
    """Fill the table's scalar column defaults for columns the records leave out (e.g. users.demo_password),
    so the statement can be compiled once for all rows."""
    extra = {c.name: c.default.arg for c in t.columns
             if c.name not in records[0] and c.default is not None and c.default.is_scalar}
    return [{**extra, **r} for r in records] if extra else records


def executemany(conn, stmt, params: list[dict]) -> None:
    """Run ``stmt`` once per parameter set, fast: compiled once by SQLAlchemy for the connection's
    dialect, values passed through each column type's own bind processor, then one DBAPI executemany.
    Falls back to plain ``conn.execute`` when the compiled statement needs anything else (e.g. a
    callable column default)."""
    dialect = conn.dialect
    compiled = stmt.compile(dialect=dialect, column_keys=list(params[0]))
    names = list(compiled.positiontup) if compiled.positional else list(compiled.binds)
    if any(n not in params[0] for n in names):
        conn.execute(stmt, params)
        return
    procs = [(n, compiled.binds[n].type.dialect_impl(dialect).bind_processor(dialect)) for n in names]
    # Column by column: each value through its type's processor (e.g. dates on SQLite), then back to rows.
    columns = []
    for n, p in procs:
        values = [r[n] for r in params]
        if p is not None:
            values = [None if v is None else p(v) for v in values]
        columns.append(values)
    if compiled.positional:
        rows: list = list(zip(*columns))
    else:
        rows = [dict(zip(names, vals)) for vals in zip(*columns)]
    conn.exec_driver_sql(compiled.string, rows)


def upsert(conn, spec: DatasetSpec, records: list[dict[str, Any]],
           written: list | None = None) -> tuple[int, int, int]:
    """Insert new keys, update changed rows. Returns (inserted, updated, unchanged); the records
    inserted or updated are appended to ``written`` when given."""
    if not records:
        return 0, 0, 0
    t = spec.table
    present = [c for c in spec.column_names if c in records[0]]
    values = [c for c in present if c not in spec.key]
    keyf = spec.key
    keys = [tuple(r[k] for k in keyf) for r in records]
    stored = _existing(conn, spec, values, keys)
    absent_defaults = {c.name: c.default for c in spec.columns if c.name not in records[0]}
    new, changed = [], []
    for k, rec in zip(keys, records):
        old = stored.get(k)
        if old is None:
            new.append({**absent_defaults, **rec} if absent_defaults else rec)
        elif any(o != rec[c] for o, c in zip(old, values)):
            changed.append(rec)
    if written is not None:
        written.extend(new)
        written.extend(changed)
    if new:
        executemany(conn, t.insert(), _with_defaults(t, new))
    if changed and values:
        stmt = (t.update()
                .where(and_(*(t.c[k] == bindparam(f"k_{k}") for k in keyf)))
                .values({c: bindparam(f"v_{c}") for c in values}))
        executemany(conn, stmt, [{**{f"k_{k}": r[k] for k in keyf}, **{f"v_{c}": r[c] for c in values}}
                                 for r in changed])
    return len(new), len(changed), len(records) - len(new) - len(changed)

