"""The regional map draws in a real headless Chromium, and the browser asks nothing of any host but
the app's own (no CDN for Leaflet, no tile server, no usage statistics).

Targets: ``tests/e2e/map_app.py`` (the map alone through ``ui.map.show_map``, ``streamlit run``), and
the overview page of the real app (``serve.py``) after a hub sign-in. Browser and server fixtures
come from ``tests/e2e/conftest.py``.
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from hub import assets
from tests.e2e.conftest import CLICK_LAST_CIRCLE, VECTOR_LAYERS, map_frames, wait_for_app
from tests.streamlit_server import start

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


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
    server = start(app_dir / "map_app.py", env={"PYTHONPATH": str(ROOT), "KOSOVO_DESIGNATION": "asterisk"},
                   log_dir=app_dir, args=("--server.enableStaticServing", "true"), timeout=60)
    try:
        yield server.url
    finally:
        server.stop()


def record_requests(page) -> list[str]:
    """Every URL the page asks for from now on (documents, scripts, styles, images, websockets)."""
    seen: list[str] = []
    page.on("request", lambda req: seen.append(req.url))
    page.on("websocket", lambda ws: seen.append(ws.url))
    return seen


def assert_map_draws_offline(page, requests: list[str], screenshot: Path, min_paths: int = 100) -> int:
    """On the page already opened: wait for the folium map inside its iframe, check its vector layers
    (choropleth, outlines, city circles: drawn on one canvas), the legend, and that every request
    (``record_requests``) went to the app's own host. Returns the number of interactive shapes drawn."""
    frame = None
    deadline = time.time() + 150              # a shared 2-core machine can be slow to build a page
    while time.time() < deadline and frame is None:
        frame = next(iter(map_frames(page)), None)
        if frame is None:
            page.wait_for_timeout(500)
    assert frame is not None, f"no Leaflet layers in any iframe; requests: {requests[:20]}"
    page.wait_for_timeout(1500)          # let the last layers and the legend settle
    layers = frame.evaluate(VECTOR_LAYERS)
    shapes = [x for x in layers if x["interactive"]]
    assert len(shapes) >= min_paths
    assert frame.locator(".leaflet-overlay-pane canvas").count() >= 1     # drawn, on a canvas
    fills = {x["fill"] for x in shapes}
    assert len(fills - {"none", None}) >= 3, fills      # a choropleth, not one flat colour
    assert frame.locator(".hub-legend").count() == 1
    assert frame.evaluate("typeof L !== 'undefined' && L.version") == "1.9.4"
    page.screenshot(path=str(screenshot), full_page=True)
    foreign = sorted({u for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
                      and urlparse(u).hostname not in LOCAL_HOSTS})
    assert not foreign, f"requests beyond localhost: {foreign}"
    assert any("/app/static/vendor/leaflet/leaflet.js" in u for u in requests)
    return len(shapes)


def test_map_draws_with_no_network_beyond_localhost(map_server, page, tmp_path):
    shot = Path(os.environ.get("MAP_SCREENSHOT", tmp_path / "map.png"))
    requests = record_requests(page)
    page.goto(map_server + "/", wait_until="domcontentloaded")
    paths = assert_map_draws_offline(page, requests, shot)
    assert paths >= 186 + 7                      # 186 units + 7 city circles (outlines are not interactive)
    assert shot.stat().st_size > 20_000
    # Clicking a city circle (the last one drawn is Podgorica) comes back as its code, in one rerun.
    frame = map_frames(page)[0]
    assert frame.evaluate(CLICK_LAST_CIRCLE) == "CANVAS"
    page.get_by_text("clicked: ME001").wait_for(timeout=30_000)


def test_overview_page_map_draws_with_no_network_beyond_localhost(start_hub_server, page, sign_in, tmp_path):
    # A server of its own, signed in to for the first time: ui.prefetch renders the overview's map in
    # its own thread, outside any page run, before the page shows it (the component then has to be
    # registered by hand, ui.map._streamlit_folium: unregistered, the map's frame stays empty).
    server = start_hub_server()
    shot = Path(os.environ.get("OVERVIEW_SCREENSHOT", tmp_path / "overview.png"))
    requests = record_requests(page)
    sign_in(page, server.url, "hub.admin", next="/")          # the overview is the default page
    assert_map_draws_offline(page, requests, shot, min_paths=186)
    # Clicking a member city's circle (drawn last, on top) opens its profile.
    wait_for_app(page)
    frame = map_frames(page)[0]
    assert frame.evaluate(CLICK_LAST_CIRCLE) == "CANVAS"     # a click on the canvas at the circle's centre
    page.wait_for_url(lambda u: "/city" in u and "city=" in u, timeout=30_000)
