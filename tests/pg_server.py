"""A throw-away PostgreSQL server for the tests and the benchmarks (no service assumed).

    python -m tests.pg_server run -- CMD [ARG ...]

starts a server from Debian's ``postgresql`` binaries (``make postgresql`` installs them) in a
temporary data directory (in /dev/shm when there is one) on a free local port, runs CMD with ``HUB_TEST_DATABASE_URL`` set to
its maintenance database (``postgresql+psycopg://postgres@127.0.0.1:PORT/postgres``), then stops
the server and removes the directory, also when CMD fails; CMD's exit status is returned.
As root (CI) the server runs as the ``postgres`` user, as ``initdb`` refuses root.
Durability is switched off (fsync, full-page writes): the data dies with the run anyway.
"""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.streamlit_server import free_port

ENV = "HUB_TEST_DATABASE_URL"


def bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: [int(x) for x in Path(p).parts[-3].split(".") if x.isdigit()])
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise SystemExit("PostgreSQL binaries not found: run `make postgresql` (Debian's postgresql package)")


def _as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@contextlib.contextmanager
def running():
    """Start a temporary server; yield its maintenance-database URL; stop and clean up after."""
    bins = bindir()
    shm = Path("/dev/shm")   # in memory when the machine has it: tests create many databases
    root = Path(tempfile.mkdtemp(prefix="hub-pg-", dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None))
    data, log = root / "data", root / "server.log"
    if os.geteuid() == 0:
        import pwd
        pw = pwd.getpwnam("postgres")
        os.chown(root, pw.pw_uid, pw.pw_gid)
    started = False
    try:
        subprocess.run(_as_owner([str(bins / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]),
                       check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        opts = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                f"-c full_page_writes=off -c max_connections=300")
        subprocess.run(_as_owner([str(bins / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(log), "-w",
                                  "start"]), check=True, stdout=subprocess.DEVNULL)
        started = True
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        if started:
            subprocess.run(_as_owner([str(bins / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                           stdout=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] != "run" or "--" not in argv or argv.index("--") == len(argv) - 1:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = argv[argv.index("--") + 1:]
    with running() as url:
        print(f"PostgreSQL test server: {url}", file=sys.stderr)
        return subprocess.call(cmd, env=dict(os.environ, **{ENV: url}))


if __name__ == "__main__":
    sys.exit(main())
