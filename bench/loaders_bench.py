"""Loader throughput beside a bare sqlite3 executemany of the same rows into the same table."""
from __future__ import annotations

import csv
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path


def _fresh_copy(db: Path, table: str, tmp: Path) -> Path:
    """A copy of ``db`` with ``table`` emptied (checkpointed first so the copy is complete)."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    work = tmp / f"work-{table}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    shutil.copy(db, work)
    con = sqlite3.connect(work)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute(f"DELETE FROM {table}")
    con.commit()
    con.execute("VACUUM")
    con.close()
    return work


def _loader_once(db: Path, table: str, csv_path: Path, tmp: Path) -> float:
    from hub.db import get_engine
    from loaders import load_file

    work = _fresh_copy(db, table, tmp)
    engine = get_engine(f"sqlite:///{work}")
    t0 = time.perf_counter()
    load_file(table, csv_path, engine=engine, user="bench", rescore_after=False)
    dt = time.perf_counter() - t0
    engine.dispose()
    return dt


def _baseline_once(db: Path, table: str, csv_path: Path, tmp: Path) -> float:
    work = _fresh_copy(db, table, tmp)
    with csv_path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [tuple(None if v == "" else v for v in r) for r in reader]
    con = sqlite3.connect(work)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    sql = f"INSERT INTO {table} ({', '.join(header)}) VALUES ({', '.join('?' * len(header))})"
    t0 = time.perf_counter()
    con.executemany(sql, rows)
    con.commit()
    dt = time.perf_counter() - t0
    con.close()
    return dt


def throughput(db: Path, csv_dir: Path, table: str, runs: int = 3) -> dict:
    csv_path = csv_dir / f"{table}.csv"
    n = sum(1 for _ in csv_path.open(encoding="utf-8")) - 1
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        loader = statistics.median(_loader_once(db, table, csv_path, tmp) for _ in range(runs))
        base = statistics.median(_baseline_once(db, table, csv_path, tmp) for _ in range(runs))
    return {"rows": n, "loader_rps": n / loader, "baseline_rps": n / base, "ratio": base / loader}
