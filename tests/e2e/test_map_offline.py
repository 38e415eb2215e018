"""The regional map draws in a real headless Chromium, and the browser asks nothing of any host but
the app's own (no CDN for Leaflet, no tile server, no usage statistics).

Target: ``tests/e2e/map_app.py`` (the map through ``ui.map.show_map``) served by ``streamlit run``.
``assert_map_draws_offline(page, url)`` is written so that the overview page can be pointed at it
once the cookie sign-in lands.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from hub import assets

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError("streamlit did not become healthy")


@pytest.fixture(scope="module")
def map_server(tmp_path_factory):
    """``streamlit run`` on a copy of map_app.py whose folder holds ``static`` -> the repo's static/
    (Streamlit serves ``static/`` beside the main script); cwd is the repo so its config applies."""
    assets.install()
    app_dir = tmp_path_factory.mktemp("mapapp")
    shutil.copyfile(ROOT / "tests" / "e2e" / "map_app.py", app_dir / "map_app.py")
    (app_dir / "map_app.py").write_text(
        (app_dir / "map_app.py").read_text(encoding="utf-8").replace(
            "Path(__file__).resolve().parents[2]", repr(str(ROOT))), encoding="utf-8")
    (app_dir / "static").symlink_to(ROOT / "static", target_is_directory=True)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KOSOVO_DESIGNATION": "asterisk"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app_dir / "map_app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.enableStaticServing", "true"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def assert_map_draws_offline(page, url: str, screenshot: Path, min_paths: int = 100) -> int:
    """Open ``url``, wait for the folium map inside its iframe, check its SVG paths (choropleth,
    outlines, city circles), the legend, and that every request went to the app's own host.
    Returns the number of SVG paths drawn."""
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.goto(url, wait_until="domcontentloaded")
    frame = None
    deadline = time.time() + 60
    while time.time() < deadline and frame is None:
        for f in page.frames:
            if f is not page.main_frame and f.locator("path.leaflet-interactive").count() > 0:
                frame = f
                break
        else:
            page.wait_for_timeout(500)
    assert frame is not None, f"no Leaflet paths in any iframe; requests: {requests[:20]}"
    page.wait_for_timeout(1500)          # let the last layers and the legend settle
    paths = frame.locator("path.leaflet-interactive").count()
    assert paths >= min_paths
    fills = {frame.locator("path.leaflet-interactive").nth(i).get_attribute("fill") for i in range(0, paths, 7)}
    assert len(fills - {"none", None}) >= 3, fills      # a choropleth, not one flat colour
    assert frame.locator(".hub-legend").count() == 1
    assert frame.evaluate("typeof L !== 'undefined' && L.version") == "1.9.4"
    page.screenshot(path=str(screenshot), full_page=True)
    foreign = sorted({u for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
                      and urlparse(u).hostname not in LOCAL_HOSTS})
    assert not foreign, f"requests beyond localhost: {foreign}"
    assert any("/app/static/vendor/leaflet/leaflet.js" in u for u in requests)
    return paths


def test_map_draws_with_no_network_beyond_localhost(map_server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1300, "height": 1100})
    shot = Path(os.environ.get("MAP_SCREENSHOT", tmp_path / "map.png"))
    paths = assert_map_draws_offline(page, map_server + "/", shot)
    # 186 units + 6 outlines + 7 city circles
    assert paths >= 186 + 7
    assert shot.stat().st_size > 20_000
    page.close()
