"""Start ``streamlit run <script>`` on a free local port and wait for its health check.

One launcher for everything that needs a real server: the browser tests (tests/e2e), the map's
offline test and the browser benchmark (bench/browser.py). Also the one ``free_port()``.
"""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str, timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


@dataclass
class StreamlitServer:
    url: str
    proc: subprocess.Popen = field(repr=False)
    log_path: Path = field(repr=False)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start(script: str | Path, *, env: dict[str, str] | None = None, log_dir: Path | None = None,
          args: tuple[str, ...] = (), timeout: float = STARTUP_TIMEOUT) -> StreamlitServer:
    """``streamlit run script`` from the repository root (its .streamlit/config.toml applies), with
    ``env`` over this process's environment and a fresh ``HUB_SECRET_KEY`` unless ``env`` gives one.
    The server's output goes to ``<log_dir>/server-<port>.log``; a server that exits or stays silent
    raises with that log."""
    port = free_port()
    full_env = {**os.environ, "HUB_SECRET_KEY": secrets.token_urlsafe(32),
                "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **(env or {})}
    log_path = Path(log_dir or tempfile.gettempdir()) / f"server-{port}.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             # no file watching: an edit during a run would show Streamlit's "source changed" notice,
             # which every later wait for the app to settle would wait on until it timed out
             "--server.fileWatcherType", "none", *args],
            cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    server = StreamlitServer(f"http://127.0.0.1:{port}", proc, log_path)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{script} exited early with {proc.returncode}:\n{server.log()}")
        if healthy(server.url):
            return server
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{script} did not answer within {timeout:.0f} s:\n{server.log()}")
