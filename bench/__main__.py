"""``make bench``: build the 1x/10x/100x databases, measure, and write bench/results.md.

A benchmark, not a test: it reports medians of several runs and says where a target is missed.
``python -m bench [--scales 1,10,100] [--runs 3]``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from tests.streamlit_server import free_port

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "results.md"

TARGET_WARM, TARGET_COLD, TARGET_MAP, TARGET_RATIO, TARGET_SCORING = 1.0, 3.0, 1_500_000, 1 / 3, 2.0


def _ok(flag: bool) -> str:
    return "ok" if flag else "**missed**"


def build(scale: int) -> tuple[Path, Path, float]:
    from generators.bench_data import generate
    from loaders.demo import build_demo

    csv_dir = generate(scale, OUT / f"x{scale}")
    db = OUT / f"x{scale}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    build_demo(f"sqlite:///{db}", source_dir=csv_dir)
    return db, csv_dir, time.perf_counter() - t0


def pages(db: Path, runs: int) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.pages", f"sqlite:///{db}", str(runs)],
                         cwd=ROOT, capture_output=True, text=True, timeout=3600)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def browser(scales: list[int], rounds: int) -> list[str]:
    """The Browser section (bench/browser.py) at the smallest and largest scale built, in its own process."""
    from bench.browser import CHROMIUM, table
    if not Path(CHROMIUM).exists():
        return ["## Browser", "", f"Not measured: {CHROMIUM} is missing (`make chromium`).", ""]
    want = ",".join(str(k) for k in sorted({min(scales), max(scales)}))
    out = subprocess.run([sys.executable, "-m", "bench.browser", "--scales", want, "--rounds", str(rounds)],
                         cwd=ROOT, capture_output=True, text=True, timeout=4 * 3600)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return table(json.loads(out.stdout.strip().splitlines()[-1])) + [""]


def scoring(db: Path, runs: int, one_period: bool = False) -> float:
    """Median seconds of a full rescore, or (``one_period``) of the rescore a load touching only the
    latest period triggers (bounds unchanged)."""
    from sqlalchemy import func, select

    from hub.db import get_engine
    from hub.models import NeedScore
    from hub.scoring.store import rescore

    engine = get_engine(f"sqlite:///{db}")
    rescore(engine)                                       # stores the basis a partial rescore checks
    with engine.connect() as conn:
        latest = conn.execute(select(func.max(NeedScore.period))).scalar()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        rescore(engine, periods=[latest]) if one_period else rescore(engine)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def startup(runs: int) -> float:
    """Seconds from `make run` to /_stcore/health answering, the demo database already built."""
    subprocess.run(["make", "-s", "store"], cwd=ROOT, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        port = free_port()
        env = dict(os.environ, STREAMLIT_SERVER_PORT=str(port))
        env.pop("DATABASE_URL", None)
        t0 = time.perf_counter()
        proc = subprocess.Popen(["make", "-s", "run"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            while time.perf_counter() - t0 < 120:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                        if r.read().strip() == b"ok":
                            break
                except OSError:
                    time.sleep(0.1)
            times.append(time.perf_counter() - t0)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
    return statistics.median(times)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--scales", default="1,10,100")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--postgresql", action=argparse.BooleanOptionalAction, default=True,
                    help="also measure the largest scale on a throw-away PostgreSQL server (default: on)")
    ap.add_argument("--browser-rounds", type=int, default=5, help="rounds of the browser bench (0: skip it)")
    args = ap.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",")]
    OUT.mkdir(parents=True, exist_ok=True)

    lines = ["# Benchmarks", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"{platform.platform()}. Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. "
             f"Medians of {args.runs} runs. Produced by `make bench`.", ""]
    built = {}
    big_sqlite: dict = {"loaders": {}}   # the largest scale on SQLite, beside PostgreSQL below
    lines += ["## Databases", "", "| scale | build through the loaders incl. scoring (s) | size (MB) |", "|---|---|---|"]
    for k in scales:
        db, csv_dir, secs = build(k)
        built[k] = (db, csv_dir)
        size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))   # with its WAL
        lines.append(f"| {k}× | {secs:.1f} | {size / 1e6:.1f} |")
        big_sqlite.update(build_s=secs, size_mb=size / 1e6)
        print(f"built {k}x in {secs:.1f}s", file=sys.stderr)

    from bench.loaders_bench import throughput
    big = max(scales)
    lines += ["", f"## Loader throughput ({big}×)", "",
              "| dataset | rows | loader rows/s | bare sqlite3 executemany rows/s | loader ÷ baseline | target ≥ 0.33 |",
              "|---|---|---|---|---|---|"]
    for table in ("indicator_values", "disbursements"):
        r = throughput(*built[big], table, runs=args.runs)
        lines.append(f"| {table} | {r['rows']:,} | {r['loader_rps']:,.0f} | {r['baseline_rps']:,.0f} | "
                     f"{r['ratio']:.2f} | {_ok(r['ratio'] >= TARGET_RATIO)} |")
        print(f"loader {table}: {r}", file=sys.stderr)
        big_sqlite["loaders"][table] = r["loader_rps"]

    lines += ["", "## Pages (server-side AppTest run as `hub.admin`)", "",
              "| scale | page | cold (s) | warm (s) | map payload (KB) | largest table (KB) | targets (cold < 3 s, warm < 1 s, map < 1.5 MB) |",
              "|---|---|---|---|---|---|---|"]
    for k in scales:
        res = pages(built[k][0], args.runs)
        big_sqlite["pages"] = res
        for page, r in res.items():
            ok = r["cold"] < TARGET_COLD and r["warm"] < TARGET_WARM and r["map_bytes"] < TARGET_MAP
            note = f" — error: {r['error']}" if r.get("error") else ""
            lines.append(f"| {k}× | {page} | {r['cold']:.2f} | {r['warm']:.2f} | {r['map_bytes'] / 1e3:,.0f} | "
                         f"{r['table_bytes'] / 1e3:,.0f} | {_ok(ok and not note)}{note} |")
        print(f"pages {k}x done", file=sys.stderr)

    if args.browser_rounds:
        lines += [""] + browser(scales, args.browser_rounds)
        print("browser done", file=sys.stderr)

    lines += ["", "## Scoring", "", "| case | seconds | target < 2 s |", "|---|---|---|"]
    try:
        from bench.scoring import run as scoring_synthetic
        s = scoring_synthetic()
        lines.append(f"| engine + 1,000-draw Monte Carlo, 600 municipalities × 40 indicators (one period) | {s:.2f} | {_ok(s < TARGET_SCORING)} |")
    except ImportError:
        pass
    s = scoring(built[big][0], args.runs)
    lines.append(f"| full rescore of the {big}× store (every period, Monte Carlo, priorities, written back) | {s:.2f} | "
                 f"{_ok(s < TARGET_SCORING)} |")
    big_sqlite["rescore_s"] = s
    s = scoring(built[big][0], args.runs, one_period=True)
    lines.append(f"| rescore after a load touching one period of the {big}× store (bounds unchanged) | {s:.2f} | "
                 f"{_ok(s < TARGET_SCORING)} |")

    if args.postgresql:
        from bench import postgres
        pg = postgres.measure(built[big][1], args.runs)
        lines += postgres.table_lines(big, big_sqlite, pg)
        print(f"postgresql {big}x done", file=sys.stderr)

    s = startup(args.runs)
    lines += ["", "## Start-up", "", f"`make run` to `/_stcore/health` answering, demo database built: **{s:.1f} s**.", ""]

    notes = ROOT / "bench" / "notes.md"
    if notes.exists():
        lines += ["## Notes", "", notes.read_text(encoding="utf-8").strip(), ""]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(RESULTS.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
