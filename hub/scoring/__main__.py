"""``python -m hub.scoring --method METHOD.toml --input WIDE.csv [--output OUT.csv]``.

Reads one row per unit and one column per indicator; writes the unit column, one column per
dimension, ``score``, ``rank``, ``coverage`` and ``flagged`` as CSV (stdout by default).
A bad method or input prints ``error: ...`` to stderr and exits with status 2.
"""
from __future__ import annotations

import argparse
import sys

import pandas as pd

from hub.scoring.engine import score_frame
from hub.scoring.methodology import MethodologyError, load_methodology


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hub.scoring",
                                     description="Score a wide CSV with a methodology TOML.")
    parser.add_argument("--method", required=True, help="methodology TOML file")
    parser.add_argument("--input", required=True, help="wide CSV: one row per unit")
    parser.add_argument("--output", help="CSV to write (default: stdout)")
    args = parser.parse_args(argv)
    try:
        method = load_methodology(args.method)
        try:
            frame = pd.read_csv(args.input, dtype={method.unit_column: str})
        except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise MethodologyError(f"cannot read input {args.input}: {exc}") from None
        if method.unit_column not in frame.columns:
            raise MethodologyError(f"the input lacks the unit column {method.unit_column!r}")
        if frame[method.unit_column].duplicated().any():
            raise MethodologyError(f"the unit column {method.unit_column!r} repeats a unit")
        table = score_frame(frame, method).table()
    except MethodologyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    table.to_csv(args.output or sys.stdout, index=False, float_format="%.6f")
    return 0


if __name__ == "__main__":
    sys.exit(main())
