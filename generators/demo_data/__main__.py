"""``python -m generators.demo_data [--out DIR]``: write the demo CSV files (default ``data/demo/``)."""
from __future__ import annotations

import argparse
from pathlib import Path

from generators.demo_data.files import OUT_DIR, generate
from hub.cli import run


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m generators.demo_data",
                                description="Write the demo CSV files (seeded: the same bytes on every run). "
                                            "Needs the build-only dependencies of requirements-build.txt.")
    p.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (default data/demo)")
    args = p.parse_args(argv)
    for fname, n in generate(args.out).items():
        print(f"{fname}: {n} rows")
    return 0


run(main)
