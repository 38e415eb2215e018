"""The PostgreSQL column of ``make bench``: the same store, loaders, pages and rescore on a real
PostgreSQL server started like the tests start theirs (``tests/pg_server.py``: a throw-away
server in a temporary directory, durability off, as for the tests; a production server with
fsync on writes slower).

``python -m bench.postgres CSV_DIR [RUNS]`` measures one generated data set alone (prints JSON).
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parent.parent


def _admin(admin_url: str):
    return create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _create(admin, admin_url: str, name: str, template: str | None = None) -> str:
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _loader_rps(admin, admin_url: str, table: str, csv_path: Path, runs: int) -> dict:
    from hub.db import get_engine
    from loaders import load_file
    n = sum(1 for _ in csv_path.open(encoding="utf-8")) - 1
    times = []
    for i in range(runs):
        url = _create(admin, admin_url, f"bench_load_{i}", template="bench")
        engine = get_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f"DELETE FROM {table}"))
        t0 = time.perf_counter()
        load_file(table, csv_path, engine=engine, user="bench", rescore_after=False)
        times.append(time.perf_counter() - t0)
        engine.dispose()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE "bench_load_{i}" WITH (FORCE)'))
    return {"rows": n, "loader_rps": n / statistics.median(times)}


def measure(csv_dir: Path, runs: int = 3) -> dict:
    """Build, loaders, pages and full rescore on PostgreSQL for the data set in ``csv_dir``."""
    from hub.db import get_engine
    from hub.scoring.store import rescore
    from loaders.demo import build_demo
    from tests.pg_server import running

    out: dict = {}
    with running() as admin_url:
        admin = _admin(admin_url)
        with admin.connect() as c:
            out["server"] = c.execute(text("SHOW server_version")).scalar().split()[0]
        url = _create(admin, admin_url, "bench")
        t0 = time.perf_counter()
        build_demo(url, source_dir=csv_dir)
        out["build_s"] = time.perf_counter() - t0
        engine = get_engine(url)
        with engine.connect() as c:
            out["size_mb"] = c.execute(text("SELECT pg_database_size(current_database())")).scalar() / 1e6
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            rescore(engine)
            times.append(time.perf_counter() - t0)
        out["rescore_s"] = statistics.median(times)
        engine.dispose()   # a template must have no connections
        out["loaders"] = {t: _loader_rps(admin, admin_url, t, csv_dir / f"{t}.csv", runs)
                          for t in ("indicator_values", "disbursements")}
        res = subprocess.run([sys.executable, "-m", "bench.pages", url, str(runs)], cwd=ROOT,
                             capture_output=True, text=True, timeout=3600)
        if res.returncode:
            raise RuntimeError(res.stderr[-2000:])
        out["pages"] = json.loads(res.stdout.strip().splitlines()[-1])
        admin.dispose()
    return out


def table_lines(scale: int, sqlite: dict, pg: dict) -> list[str]:
    """The 'PostgreSQL beside SQLite' section of bench/results.md."""
    def both(a, b, fmt):
        return f"| {fmt(a) if a is not None else '—'} | {fmt(b) if b is not None else '—'} |"
    s, p = sqlite, pg
    lines = ["", f"## PostgreSQL beside SQLite ({scale}×)", "",
             f"Same generated data, same code; PostgreSQL {p.get('server', '')} started by `tests/pg_server.py` "
             "(TCP on 127.0.0.1, durability off as in the tests).", "",
             "| measure | SQLite | PostgreSQL |", "|---|---|---|",
             "| build through the loaders incl. scoring (s) " + both(s.get("build_s"), p["build_s"], "{:.1f}".format),
             "| store size (MB) " + both(s.get("size_mb"), p["size_mb"], "{:.1f}".format)]
    for t, r in p["loaders"].items():
        lines.append(f"| loader {t} ({r['rows']:,} rows), rows/s "
                     + both(s.get("loaders", {}).get(t), r["loader_rps"], "{:,.0f}".format))
    lines.append("| full rescore (every period, Monte Carlo, priorities, written back) (s) "
                 + both(s.get("rescore_s"), p["rescore_s"], "{:.2f}".format))
    for page, r in p["pages"].items():
        sp = s.get("pages", {}).get(page)
        cell = lambda x: f"{x['cold']:.2f} / {x['warm']:.2f}" + (" (error)" if x.get("error") else "")  # noqa: E731
        lines.append(f"| page {page}, cold / warm (s) | {cell(sp) if sp else '—'} | {cell(r)} |")
    return lines


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 3)))
