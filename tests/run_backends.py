"""``make test``: the whole suite on SQLite, then again on a throw-away PostgreSQL server.

    python -m tests.run_backends [--backends sqlite,postgresql] [-- PYTEST_ARGS...]

Each pass is its own pytest process (PostgreSQL: under ``tests.pg_server.running()``, which
stops the server even when the pass fails). Prints each pass's counts and wall time at the end;
the exit status is non-zero when any pass failed.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time

from tests.pg_server import ENV, running

SUMMARY = re.compile(r"\b\d+ (passed|failed|error|errors|skipped)\b")


def _pass(label: str, pytest_args: list[str], env: dict[str, str]) -> tuple[int, str, float]:
    print(f"\n=== {label} ===", flush=True)
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "pytest", *pytest_args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    summary = "no summary (pytest did not finish)"
    for line in proc.stdout:
        sys.stdout.write(line)
        if SUMMARY.search(line):
            summary = line.strip().strip("=").strip()
    return proc.wait(), summary, time.monotonic() - t0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    pytest_args = argv[argv.index("--") + 1:] if "--" in argv else ["-q"]
    ap = argparse.ArgumentParser()
    ap.add_argument("--backends", default=os.environ.get("TEST_BACKENDS", "sqlite,postgresql"))
    opts = ap.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    results = []
    for backend in [b.strip() for b in opts.backends.replace(" ", ",").split(",") if b.strip()]:
        env = {k: v for k, v in os.environ.items() if k not in (ENV, "DATABASE_URL")}
        if backend == "sqlite":
            results.append(("SQLite", *_pass("SQLite", pytest_args, env)))
        elif backend == "postgresql":
            with running() as url:
                env[ENV] = url
                results.append(("PostgreSQL", *_pass(f"PostgreSQL ({url})", pytest_args, env)))
        else:
            raise SystemExit(f"unknown backend {backend!r} (sqlite, postgresql)")
    print("\n=== test passes ===")
    passed = failed = 0
    for label, code, summary, seconds in results:
        print(f"{label:<11} {'ok    ' if code == 0 else 'FAILED'} {summary}  (wall {seconds / 60:.1f} min)")
        counts = re.findall(r"(\d+) (passed|failed|errors?)\b", summary)
        passed += sum(int(n) for n, word in counts if word == "passed")
        bad = sum(int(n) for n, word in counts if word != "passed")
        failed += bad or (1 if code else 0)     # a pass that failed without counts (e.g. a crash) counts once
    if results:   # one closing line over both passes
        print(f"{passed} passed, {failed} failed")
    return max((code for _, code, _, _ in results), default=0)


if __name__ == "__main__":
    sys.exit(main())
