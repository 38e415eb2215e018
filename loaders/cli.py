"""``python -m loaders``: load files, build the demo database, or hand over to the boundary loader."""
from __future__ import annotations

import argparse
import sys

from loaders.errors import LoadRefused
from loaders.registry import DATASETS

USAGE = """usage:
  python -m loaders <dataset> <file> [<file> ...] [--sheet S] [--user U] [--database-url URL]
  python -m loaders demo [--database-url URL]
  python -m loaders boundaries ...        (see python -m loaders boundaries --help)
  python -m loaders assessment-form --out FILE.xlsx [--catalogue CSV]   (the XLSForm for Kobo/ODK)
  python -m loaders assessment <export> [<export> ...] [--dry-run] [--include-unapproved]
                                          (Kobo XLSX/CSV or ODK CSV submissions of that form)

Files: CSV (UTF-8, comma or semicolon separated) or .xlsx (first sheet, or --sheet).
Each file is checked in full before anything is written; a refused file writes nothing.
Exit code 0 when every file loaded, 1 when any was refused. Documentation: docs/data.md.
"""


def describe_datasets() -> str:
    lines = ["datasets (key columns marked *, required values marked !):"]
    for spec in DATASETS.values():
        lines.append(f"\n  {spec.name}: {spec.description}")
        for c in spec.columns:
            mark = "*" if c.name in spec.key else ("!" if c.required else " ")
            extra = f" [{', '.join(c.choices)}]" if c.choices else ""
            lines.append(f"    {mark} {c.name:<18} {c.type_label:<12} {c.description}{extra}")
    return "\n".join(lines)


def _help() -> str:
    return USAGE + "\n" + describe_datasets() + "\n"


def _engine(url: str | None):
    from hub.db import get_engine
    return get_engine(url) if url else get_engine()


def _load(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m loaders <dataset>", add_help=True)
    p.add_argument("dataset", choices=list(DATASETS))
    p.add_argument("files", nargs="+")
    p.add_argument("--sheet")
    p.add_argument("--user")
    p.add_argument("--database-url")
    args = p.parse_args(argv)
    from loaders.core import load_file
    engine = _engine(args.database_url)
    failed = 0
    for f in args.files:
        try:
            report = load_file(args.dataset, f, engine=engine, user=args.user, sheet=args.sheet, progress=True)
        except LoadRefused as exc:
            failed += 1
            print(f"{exc.file}: REFUSED, nothing written ({len(exc.errors)} problem"
                  f"{'s' if len(exc.errors) != 1 else ''}):", file=sys.stderr)
            for e in exc.errors:
                print(str(e), file=sys.stderr)
            continue
        except OSError as exc:
            failed += 1
            print(f"{f}: cannot read the file: {exc.strerror or exc}", file=sys.stderr)
            continue
        for w in report.warnings:
            print(f"warning: {w}", file=sys.stderr)
        print(str(report))
    return 1 if failed else 0


def _demo(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m loaders demo",
                                description="Build the demo database from data/demo/ (default: DATABASE_URL "
                                            "or data/hub.db).")
    p.add_argument("--database-url")
    p.add_argument("--source-dir", help="folder with the demo CSV files (default data/demo)")
    args = p.parse_args(argv)
    from loaders.demo import build_demo
    try:
        build_demo(args.database_url, source_dir=args.source_dir, verbose=True)
    except LoadRefused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"demo: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(_help())
        return 0 if argv else 2
    cmd = argv[0]
    if cmd == "boundaries":
        from loaders import boundaries  # written by the maps work; imported only when asked for
        return boundaries.main(argv[1:]) or 0
    if cmd == "demo":
        return _demo(argv[1:])
    if cmd in ("assessment", "assessment-form"):
        from loaders import assessment
        return (assessment.main if cmd == "assessment" else assessment.form_main)(argv[1:])
    if cmd not in DATASETS:
        print(f"unknown dataset or command {cmd!r}\n\n{_help()}", file=sys.stderr)
        return 2
    return _load(argv)
