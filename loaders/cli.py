"""``python -m loaders``: load files, build the demo database, or hand over to the boundary loader."""
from __future__ import annotations

import argparse
import sys

from loaders.errors import LoadRefused
from loaders.registry import DATASETS

USAGE = """usage:
  python -m loaders <dataset> <file> [<file> ...] [--sheet S] [--user U] [--database-url URL]
  python -m loaders demo [--rebuild] [--database-url URL]   the demo, only into an empty store
  python -m loaders prepare [--database-url URL]   what `make run` does: the demo into an empty
                                          store; a store holding data is left as it is (stale
                                          scores are repaired)
  python -m loaders rescore [--database-url URL]   recompute every score (e.g. after editing
                                          data/methodology.toml)
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
    from loaders.core import rescore
    why = rescore(engine)          # first, scores a crashed load left stale (even if every file is refused)
    if why:
        print(f"warning: {why}", file=sys.stderr)
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
                                description="Build the demo database from data/demo/ in DATABASE_URL (default "
                                            "data/hub.db), only when that store is empty; a store holding any "
                                            "other data is never touched.")
    p.add_argument("--database-url")
    p.add_argument("--source-dir", help="folder with the demo CSV files (default data/demo)")
    p.add_argument("--rebuild", action="store_true",
                   help="empty a store the demo created and build it again (`make demo`)")
    args = p.parse_args(argv)
    from loaders.demo import DemoRefused, build_demo, clear_demo_store
    try:
        if args.rebuild:
            clear_demo_store(_engine(args.database_url))
        build_demo(args.database_url, source_dir=args.source_dir, verbose=True)
    except DemoRefused as exc:
        print(f"demo: refused: {exc}", file=sys.stderr)
        return 1
    except LoadRefused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"demo: {exc}", file=sys.stderr)
        return 1
    return 0


def _repair(engine) -> int:
    """Rescore the periods a crashed load left stale, saying so."""
    from hub.scoring.store import rescore_stale
    done = rescore_stale(engine)
    if done is not None:
        print(f"stale scores repaired: {done}", file=sys.stderr)
    return 0


def _prepare(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m loaders prepare",
                                description="Make the store ready to serve (`make run`): an empty store gets the "
                                            "demo; a store holding data is left as it is (accounts and rows "
                                            "untouched), only scores a crashed load left stale are recomputed. "
                                            "Safe to run any number of times.")
    p.add_argument("--database-url")
    args = p.parse_args(argv)
    from loaders.demo import build_demo, store_status
    engine = _engine(args.database_url)
    status = store_status(engine)
    where = engine.url.render_as_string(hide_password=True)
    if status in ("empty", "building"):
        print(f"{where}: {'empty' if status == 'empty' else 'unfinished demo build'}: building the demo",
              file=sys.stderr)
        return _demo(["--database-url", args.database_url] if args.database_url else [])
    print(f"{where}: {'the demo store' if status == 'demo' else 'holds data'}: left as it is", file=sys.stderr)
    return _repair(engine)


def _rescore(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m loaders rescore",
                                description="Recompute every stored score from the stored inputs and "
                                            "data/methodology.toml (or $METHODOLOGY_PATH).")
    p.add_argument("--database-url")
    p.add_argument("--stale", action="store_true", help="only the periods loads left stale (none: nothing)")
    args = p.parse_args(argv)
    import time

    from hub.scoring.methodology import MethodologyError
    from hub.scoring.store import rescore
    engine = _engine(args.database_url)
    t0 = time.perf_counter()
    try:
        done = rescore(engine, stale_only=args.stale)
    except MethodologyError as exc:
        print(f"rescore: {exc}", file=sys.stderr)
        return 1
    print(f"{done or 'no stale scores: nothing to do'} in {time.perf_counter() - t0:.1f} s")
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
    if cmd == "prepare":
        return _prepare(argv[1:])
    if cmd == "rescore":
        return _rescore(argv[1:])
    if cmd not in DATASETS:
        print(f"unknown dataset or command {cmd!r}\n\n{_help()}", file=sys.stderr)
        return 2
    return _load(argv)
