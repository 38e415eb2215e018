"""``make test``: the whole suite on SQLite, then again on a throw-away PostgreSQL server.

    python -m tests.run_backends [--backends sqlite,postgresql] [-- PYTEST_ARGS...]

Each pass runs pytest twice: the unit and AppTest tests on two workers (pytest-xdist; the machine
has two cores), then the browser tests one at a time (separately: Playwright's session browser keeps an event
loop in the main thread that Starlette's TestClient cannot share). The PostgreSQL pass runs every
unit and AppTest test that asks for a database (the others never reach the backend: conftest.py
leaves them to the SQLite pass) and the browser tests marked ``each_backend`` (the ones whose subject is the
store: two replicas on one store, a command-line load seen by a browser, sign-in state, exports);
the browser tests of rendering and escaping read through the same queries, which the unit and
AppTest tests already run on PostgreSQL, and would double a 20-minute budget. PostgreSQL runs under
``tests.pg_server.running()``, which stops the server even when the pass fails. Prints each
pass's counts and wall time and, last, one "N passed, N failed" line; the exit status is non-zero
when any pass failed. PYTEST_ARGS replace the default selection (e.g. one file) in every pass.
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
WORKERS = ["-n", "2", "--dist", "load"]
# Browser tests one at a time: two servers and two Chromiums at once on two cores made page and map
# timings flaky (seen: a map frame not there yet, a late frame of the previous page).
STEPS = {
    "sqlite": [["-q", *WORKERS, "tests/unit", "tests/app"], ["-q", "tests/e2e"]],
    "postgresql": [["-q", *WORKERS, "tests/unit", "tests/app"], ["-q", "-m", "each_backend", "tests/e2e"]],
}


def _run(pytest_args: list[str], env: dict[str, str]) -> tuple[int, str]:
    proc = subprocess.Popen([sys.executable, "-m", "pytest", *pytest_args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    summary = "no summary (pytest did not finish)"
    for line in proc.stdout:
        sys.stdout.write(line)
        if SUMMARY.search(line):
            summary = line.strip().strip("=").strip()
    return proc.wait(), summary


def _pass(label: str, steps: list[list[str]], env: dict[str, str]) -> tuple[int, str, float]:
    print(f"\n=== {label} ===", flush=True)
    t0 = time.monotonic()
    codes, summaries = [], []
    for args in steps:
        code, summary = _run(args, env)
        codes.append(code)
        summaries.append(summary)
    return max(codes), " + ".join(summaries), time.monotonic() - t0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    custom = argv[argv.index("--") + 1:] if "--" in argv else None
    ap = argparse.ArgumentParser()
    ap.add_argument("--backends", default=os.environ.get("TEST_BACKENDS", "sqlite,postgresql"))
    opts = ap.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    results = []
    for backend in [b.strip() for b in opts.backends.replace(" ", ",").split(",") if b.strip()]:
        if backend not in STEPS:
            raise SystemExit(f"unknown backend {backend!r} (sqlite, postgresql)")
        steps = [custom] if custom else STEPS[backend]
        env = {k: v for k, v in os.environ.items() if k not in (ENV, "DATABASE_URL")}
        if backend == "sqlite":
            results.append(("SQLite", *_pass("SQLite", steps, env)))
        else:
            with running() as url:
                env[ENV] = url
                results.append(("PostgreSQL", *_pass(f"PostgreSQL ({url})", steps, env)))
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
