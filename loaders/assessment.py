"""City Needs Assessment submissions, as KoboToolbox and ODK export them, loaded into the store.

``python -m loaders assessment FILE [FILE ...] [--dry-run] [--include-unapproved]`` and the Data page.

Accepted exports of the form ``loaders.assessment_form`` generates:

- Kobo XLSX: the main sheet (first sheet, named after the form title) and one sheet per repeat group,
  joined on ``_submission__uuid`` (else ``_parent_index`` = the main sheet's ``_index``);
- Kobo CSV (main section only; ``;`` or ``,``, quoted, an optional HXL ``#hashtag`` row under the header);
- ODK Central / Briefcase CSV: the main file (``KEY``) and one file per repeat (``PARENT_KEY``), given
  together.

Headers may be XML names or labels in any of the form's four languages, with the group path joined
by ``/`` or another separator (``.``, ``-``, ``:``) or left out; ``select_multiple`` answers may be one
space-separated column, split ``question/option`` 0/1 columns, or both. Submissions map to
municipalities by code, else by name folded across scripts and diacritics (``loaders.matching``);
an unmatched or ambiguous name refuses the file, never a guess.

One main file with its repeat sheets/files is one transaction: all of it lands, or nothing. Values
go through the same validation and upsert as ``indicator_values`` and ``priorities`` files, each value
remembering its submission (``method = survey``, ``submission_uuid``); the scores are then recomputed
(``loaders.core.rescore``) as after any load of those datasets.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import delete, select

from hub.i18n import fold
from loaders import parsing
from loaders.assessment_form import INITIATIVES, PERIOD_REGEX, YES_NO, FormSpec, Question, form_spec
from loaders.errors import LoadError, LoadRefused
from loaders.matching import MunicipalityIndex
from loaders.parsing import Table
from loaders.registry import get_spec
from loaders.validation import Collector, validate

DATASET = "assessment"
PERIOD = re.compile(PERIOD_REGEX.strip("^$"))
SEPARATORS = ("/", ".", "-", ":", "__", " ", ">", "|")
SPLIT_SEPARATORS = ("/", ".", "-", ":")
UUID_COLUMNS = ("_uuid", "meta/instanceID", "meta-instanceID", "instanceID", "KEY")
TIME_COLUMNS = ("_submission_time", "SubmissionDate")
STATUS_COLUMNS = ("_validation_status", "ReviewState")
VERSION_COLUMNS = ("FormVersion",)
APPROVED = frozenset({"validation_status_approved", "approved"})
FORMAT_LABELS = {"kobo_xlsx": "KoboToolbox XLSX", "kobo_csv": "KoboToolbox CSV", "odk_csv": "ODK CSV"}
ODK_META = frozenset({"SubmissionDate", "KEY", "PARENT_KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
                      "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion",
                      "meta-instanceID", "meta/instanceID", "instanceID", "meta-instanceName", "start", "end",
                      "today", "deviceid"})


# --- what a load reports ------------------------------------------------------------------------
@dataclass
class SubmissionChange:
    uuid: str
    municipality_code: str
    municipality: str
    period: str
    submitted_at: datetime | None
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    priorities: int = 0
    initiatives: int = 0


@dataclass
class Skipped:
    uuid: str
    file: str
    row: int | None
    reason: str


@dataclass
class AssessmentReport:
    file: str
    files: list[str]
    source_format: str
    dry_run: bool
    submissions: list[SubmissionChange] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[LoadError] = field(default_factory=list)
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    priorities_changed: int = 0        # ranked themes inserted, updated or removed

    def __str__(self) -> str:
        head = (f"{self.file}: assessment ({FORMAT_LABELS[self.source_format]}): {len(self.submissions)} submissions"
                + (" would load (dry run, nothing written)" if self.dry_run else
                   f" loaded; {self.inserted} values inserted, {self.updated} updated, {self.unchanged} unchanged"))
        lines = [head]
        for s in self.submissions:
            lines.append(f"  {s.municipality_code} {s.municipality} {s.period}: {s.new} new, {s.changed} changed, "
                         f"{s.unchanged} unchanged values; {s.priorities} ranked themes; {s.initiatives} initiatives "
                         f"(submission {s.uuid})")
        for k in self.skipped:
            lines.append(f"  not loaded: {k.file}:{k.row or ''}: submission {k.uuid}: {k.reason}")
        return "\n".join(lines)


# --- reading exports ------------------------------------------------------------------------------
@dataclass
class Sheet:
    file: str                 # file name, with "(sheet X)" for a workbook sheet
    name: str                 # sheet or file name (repeat sheets: the repeat group)
    header: list[str]
    rows: list[tuple[int, list[Any]]]


@dataclass
class Export:
    """One main table and its repeat tables: the unit of one transaction."""
    file: str
    files: list[str]
    source_format: str
    main: Sheet
    repeats: list[Sheet]
    sha256: str



def _drop_hxl(table: Table) -> list[tuple[int, list[Any]]]:
    rows = table.rows
    if rows:
        cells = [c for c in rows[0][1] if not parsing.is_blank(c)]
        if cells and all(isinstance(c, str) and c.strip().startswith("#") for c in cells):
            return rows[1:]
    return rows


def read_exports(inputs: list[tuple[bytes, str]]) -> tuple[list[Export], list[LoadRefused]]:
    """Group the given files into exports: a workbook is one; a CSV main file takes the ODK repeat files
    whose PARENT_KEYs point into it. Unreadable files and orphan repeat files come back as refusals."""
    exports: list[Export] = []
    refused: list[LoadRefused] = []
    odk_repeats: list[tuple[Sheet, bytes]] = []
    for data, name in inputs:
        try:
            if data.startswith(parsing.XLSX_MAGIC) or name.lower().endswith((".xlsx", ".xlsm")):
                exports.append(_read_workbook(data, name))
                continue
            table = parsing.read_table(data, name)
        except LoadRefused as exc:
            refused.append(exc)
            continue
        sheet = Sheet(name, name, table.header, _drop_hxl(table))
        if "PARENT_KEY" in table.header:
            odk_repeats.append((sheet, data))
        elif "KEY" in table.header:
            exports.append(Export(name, [name], "odk_csv", sheet, [], hashlib.sha256(data).hexdigest()))
        else:
            exports.append(Export(name, [name], "kobo_csv", sheet, [], hashlib.sha256(data).hexdigest()))
    for sheet, data in odk_repeats:
        pk = sheet.header.index("PARENT_KEY")
        parents = {_key_root(r[pk]) for _, r in sheet.rows if pk < len(r) and not parsing.is_blank(r[pk])}
        home = None
        for ex in exports:
            if ex.source_format != "odk_csv":
                continue
            k = ex.main.header.index("KEY")
            keys = {_key_root(r[k]) for _, r in ex.main.rows if k < len(r)}
            if parents & keys:
                home = ex
                break
        if home is None:
            refused.append(LoadRefused([LoadError(sheet.file, None, "PARENT_KEY",
                                                  "repeat file whose parent submissions are in none of the main "
                                                  "files given: load it together with its main ODK CSV file")],
                                       DATASET, sheet.file))
            continue
        home.repeats.append(sheet)
        home.files.append(sheet.file)
        home.sha256 = hashlib.sha256((home.sha256 + hashlib.sha256(data).hexdigest()).encode()).hexdigest()
    return exports, refused


def _key_root(v: Any) -> str:
    """ODK keys: ``uuid:abc/initiatives[2]`` belongs to submission ``uuid:abc``."""
    return str(v).strip().split("/", 1)[0]


def _read_workbook(data: bytes, name: str) -> Export:
    import io

    import openpyxl
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise LoadRefused([LoadError(name, None, None, f"not a readable .xlsx workbook ({exc})")], DATASET, name)
    sheets: list[Sheet] = []
    try:
        for ws in wb.worksheets:
            it = ws.iter_rows(values_only=True)
            head = next(it, None)
            if head is None:
                continue
            header = [str(h if h is not None else "").strip() for h in head]
            while header and not header[-1]:
                header.pop()
            rows = [(n, list(c)) for n, c in enumerate(it, start=2)
                    if c and any(not parsing.is_blank(x) for x in c)]
            t = Table(f"{name} (sheet {ws.title})", header, rows)
            sheets.append(Sheet(t.file, ws.title, header, _drop_hxl(t)))
    finally:
        wb.close()
    # A formula without a saved value reads as empty: refused, never taken for an unanswered question.
    errors = [e for s in sheets for e in parsing.unsaved_formulas(data, s.file, s.name, s.header)]
    if errors:
        raise LoadRefused(errors, DATASET, name)
    if not sheets:
        raise LoadRefused([LoadError(name, None, None, "the workbook has no sheet with data")], DATASET, name)
    return Export(name, [name], "kobo_xlsx", sheets[0], sheets[1:], hashlib.sha256(data).hexdigest())


# --- headers: XML names or labels, any group separator -------------------------------------------
class HeaderMap:
    """Folded header text -> (question, option or None) for the questions of one table."""

    def __init__(self, spec: FormSpec, questions: list[Question]):
        self.map: dict[str, tuple[Question, str | None] | None] = {}
        groups = spec.groups | spec.repeats

        def add(text: str, target) -> None:
            k = fold(text)
            if not k:
                return
            if k in self.map and self.map[k] != target:
                self.map[k] = None          # two questions read the same: only their full path counts
            else:
                self.map[k] = target

        for q in questions:
            names = [q.name]
            labels = [v for v in q.labels.values() if v]
            g_names = [q.group] if q.group else []
            g_labels = [v for v in groups.get(q.group, {}).values() if v] if q.group else []
            forms = list(names) + labels
            for sep in SEPARATORS:
                forms += [g + sep + n for g in g_names for n in names]
                forms += [g + sep + lab for g in g_labels for lab in labels]
            for f in forms:
                add(f, (q, None))
            if q.multiple:
                options = spec.choices[q.list_name]
                for f in forms:
                    for sep in SPLIT_SEPARATORS:
                        for c in options:
                            for o in {c.name, *c.labels.values()}:
                                add(f + sep + o, (q, c.name))
        # Exact paths win over everything folded into the same text.
        for q in questions:
            for sep in ("/", "-"):
                if q.group:
                    self.map[fold(q.group + sep + q.name)] = (q, None)
            self.map[fold(q.name)] = (q, None)

    def resolve(self, header: str) -> tuple[Question, str | None] | None:
        return self.map.get(fold(header))


def _is_meta(h: str) -> bool:
    return not h or h.startswith("_") or h in ODK_META or h.startswith("meta")


# --- cell values ---------------------------------------------------------------------------------
def _datetime(v: Any) -> datetime | None:
    if parsing.is_blank(v):
        return None
    if isinstance(v, datetime):
        return v.astimezone(timezone.utc).replace(tzinfo=None) if v.tzinfo else v
    s = str(v).strip().replace("Z", "+00:00")
    try:
        d = datetime.fromisoformat(s)
    except ValueError:
        raise ValueError(f"{v!r} is not a date and time (ISO 8601, e.g. 2025-03-14T09:12:33)") from None
    return d.astimezone(timezone.utc).replace(tzinfo=None) if d.tzinfo else d


class Decoder:
    """Turns raw answers into stored values, by question type; raises ``ValueError`` with a message."""

    def __init__(self, spec: FormSpec, index: MunicipalityIndex, names: dict[str, str]):
        self.spec = spec
        self.index = index
        self.names = names
        self.by_label: dict[str, dict[str, str]] = {}
        for list_name, items in spec.choices.items():
            m: dict[str, str] = {}
            for c in items:
                for lab in c.labels.values():
                    m.setdefault(fold(lab), c.name)
                m[fold(c.name)] = c.name
            self.by_label[list_name] = m

    def choice(self, q: Question, v: Any) -> str:
        s = parsing.parse_text(v)
        names = {c.name for c in self.spec.choices[q.list_name]}
        if s in names:
            return s
        if q.list_name == "municipality":
            code, _ = self.index.match(s, s)
            if code:
                return code
            both = self.index.ambiguous(s)
            if both:
                raise ValueError(f"{s!r} matches several municipalities ({', '.join(both)}): answer with the code")
            raise ValueError(f"unknown municipality {s!r}: it matches no code or name in the store")
        hit = self.by_label[q.list_name].get(fold(s))
        if hit:
            return hit
        if q.list_name == "yes_no":
            return "yes" if parsing.parse_bool(s) else "no"
        raise ValueError(f"{s!r} is not one of the choices of {q.name} ({', '.join(sorted(names))})")

    def multiple(self, q: Question, v: Any) -> list[str]:
        s = parsing.parse_text(v)
        names = [c.name for c in self.spec.choices[q.list_name]]
        tokens = s.split()
        if all(tk in names for tk in tokens):
            return tokens
        # Label export: labels joined by spaces; labels may hold spaces themselves.
        text = f" {fold(s)} "
        found = []
        for c in self.spec.choices[q.list_name]:
            for lab in {fold(x) for x in c.labels.values()}:
                if lab and f" {lab} " in text:
                    text = text.replace(f" {lab} ", " ", 1)
                    found.append(c.name)
                    break
        if text.strip():
            raise ValueError(f"{s!r}: {text.strip()!r} is not one of the choices of {q.name}")
        return [n for n in names if n in found]

    def number(self, q: Question, v: Any) -> float:
        if q.list_name == "yes_no":
            return YES_NO[self.choice(q, v)]
        x = parsing.parse_number(v)
        if q.integer and not float(x).is_integer():
            raise ValueError(f"{v!r} is not a whole number")
        lo, hi = q.minimum, q.maximum
        if (lo is not None and x < lo) or (hi is not None and x > hi):
            bounds = f"{lo:g}–{hi:g}" if hi is not None else f"{lo:g} or more"
            raise ValueError(f"{x:g} is outside the goalposts of {q.name} ({bounds})")
        return float(x)


# --- one table's rows as answers -----------------------------------------------------------------
@dataclass
class Row:
    sheet: Sheet
    rownum: int
    answers: dict[str, tuple[Any, str]] = field(default_factory=dict)     # question -> (raw, header)
    split: dict[str, dict[str, tuple[Any, str]]] = field(default_factory=dict)   # question -> option -> raw
    meta: dict[str, Any] = field(default_factory=dict)

    def header_of(self, name: str) -> str:
        if name in self.answers:
            return self.answers[name][1]
        if name in self.split:
            return next(iter(self.split[name].values()))[1]
        return name


def _rows(sheet: Sheet, hmap: HeaderMap, out: Collector, meta_names) -> list[Row]:
    plan: list[tuple[int, Question, str | None, str]] = []
    meta: dict[str, int] = {}
    for i, h in enumerate(sheet.header):
        if h in meta_names:
            meta.setdefault(h, i)
            continue
        hit = hmap.resolve(h)
        if hit is None:
            if not _is_meta(h):
                out.warnings.append(LoadError(sheet.file, 1, h, f"column {h!r} is not a question of the assessment form; ignored"))
            continue
        plan.append((i, hit[0], hit[1], h))
    rows = []
    for rownum, cells in sheet.rows:
        r = Row(sheet, rownum)
        for name, i in meta.items():
            r.meta[name] = cells[i] if i < len(cells) else None
        for i, q, option, h in plan:
            v = cells[i] if i < len(cells) else None
            if option is None:
                r.answers.setdefault(q.name, (v, h))
            else:
                r.split.setdefault(q.name, {})[option] = (v, h)
        rows.append(r)
    return rows


# --- the load -------------------------------------------------------------------------------------
@dataclass
class _Accepted:
    row: Row
    uuid: str
    municipality_code: str
    period: str
    submitted_at: datetime | None
    assessed_on: date | None
    status: str | None
    values: dict[str, float]
    ranks: dict[str, int]
    sources: list[str]
    initiatives: list[dict] = field(default_factory=list)


def load_assessment(inputs: list, *, engine=None, user: str | None = None, dry_run: bool = False,
                    approved_only: bool = True, rescore_after: bool = True) -> list[AssessmentReport]:
    """Load exports (paths, bytes with names, or uploads). Returns one report per export; raises
    ``LoadRefused`` (``.refusals`` holds one per refused export) after loading the others when any
    export is refused. Each export is one transaction."""
    from hub.db import get_engine
    engine = engine or get_engine()
    read: list[tuple[bytes, str]] = []
    for item in inputs:
        if isinstance(item, tuple):
            read.append(parsing.read_input(item[0], item[1]))
        else:
            read.append(parsing.read_input(item))
    exports, refusals = read_exports(read)
    spec = form_spec(engine)
    reports = []
    for ex in exports:
        try:
            reports.append(_load_export(ex, spec, engine, user, dry_run, approved_only, rescore_after))
        except LoadRefused as exc:
            refusals.append(exc)
    if refusals:
        err = AssessmentRefused(refusals, reports)
        raise err
    return reports


class AssessmentRefused(LoadRefused):
    """Some exports were refused; ``refusals`` one per refused export, ``reports`` the ones that landed."""

    def __init__(self, refusals: list[LoadRefused], reports: list[AssessmentReport]):
        self.refusals = refusals
        self.reports = reports
        super().__init__([e for r in refusals for e in r.errors], DATASET,
                         ", ".join(dict.fromkeys(r.file or "" for r in refusals)))

    def __str__(self) -> str:
        return "\n".join(LoadRefused.__str__(r) for r in getattr(self, "refusals", [])) or super().__str__()


def _members(conn):
    from hub.models import Municipality
    m = Municipality.__table__
    return conn.execute(select(m.c.code, m.c.name, m.c.name_local, m.c.country)).all()


def _load_export(ex: Export, spec: FormSpec, engine, user, dry_run, approved_only, rescore_after) -> AssessmentReport:
    from loaders.core import _log, _log_refusal, current_user
    who = current_user(user)
    report = AssessmentReport(ex.file, ex.files, ex.source_format, dry_run)
    try:
        ctx = engine.connect() if dry_run else engine.begin()
        with ctx as conn:
            _check_and_write(ex, spec, conn, report, approved_only, dry_run)
            if not dry_run:
                _log(conn, DATASET, ", ".join(ex.files), ex.sha256, who, "ok", str(report), report.inserted,
                     report.updated)
    except LoadRefused as exc:
        exc.dataset, exc.file = DATASET, ex.file
        if not dry_run:
            _log_refusal(engine, DATASET, ", ".join(ex.files), ex.sha256, who, str(exc))
        raise
    if not dry_run:
        if rescore_after and (report.inserted or report.updated or report.priorities_changed):
            from loaders.core import rescore
            why = rescore(engine)
            if why:
                report.warnings.append(LoadError(ex.file, None, None, why))
    return report


def _check_and_write(ex: Export, spec: FormSpec, conn, report: AssessmentReport, approved_only: bool,
                     dry_run: bool) -> None:
    out = Collector(ex.file)

    def error(file: str, row: int | None, column: str | None, problem: str) -> None:
        out.errors.append(LoadError(file, row, column, problem))
    members = _members(conn)
    index = MunicipalityIndex((c, n, nl) for c, n, nl, _ in members)
    names = {c: n for c, n, _, _ in members}
    country = {c: k for c, _, _, k in members}
    dec = Decoder(spec, index, names)
    main_qs = [q for q in spec.questions if q.group not in spec.repeats]
    meta_names = set(UUID_COLUMNS) | set(TIME_COLUMNS) | set(STATUS_COLUMNS) | set(VERSION_COLUMNS) | {
        "_index", "_parent_index", "_submission__uuid", "PARENT_KEY", "_id"}
    rows = _rows(ex.main, HeaderMap(spec, main_qs), out, meta_names)
    for c in ("municipality", "period"):
        if not any(c in r.answers for r in rows[:1]) and rows:
            error(ex.main.file, 1, c, f"no column for the question {c!r} (as {spec.question(c).path} or "
                            "its label): is this an export of the assessment form?")
    if out.errors:
        raise LoadRefused(out.errors, DATASET, ex.file)

    # --- each submission --------------------------------------------------------------------------
    accepted: list[_Accepted] = []
    seen_uuid: dict[str, int] = {}
    for r in rows:
        f = r.sheet.file

        def err(col: str, problem: str) -> None:
            error(f, r.rownum, col, problem)
        uuid_col = next((c for c in UUID_COLUMNS if parsing.is_blank(r.meta.get(c)) is False), None)
        uuid = str(r.meta[uuid_col]).strip().removeprefix("uuid:") if uuid_col else ""
        if not uuid:
            err("_uuid", "the submission has no _uuid (or KEY / instanceID)")
            continue
        if uuid in seen_uuid:
            err(uuid_col, f"duplicate _uuid {uuid}: the same submission appears in rows {seen_uuid[uuid]} and "
                          f"{r.rownum}")
            continue
        seen_uuid[uuid] = r.rownum
        version = r.answers.get("form_version", (None, ""))[0]
        vcol = "form_version"
        if parsing.is_blank(version):
            version, vcol = next(((r.meta.get(c), c) for c in VERSION_COLUMNS if not parsing.is_blank(r.meta.get(c))),
                                 (None, "form_version"))
        if parsing.is_blank(version):
            err("form_version", "the submission has no form_version: export it from the form generated by "
                                "python -m loaders assessment-form")
            continue
        if str(version).strip() != spec.version:
            err(r.header_of("form_version") if vcol == "form_version" else vcol,
                f"form version {str(version).strip()!r} does not match the methodology in use (version "
                f"{spec.version}): the questionnaire has changed since this form was deployed; collect with the "
                "current form (python -m loaders assessment-form)")
            continue
        try:
            submitted = _datetime(next((r.meta.get(c) for c in TIME_COLUMNS if c in r.meta), None))
        except ValueError as exc:
            err("_submission_time", str(exc))
            continue
        status_raw = next((r.meta.get(c) for c in STATUS_COLUMNS if c in r.meta), None)
        has_status = any(c in r.meta for c in STATUS_COLUMNS)
        status = None if parsing.is_blank(status_raw) else str(status_raw).strip()
        if approved_only and has_status and (status is None or fold(status).replace(" ", "_") not in APPROVED):
            report.skipped.append(Skipped(uuid, f, r.rownum, f"not approved (validation status: {status or 'none'})"))
            continue
        ok = True
        values: dict[str, Any] = {}
        for name in ("economy", "municipality", "period", "assessed_on"):
            q = spec.question(name)
            raw = r.answers.get(name, (None, ""))[0]
            if parsing.is_blank(raw):
                if name in ("municipality", "period"):
                    err(r.header_of(name), f"required answer {name} is missing")
                    ok = False
                continue
            try:
                if q.list_name:
                    values[name] = dec.choice(q, raw)
                elif name == "period":
                    v = parsing.parse_text(raw)
                    if not PERIOD.fullmatch(v):
                        raise ValueError(f"{v!r} is not a period (a year such as 2025, or 2025-H1, 2025-Q3, 2025-05)")
                    values[name] = v
                else:
                    values[name] = parsing.parse_date(raw)
            except ValueError as exc:
                err(r.header_of(name), str(exc))
                ok = False
        mun = values.get("municipality")
        if mun and values.get("economy") and country.get(mun) != values["economy"]:
            err(r.header_of("economy"), f"municipality {mun} ({names.get(mun)}) is in {country.get(mun)}, "
                                        f"not in {values['economy']}")
            ok = False
        nums: dict[str, float] = {}
        for q in spec.indicator_questions:
            raw = r.answers.get(q.name, (None, ""))[0]
            if parsing.is_blank(raw):
                continue
            try:
                nums[q.name] = dec.number(q, raw)
            except ValueError as exc:
                err(r.header_of(q.name), str(exc))
                ok = False
        ranks: dict[str, int] = {}
        by_rank: dict[int, str] = {}
        for th in spec.themes:
            name = f"rank_{th}"
            raw = r.answers.get(name, (None, ""))[0]
            if parsing.is_blank(raw):
                continue
            try:
                rank = int(dec.choice(spec.question(name), raw))
            except ValueError as exc:
                err(r.header_of(name), str(exc))
                ok = False
                continue
            if rank in by_rank:
                err(r.header_of(name), f"rank {rank} is given to both {by_rank[rank]} and {th}; each rank to one "
                                       "theme only")
                ok = False
            by_rank[rank] = th
            ranks[th] = rank
        sources = []
        try:
            sources = _select_multiple(dec, spec.question("data_sources"), r)
        except ValueError as exc:
            err(r.header_of("data_sources"), str(exc))
            ok = False
        if ok:
            accepted.append(_Accepted(r, uuid, mun, values["period"], submitted, values.get("assessed_on"), status,
                                      nums, ranks, sources))

    # --- repeat rows, joined to their submission ---------------------------------------------------
    by_uuid = {a.uuid: a for a in accepted}
    index_to_uuid = {str(r.meta.get("_index")).strip(): _uuid_of(r) for r in rows
                     if not parsing.is_blank(r.meta.get("_index"))}
    key_to_uuid = {_key_root(r.meta.get("KEY")): _uuid_of(r) for r in rows if not parsing.is_blank(r.meta.get("KEY"))}
    known_uuids = {_uuid_of(r) for r in rows}
    rep_qs = [q for q in spec.questions if q.group == INITIATIVES]
    for sheet in ex.repeats:
        rrows = _rows(sheet, HeaderMap(spec, rep_qs), out, meta_names)
        for r in rrows:
            if "_submission__uuid" in r.meta and not parsing.is_blank(r.meta["_submission__uuid"]):
                parent, col = str(r.meta["_submission__uuid"]).strip(), "_submission__uuid"
            elif "_parent_index" in r.meta:
                parent, col = index_to_uuid.get(str(r.meta["_parent_index"]).strip()), "_parent_index"
            elif "PARENT_KEY" in r.meta:
                parent, col = key_to_uuid.get(_key_root(r.meta["PARENT_KEY"])), "PARENT_KEY"
            else:
                error(sheet.file, r.rownum, None, "a repeat row needs _submission__uuid, _parent_index or "
                                          "PARENT_KEY to find its submission")
                continue
            if not parent or parent not in known_uuids:
                raw = r.meta.get(col)
                error(sheet.file, r.rownum, col, f"the parent submission {raw!s} of this repeat row is not in "
                                         "the main sheet")
                continue
            a = by_uuid.get(parent)
            if a is None:
                continue       # its submission was skipped or refused: so is the row
            try:
                rec = _initiative(dec, spec, r)
            except ValueError as exc:
                col, problem = exc.args if len(exc.args) == 2 else (None, str(exc))
                error(sheet.file, r.rownum, col, problem)
                continue
            if rec:
                a.initiatives.append(rec)
    if out.errors:
        raise LoadRefused(out.errors, DATASET, ex.file)

    # --- one submission per municipality and period: the latest wins -------------------------------
    from hub.models import AssessmentSubmission
    S = AssessmentSubmission.__table__
    stored = {u: (m, p, t) for u, m, p, t in conn.execute(
        select(S.c.uuid, S.c.municipality_code, S.c.period, S.c.submitted_at)).all()}
    for a in accepted:
        if a.uuid in stored and stored[a.uuid][:2] != (a.municipality_code, a.period):
            m, p, _ = stored[a.uuid]
            error(a.row.sheet.file, a.row.rownum, "_uuid", f"duplicate _uuid {a.uuid}: this submission was "
                                             f"already loaded for {m} {p}, not {a.municipality_code} {a.period}")
    if out.errors:
        raise LoadRefused(out.errors, DATASET, ex.file)
    groups: dict[tuple[str, str], list[_Accepted]] = defaultdict(list)
    for a in accepted:
        groups[(a.municipality_code, a.period)].append(a)
    latest_stored: dict[tuple[str, str], tuple[str, datetime | None]] = {}
    for u, (m, p, t) in stored.items():
        cur = latest_stored.get((m, p))
        if cur is None or (t or datetime.min) > (cur[1] or datetime.min):
            latest_stored[(m, p)] = (u, t)
    winners: list[_Accepted] = []
    for key, group in groups.items():
        group.sort(key=lambda a: (a.submitted_at or datetime.min, a.row.rownum), reverse=True)
        best = group[0]
        for a in group[1:]:
            report.skipped.append(Skipped(a.uuid, a.row.sheet.file, a.row.rownum,
                                          f"superseded by the later submission {best.uuid} for {key[0]} {key[1]} "
                                          f"(submitted {best.submitted_at or '?'})"))
        prev = latest_stored.get(key)
        if prev and prev[0] != best.uuid and (prev[1] or datetime.min) > (best.submitted_at or datetime.min):
            report.skipped.append(Skipped(best.uuid, best.row.sheet.file, best.row.rownum,
                                          f"superseded by the later submission {prev[0]} already in the store for "
                                          f"{key[0]} {key[1]} (submitted {prev[1]})"))
            continue
        winners.append(best)
    winners.sort(key=lambda a: a.row.rownum)

    # --- through the indicator_values and priorities validation ------------------------------------
    iv_spec, pr_spec = get_spec("indicator_values"), get_spec("priorities")
    source_label = f"{spec.title} ({FORMAT_LABELS[ex.source_format]})"
    iv_rows, iv_where = [], {}
    pr_rows, pr_where = [], {}
    for a in winners:
        src = source_label
        if a.sources:
            src += ": " + ", ".join(c.labels["en"] for c in spec.choices["data_source"] if c.name in a.sources)
        for code, v in a.values.items():
            n = len(iv_rows) + 2
            iv_rows.append((n, [a.municipality_code, code, a.period, v, src, None, "survey", a.uuid]))
            iv_where[n] = (a.row, code)
        for th, rank in a.ranks.items():
            n = len(pr_rows) + 2
            pr_rows.append((n, [a.municipality_code, a.period, th, rank]))
            pr_where[n] = (a.row, f"rank_{th}")
    checked = {}
    for ds, dspec, trows, where in (("indicator_values", iv_spec, iv_rows, iv_where),
                                    ("priorities", pr_spec, pr_rows, pr_where)):
        table = Table(ex.file, list(dspec.column_names), trows)
        recs, found = validate(dspec, table, conn)
        for e in found.errors:
            row, q = where.get(e.row, (None, None))
            if row is None:
                error(ex.file, None, e.column, e.problem)
                continue
            col = row.header_of({"municipality_code": "municipality", "period": "period"}.get(e.column, q))
            error(row.sheet.file, row.rownum, col, e.problem)
        checked[ds] = [rec for _, rec in recs]
    if out.errors:
        raise LoadRefused(out.errors, DATASET, ex.file)
    report.warnings.extend(out.warnings)

    # --- what changes, per submission --------------------------------------------------------------
    from hub.models import AssessmentInitiative, IndicatorValue, Priority
    IV, PR, IN = IndicatorValue.__table__, Priority.__table__, AssessmentInitiative.__table__
    cities = {a.municipality_code for a in winners}
    from loaders.store import select_for, upsert
    old_iv = {(m, i, p): (v, s, n, me, u) for m, i, p, v, s, n, me, u in select_for(
        conn, select(IV.c.municipality_code, IV.c.indicator_code, IV.c.period, IV.c.value, IV.c.source, IV.c.note,
                     IV.c.method, IV.c.submission_uuid), IV.c.municipality_code, cities)}
    old_pr = defaultdict(dict)
    for m, p, th, rk in select_for(conn, select(PR.c.municipality_code, PR.c.period, PR.c.theme, PR.c.rank),
                                   PR.c.municipality_code, cities):
        old_pr[(m, p)][th] = rk
    old_in = defaultdict(list)
    for row in select_for(conn, select(IN), IN.c.municipality_code, cities):
        d = dict(row._mapping)
        old_in[(d["municipality_code"], d["period"])].append(d)
    changes = {}
    for a in winners:
        ch = SubmissionChange(a.uuid, a.municipality_code, names.get(a.municipality_code, ""), a.period,
                              a.submitted_at, priorities=len(a.ranks), initiatives=len(a.initiatives))
        changes[(a.municipality_code, a.period)] = ch
        report.submissions.append(ch)
    for rec in checked["indicator_values"]:
        k = (rec["municipality_code"], rec["indicator_code"], rec["period"])
        ch = changes[(k[0], k[2])]
        new = (rec["value"], rec["source"], rec["note"], rec["method"], rec["submission_uuid"])
        if k not in old_iv:
            ch.new += 1
        elif old_iv[k] != new:
            ch.changed += 1
        else:
            ch.unchanged += 1
    if dry_run:
        return

    # --- write: one transaction (the caller's) ----------------------------------------------------
    from hub import state
    from loaders.core import stale_periods
    version = state.bump(conn)          # first write: orders concurrent writers (see loaders.core)
    written_iv: list[dict] = []
    written_pr: list[dict] = []
    report.inserted, report.updated, report.unchanged = upsert(conn, iv_spec, checked["indicator_values"],
                                                               written=written_iv)
    pr_in, pr_up, _ = upsert(conn, pr_spec, checked["priorities"], written=written_pr)
    removed = 0
    for a in winners:
        if not a.ranks:
            continue
        stale = [th for th in old_pr.get((a.municipality_code, a.period), {}) if th not in a.ranks]
        if stale:
            removed += conn.execute(delete(PR).where(PR.c.municipality_code == a.municipality_code,
                                                     PR.c.period == a.period, PR.c.theme.in_(stale))).rowcount
    report.priorities_changed = pr_in + pr_up + removed
    touched = stale_periods(iv_spec, written_iv) | stale_periods(pr_spec, written_pr)
    if removed:
        touched |= {a.period for a in winners if a.ranks}
    if touched:
        state.mark_stale(conn, touched, version)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for a in winners:
        sub = {"uuid": a.uuid, "municipality_code": a.municipality_code, "period": a.period,
               "submitted_at": a.submitted_at, "assessed_on": a.assessed_on or (a.submitted_at.date()
                                                                               if a.submitted_at else None),
               "form_version": spec.version, "validation_status": a.status, "source_format": ex.source_format,
               "file_name": ex.file}
        old = conn.execute(select(S).where(S.c.uuid == a.uuid)).first()
        if old is None:
            conn.execute(S.insert(), [{**sub, "loaded_at": now}])
        elif any(old._mapping[k] != v for k, v in sub.items() if k != "file_name"):
            conn.execute(S.update().where(S.c.uuid == a.uuid).values(**sub, loaded_at=now))
        want = [{"submission_uuid": a.uuid, "seq": i, "municipality_code": a.municipality_code,
                 "period": a.period, **rec} for i, rec in enumerate(a.initiatives, start=1)]
        have = sorted(old_in.get((a.municipality_code, a.period), []), key=lambda d: (d["submission_uuid"], d["seq"]))
        if have != want:
            conn.execute(delete(IN).where(IN.c.municipality_code == a.municipality_code, IN.c.period == a.period))
            if want:
                conn.execute(IN.insert(), want)


def _uuid_of(r: Row) -> str:
    for c in UUID_COLUMNS:
        v = r.meta.get(c)
        if not parsing.is_blank(v):
            return str(v).strip().removeprefix("uuid:")
    return ""


def _select_multiple(dec: Decoder, q: Question, r: Row) -> list[str]:
    """Split 0/1 columns when the export has them (any answered), else the space-separated column."""
    split = r.split.get(q.name, {})
    answered = {o: v for o, (v, _) in split.items() if not parsing.is_blank(v)}
    if answered:
        out = []
        for o, v in answered.items():
            try:
                if parsing.parse_bool(v):
                    out.append(o)
            except ValueError:
                raise ValueError(f"{v!r} in the split column for option {o} is not 1 or 0") from None
        names = [c.name for c in dec.spec.choices[q.list_name]]
        return [n for n in names if n in out]
    raw = r.answers.get(q.name, (None, ""))[0]
    return [] if parsing.is_blank(raw) else dec.multiple(q, raw)


def _initiative(dec: Decoder, spec: FormSpec, r: Row) -> dict | None:
    def get(name):
        return r.answers.get(name, (None, ""))[0]
    if all(parsing.is_blank(get(n)) for n in ("initiative_name", "partner", "partner_type", "start_year")) \
            and not r.split.get("themes") and parsing.is_blank(get("themes")):
        return None
    name = get("initiative_name")
    if parsing.is_blank(name):
        raise ValueError(r.header_of("initiative_name"), "required answer initiative_name is missing")
    rec = {"name": parsing.parse_text(name), "partner": None, "partner_type": None, "themes": None,
           "start_year": None}
    try:
        if not parsing.is_blank(get("partner")):
            rec["partner"] = parsing.parse_text(get("partner"))
        if not parsing.is_blank(get("partner_type")):
            rec["partner_type"] = dec.choice(spec.question("partner_type"), get("partner_type"))
    except ValueError as exc:
        raise ValueError(r.header_of("partner_type"), str(exc)) from None
    try:
        themes = _select_multiple(dec, spec.question("themes"), r)
    except ValueError as exc:
        raise ValueError(r.header_of("themes"), str(exc)) from None
    rec["themes"] = " ".join(themes) or None
    if not parsing.is_blank(get("start_year")):
        try:
            rec["start_year"] = int(dec.number(spec.question("start_year"), get("start_year")))
        except ValueError as exc:
            raise ValueError(r.header_of("start_year"), str(exc)) from None
    return rec


# --- command line ---------------------------------------------------------------------------------
def main(argv: list[str]) -> int:
    import argparse
    import sys
    p = argparse.ArgumentParser(prog="python -m loaders assessment",
                                description="Load City Needs Assessment submissions exported from KoboToolbox "
                                            "(XLSX or CSV) or ODK (CSV, with its repeat files). See docs/data.md.")
    p.add_argument("files", nargs="+")
    p.add_argument("--dry-run", action="store_true", help="check and show what would change; write nothing")
    p.add_argument("--include-unapproved", action="store_true",
                   help="also load submissions not approved (when the export has _validation_status / ReviewState)")
    p.add_argument("--user")
    p.add_argument("--database-url")
    args = p.parse_args(argv)
    from hub.db import get_engine
    engine = get_engine(args.database_url) if args.database_url else get_engine()
    try:
        reports = load_assessment(args.files, engine=engine, user=args.user, dry_run=args.dry_run,
                                  approved_only=not args.include_unapproved)
        failed = []
    except AssessmentRefused as exc:
        reports, failed = exc.reports, exc.refusals
    except OSError as exc:
        print(f"cannot read the file: {exc}", file=sys.stderr)
        return 1
    for r in reports:
        for w in r.warnings:
            print(f"warning: {w}", file=sys.stderr)
        print(str(r))
    for exc in failed:
        print(f"{exc.file}: REFUSED, nothing written ({len(exc.errors)} problem"
              f"{'s' if len(exc.errors) != 1 else ''}):", file=sys.stderr)
        for e in exc.errors:
            print(str(e), file=sys.stderr)
    return 1 if failed else 0


def form_main(argv: list[str]) -> int:
    import argparse
    import sys
    p = argparse.ArgumentParser(prog="python -m loaders assessment-form",
                                description="Write the City Needs Assessment as an XLSForm (survey, choices, "
                                            "settings) for KoboToolbox / ODK, from the methodology and the "
                                            "indicator catalogue.")
    p.add_argument("--out", required=True, help="the .xlsx file to write")
    p.add_argument("--catalogue", help="an indicators CSV/XLSX to use instead of the store's catalogue "
                                       "(e.g. data/demo/indicators.csv)")
    p.add_argument("--methodology", help="methodology TOML (default data/methodology.toml)")
    p.add_argument("--database-url")
    args = p.parse_args(argv)
    from hub.db import get_engine
    from loaders.assessment_form import write_form
    engine = get_engine(args.database_url) if args.database_url else get_engine()
    try:
        spec = write_form(args.out, engine, catalogue_path=args.catalogue, methodology_path=args.methodology)
    except LoadRefused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"{args.out}: form {spec.form_id} version {spec.version}: {len(spec.indicator_questions)} indicators, "
          f"{len(spec.themes)} themes, {len(spec.municipalities)} municipalities, 4 languages")
    return 0
