"""The Data page's upload handler, kept out of the page so it can be tested without a browser.

A file goes through the same loaders as ``python -m loaders``: all of it lands, or (refused)
nothing is written and every problem comes back as a row of a table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hub.access import Viewer

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


def _problems(items) -> pd.DataFrame:
    return pd.DataFrame([{"file": e.file, "row": e.row, "column": e.column, "problem": e.problem} for e in items],
                        columns=ERROR_COLUMNS)


def handle_upload(viewer: Viewer, dataset: str, data, *, file_name: str, sheet: str | None = None,
                  engine=None) -> UploadOutcome:
    """Load ``data`` (bytes, a path or an uploaded file) into ``dataset`` as ``viewer``.

    Only hub management may load; anyone else is refused without touching the store.
    """
    from loaders import DATASETS, LoadRefused, load_file
    if not viewer.is_hub:
        return UploadOutcome(False, dataset, file_name,
                             errors=pd.DataFrame([{"file": file_name, "row": None, "column": None,
                                                   "problem": "only hub management may load data"}]))
    if dataset not in DATASETS:
        return UploadOutcome(False, dataset, file_name,
                             errors=pd.DataFrame([{"file": file_name, "row": None, "column": None,
                                                   "problem": f"unknown dataset {dataset!r}"}]))
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
    from loaders import get_spec
    return (",".join(get_spec(dataset).column_names) + "\n").encode("utf-8")
