"""Build the demo database from the files in ``data/demo/`` through the same loaders users use.

``python -m loaders demo`` (or ``make demo``) builds ``data/hub.db`` or ``--database-url`` /
``DATABASE_URL``. The store is marked ``Setting(demo=1)`` so every page shows its demo notice,
and the demo accounts get the demo-only passwords (``User.demo_password = True``).
"""
from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from loaders.core import load_file
from loaders.registry import DATASETS

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"

# Demo-only passwords (documented in the README); real deployments never load these.
DEMO_PASSWORDS = {
    "hub.admin": "hub-demo-2026",
    "donor.demo": "donor-demo-2026",
    "mayor.kumanovo": "mayor-demo-2026",
    "mayor.cair": "mayor-demo-2026",
    "mayor.tuzla": "mayor-demo-2026",
}


def hash_demo_passwords() -> dict[str, str]:
    """argon2 hash of each distinct demo password (hashing is slow on purpose: once per password)."""
    from hub.access import hash_password
    return {pw: hash_password(pw) for pw in set(DEMO_PASSWORDS.values())}


def set_demo_passwords(engine, hashes: dict[str, str] | None = None) -> int:
    """Give the demo accounts that exist their demo passwords. Returns how many were set."""
    from sqlalchemy import update

    from hub.models import User

    hashes = hashes or hash_demo_passwords()
    n = 0
    with engine.begin() as conn:
        for username, password in DEMO_PASSWORDS.items():
            n += conn.execute(update(User.__table__).where(User.__table__.c.username == username)
                              .values(password_hash=hashes[password], demo_password=True)).rowcount
    return n


def mark_demo(engine) -> None:
    from sqlmodel import Session

    from hub.models import Setting
    with Session(engine) as s:
        s.merge(Setting(key="demo", value="1"))
        s.commit()


def build_demo(url: str | None = None, *, source_dir: str | Path | None = None, verbose: bool = False) -> None:
    """Load every ``<dataset>.csv`` found in ``source_dir`` (default ``data/demo/``) in dependency order,
    mark the store as demo, compute the scores once, and set the demo passwords (hashed meanwhile)."""
    from hub.db import get_engine

    src = Path(source_dir) if source_dir else DEMO_DIR
    files = {name: src / f"{name}.csv" for name in DATASETS if (src / f"{name}.csv").exists()}
    if "municipalities" not in files:
        raise FileNotFoundError(f"no demo files in {src} (municipalities.csv is missing)")
    engine = get_engine(url)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=1) as pool:
        hashing = pool.submit(hash_demo_passwords)  # argon2 releases the GIL: hash while the files load
        for name, path in files.items():
            report = load_file(name, path, engine=engine, user="demo", rescore_after=False)
            if verbose:
                print(str(report), file=sys.stderr)
                for w in report.warnings:
                    print(f"warning: {w}", file=sys.stderr)
        mark_demo(engine)
        from hub.scoring.store import rescore
        rescore(engine)  # once, after everything landed; a failure here fails the build
        set_demo_passwords(engine, hashing.result())
    if verbose:
        print(f"demo database ready in {time.perf_counter() - t0:.1f} s: {engine.url}", file=sys.stderr)
