"""The Data page over the loaders, kept out of the page so it can be tested without a browser:
the datasets the loaders accept, their templates, and the upload handlers.

A file goes through the same loaders as ``python -m loaders``: all of it lands, or (refused)
nothing is written and every problem comes back as a row of a table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hub.access import Viewer
from loaders.assessment import AssessmentRefused, load_assessment
from loaders.assessment_form import form_spec
from loaders.core import load_file
from loaders.errors import LoadError, LoadRefused
from loaders.registry import DATASETS, get_spec

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "data" / "templates"
ERROR_COLUMNS = ["file", "row", "column", "problem"]


@dataclass
class UploadOutcome:
    ok: bool
    dataset: str
    file_name: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ERROR_COLUMNS))
    warnings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ERROR_COLUMNS))


def datasets(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """Every dataset the loaders accept, in dependency order: ``dataset``, ``description``,
    ``columns`` (comma-separated), ``required`` (comma-separated). Empty for anyone but hub management.
    (A query's signature, so the page reads it through ``ui.cached_query``; nothing is read from the store.)"""
    cols = ["dataset", "description", "columns", "required"]
    if not viewer.is_hub:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame([{"dataset": name, "description": spec.description,
                          "columns": ", ".join(spec.column_names), "required": ", ".join(spec.header_required)}
                         for name, spec in DATASETS.items()], columns=cols)


HUB_ONLY = "only hub management may load data"


def _problems(items) -> pd.DataFrame:
    return pd.DataFrame([{"file": e.file, "row": e.row, "column": e.column, "problem": e.problem} for e in items],
                        columns=ERROR_COLUMNS)


def _refusal(file: str, problem: str) -> pd.DataFrame:
    """One problem with the upload as a whole (no row, no column)."""
    return _problems([LoadError(file, None, None, problem)])


def handle_upload(viewer: Viewer, dataset: str, data, *, file_name: str, sheet: str | None = None,
                  engine=None) -> UploadOutcome:
    """Load ``data`` (bytes, a path or an uploaded file) into ``dataset`` as ``viewer``.

    Only hub management may load; anyone else is refused without touching the store.
    """
    if not viewer.is_hub:
        return UploadOutcome(False, dataset, file_name, errors=_refusal(file_name, HUB_ONLY))
    if dataset not in DATASETS:
        return UploadOutcome(False, dataset, file_name, errors=_refusal(file_name, f"unknown dataset {dataset!r}"))
    try:
        report = load_file(dataset, data, file_name=file_name, engine=engine, user=viewer.username,
                           sheet=sheet or None)
    except LoadRefused as exc:
        return UploadOutcome(False, dataset, file_name, errors=_problems(exc.errors))
    return UploadOutcome(True, dataset, report.file, report.rows, report.inserted, report.updated,
                         report.unchanged, warnings=_problems(report.warnings))


def template_bytes(dataset: str) -> bytes:
    """The dataset's template: ``data/templates/<dataset>.csv`` when shipped, else its header row."""
    path = TEMPLATES_DIR / f"{dataset}.csv"
    if path.exists():
        return path.read_bytes()
    return (",".join(get_spec(dataset).column_names) + "\n").encode("utf-8")


# --- survey stream: City Needs Assessment exports (KoboToolbox / ODK) -------------------------------
PREVIEW_COLUMNS = ["municipality_code", "municipality", "period", "submission", "submitted_at", "new", "changed",
                   "unchanged", "priorities", "initiatives"]
SKIPPED_COLUMNS = ["file", "row", "uuid", "reason"]


@dataclass
class SurveyOutcome:
    ok: bool
    dry_run: bool
    files: list[str]
    submissions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PREVIEW_COLUMNS))
    skipped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SKIPPED_COLUMNS))
    errors: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ERROR_COLUMNS))
    warnings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ERROR_COLUMNS))
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


def assessment_form(viewer: Viewer, *, engine=None) -> tuple[bytes, str]:
    """The assessment XLSForm (bytes) and its version; empty for anyone but hub management."""
    if not viewer.is_hub:
        return b"", ""
    spec = form_spec(engine)
    return spec.to_xlsx(), spec.version


def handle_assessment(viewer: Viewer, files: list, *, dry_run: bool, approved_only: bool = True,
                      engine=None) -> SurveyOutcome:
    """Check (``dry_run``) or load Kobo/ODK exports as ``viewer``: ``files`` are uploads or ``(bytes, name)``.
    A refused export writes nothing; the others (a real load) land, each in its own transaction."""
    names = [f[1] if isinstance(f, tuple) else getattr(f, "name", "upload") for f in files]
    if not viewer.is_hub:
        return SurveyOutcome(False, dry_run, names, errors=_refusal(", ".join(names), HUB_ONLY))
    inputs = [f if isinstance(f, tuple) else (f.getvalue(), f.name) for f in files]
    errors: list = []
    try:
        reports = load_assessment(inputs, engine=engine, user=viewer.username, dry_run=dry_run,
                                  approved_only=approved_only)
    except AssessmentRefused as exc:
        reports, errors = exc.reports, exc.errors
    subs = pd.DataFrame([{"municipality_code": s.municipality_code, "municipality": s.municipality,
                          "period": s.period, "submission": s.uuid, "submitted_at": s.submitted_at,
                          "new": s.new, "changed": s.changed, "unchanged": s.unchanged,
                          "priorities": s.priorities, "initiatives": s.initiatives}
                         for r in reports for s in r.submissions], columns=PREVIEW_COLUMNS)
    skipped = pd.DataFrame([{"file": k.file, "row": k.row, "uuid": k.uuid, "reason": k.reason}
                            for r in reports for k in r.skipped], columns=SKIPPED_COLUMNS)
    return SurveyOutcome(not errors, dry_run, names, subs, skipped, _problems(errors),
                         _problems([w for r in reports for w in r.warnings]),
                         sum(r.inserted for r in reports), sum(r.updated for r in reports),
                         sum(r.unchanged for r in reports))
