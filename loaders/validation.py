"""Validation of a parsed file against its dataset spec, before anything is written.

Checks, in order: the header (missing key/required columns refuse the file, extra columns are
ignored with a warning), every cell (type, required, allowed values, ranges, patterns, garbled
text), duplicates of the natural key inside the file, references to other tables in the store,
and finally the dataset's own cross-row / cross-table checks. Every problem found is collected;
the caller refuses the file if there is any.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from sqlalchemy import select

from loaders import parsing
from loaders.errors import LoadError
from loaders.parsing import Table
from loaders.spec import CheckContext, Column, DatasetSpec

REF_LABELS = {"municipalities": "municipality code", "indicators": "indicator code",
              "fund_applications": "fund application", "events": "event"}
MAX_ERRORS = 1000             # beyond this a file is hopeless; stop collecting so the report stays readable
DECIMAL_SAMPLE_ROWS = 20000   # rows looked at to tell a file's decimal mark


class _TooMany(Exception):
    pass


class Collector:
    """Errors and warnings of one file, as ``LoadError`` lines."""

    def __init__(self, file: str):
        self.file = file
        self.errors: list[LoadError] = []
        self.warnings: list[LoadError] = []

    def error(self, row: int | None, column: str | None, problem: str) -> None:
        self.errors.append(LoadError(self.file, row, column, problem))
        if len(self.errors) >= MAX_ERRORS:
            raise _TooMany

    def warn(self, row: int | None, column: str | None, problem: str) -> None:
        self.warnings.append(LoadError(self.file, row, column, problem))


def _cell_parser(col: Column, decimal_comma: bool | None):
    if col.type == "text":
        return parsing.parse_text
    if col.type == "int":
        return lambda v: parsing.parse_int(v, decimal_comma)
    if col.type == "number":
        return lambda v: parsing.parse_number(v, decimal_comma)
    if col.type == "date":
        return parsing.parse_date
    return parsing.parse_bool


def _cell_checker(c: Column, decimal_comma: bool | None):
    """A function of one raw cell giving ``(value, problem)``: value None for a blank cell,
    problem None when the cell is fine."""
    parse = _cell_parser(c, decimal_comma)
    if c.type == "number" and not decimal_comma:
        slow = parse

        def parse(raw: Any) -> float:  # plain "1234.5" straight through float(); the rest the long way
            if raw.__class__ is str and "_" not in raw:
                try:
                    f = float(raw)
                except ValueError:
                    return slow(raw)
                if f - f == 0:
                    return f
            return slow(raw)
    rx = re.compile(c.pattern[0]) if c.pattern else None
    choices = frozenset(c.choices) if c.choices else None
    lo, hi = c.minimum, c.maximum

    def check(raw: Any) -> tuple[Any, str | None]:
        if raw is None or (raw.__class__ is str and not raw.strip()):
            return None, None
        try:
            v = parse(raw)
        except ValueError as exc:
            return None, str(exc)
        if choices is not None and v not in choices:
            return v, f"{v!r} is not allowed; use one of: {', '.join(c.choices)}"
        if rx is not None and not rx.fullmatch(v):
            return v, f"{v!r} is not valid ({c.pattern[1]})"
        if lo is not None and v < lo:
            shown = str(raw).strip()
            return v, (f"{shown} is negative; it cannot be below zero" if lo == 0
                       else f"{shown} is below the minimum {lo:g}")
        if hi is not None and v > hi:
            return v, f"{str(raw).strip()} is above the maximum {hi:g}"
        return v, None

    return check


def _fmt_key(spec: DatasetSpec, rec: dict[str, Any]) -> str:
    return ", ".join(f"{k}={rec.get(k)}" for k in spec.key)


def existing_values(conn, table: str, column: str, values: Iterable[Any]) -> set:
    """Which of ``values`` exist in ``table.column`` of the store."""
    from sqlmodel import SQLModel

    from loaders.store import select_for
    c = SQLModel.metadata.tables[table].c[column]
    vals = set(values)
    return {r[0] for r in select_for(conn, select(c), c, vals)} & vals


def validate(spec: DatasetSpec, table: Table, conn, progress=None) -> tuple[list[tuple[int, dict]], Collector]:
    """Parse and check every row. Returns the typed rows ``(row number, {column: value})`` holding
    only the columns present in the file, and the collector with errors and warnings.
    ``progress``, if given, is called with a number of rows' worth of work done (a tqdm ``update``):
    each column counts one file length, the cross checks one more."""
    out = Collector(table.file)
    out.warnings.extend(table.warnings)
    try:
        rows = _validate(spec, table, conn, out, progress)
    except _TooMany:
        out.errors.append(LoadError(table.file, None, None,
                                    f"more than {MAX_ERRORS} problems; stopped checking"))
        rows = []
    order = {c: i for i, c in enumerate(spec.column_names)}
    by_place = lambda e: (e.row or 0, order.get(e.column, -1))  # noqa: E731  (file-wide first)
    out.errors.sort(key=by_place)
    out.warnings.sort(key=by_place)
    return rows, out


def _validate(spec: DatasetSpec, table: Table, conn, out: Collector, progress) -> list[tuple[int, dict]]:
    # --- header ---------------------------------------------------------------
    known = set(spec.column_names)
    seen: dict[str, int] = {}
    for i, h in enumerate(table.header):
        if not h:
            if any(i < len(cells) and not parsing.is_blank(cells[i]) for _, cells in table.rows):
                out.warn(1, None, f"column {i + 1} has no name; ignored")
            continue
        if h in seen:
            out.error(1, h, f"column {h!r} appears twice (columns {seen[h] + 1} and {i + 1})")
            continue
        seen[h] = i
        if h not in known:
            near = next((k for k in known if k.lower() == h.lower().replace(" ", "_")), None)
            hint = f" (did you mean {near!r}? column names are exact)" if near else ""
            out.warn(1, h, f"unknown column {h!r} ignored{hint}")
    missing = [c for c in spec.header_required if c not in seen]
    for c in missing:
        out.error(1, c, f"required column {c!r} is missing (columns needed: {', '.join(spec.header_required)})")
    if missing:
        return []
    for c in spec.columns:
        if c.name not in seen and not c.optional_header:
            out.warn(1, c.name, f"column {c.name!r} is absent; stored values are kept, new rows get "
                                f"{c.default if c.default is not None else 'empty'}")
    plan = [(seen[c.name], c) for c in spec.columns if c.name in seen]
    present = frozenset(c.name for _, c in plan)

    # --- rows longer than the header: usually an unquoted decimal comma in a comma-separated file ----
    width_h = len(table.header)
    for rownum, cells in (table.rows if table.delimiter else ()):  # CSV only: .xlsx cells cannot shift
        if len(cells) > width_h:  # even blank extras: the row's values may have moved one column right
            hint = (" (a decimal comma in a comma-separated file must be quoted, e.g. \"3,75\"; or save the "
                    "file with semicolons)" if table.delimiter == "," else "")
            out.error(rownum, None, f"the row has {len(cells)} cells but the header has {width_h} columns{hint}")

    # --- decimal mark: from the unambiguous numbers in the file ---------------
    numeric = [i for i, c in plan if c.type in ("number", "int")]
    sample = [cells[i] for _, cells in table.rows[:DECIMAL_SAMPLE_ROWS] for i in numeric
              if i < len(cells) and isinstance(cells[i], str) and ("," in cells[i] or "." in cells[i])]
    decimal_comma = parsing.detect_decimal_comma(sample)
    if decimal_comma is None and table.delimiter == ";":
        decimal_comma = True     # semicolon-separated files come from locales with a decimal comma

    # --- cells, column by column ------------------------------------------------
    data_rows = table.rows
    tick = progress or (lambda n: None)
    rownums = [r for r, _ in data_rows]
    width = max((i for i, _ in plan), default=-1) + 1
    pad = [None] * width
    transposed = list(zip(*[cells if len(cells) >= width else list(cells) + pad[len(cells):]
                            for _, cells in data_rows])) if data_rows else [()] * width
    col: dict[str, list] = {}
    for i, c in plan:
        check = _cell_checker(c, decimal_comma)
        raw = transposed[i]
        if c.type != "number":
            # Codes, periods, dates, tranche numbers repeat: check each distinct cell once.
            seen_raw = {v: check(v) for v in set(raw)}
            outcome = [seen_raw[v] for v in raw]
        else:
            outcome = list(map(check, raw))
        values = [o[0] for o in outcome]
        for k in [k for k, o in enumerate(outcome) if o[1] is not None]:
            out.error(rownums[k], c.name, outcome[k][1])
        for k in [k for k, o in enumerate(outcome) if o[0] is None and o[1] is None]:
            if c.required:
                out.error(rownums[k], c.name, "required value missing")
            values[k] = c.default
        col[c.name] = values
        tick(len(data_rows))
    for c in spec.columns:
        if c.always and c.name not in col:
            col[c.name] = [c.default] * len(data_rows)
    names = list(col)
    rows: list[tuple[int, dict]] = [(rn, dict(zip(names, vals)))
                                    for rn, vals in zip(rownums, zip(*col.values()))]

    # --- duplicates on the natural key -----------------------------------------
    first: dict[tuple, int] = {}
    for k_index, k in enumerate(zip(*(col[c] for c in spec.key))):
        if None in k:
            continue
        if k in first:
            out.error(rownums[k_index], spec.key[-1],
                      f"duplicate of row {first[k]} ({_fmt_key(spec, rows[k_index][1])}); "
                      "each key may appear once per file")
        else:
            first[k] = rownums[k_index]

    # --- references to other tables ---------------------------------------------
    for _, c in plan:
        if not c.ref:
            continue
        values = set(col[c.name])
        values.discard(None)
        missing = values - existing_values(conn, c.ref[0], c.ref[1], values) if values else set()
        if not missing:
            continue
        what = REF_LABELS.get(c.ref[0], c.ref[0])
        for k, v in enumerate(col[c.name]):
            if v in missing:
                out.error(rownums[k], c.name, f"unknown {what} {v!r}: it is not in the store "
                                              f"(load {c.ref[0]} first)")

    # --- the dataset's own checks -------------------------------------------------
    if spec.check is not None:
        spec.check(CheckContext(table.file, rows, conn, present, out.error, out.warn))
    tick(len(data_rows))
    return rows
