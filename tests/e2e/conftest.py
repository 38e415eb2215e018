"""Shared browser fixtures: the real server (``streamlit run serve.py``) and headless Chromium.

Stable API (other e2e tests rely on it):

- ``e2e_db_url`` (session): the demo store (``demo_url`` of tests/conftest.py: SQLite or
  PostgreSQL, whichever the run uses).
- ``hub_server`` (session): a ``HubServer`` (``.url`` like ``http://127.0.0.1:PORT``,
  ``.db_url``, ``.log()``) running ``streamlit run serve.py`` on a free port against
  ``e2e_db_url``; shared by the whole session.
- ``start_hub_server`` (function): a factory ``start_hub_server(db_url=None, secret=None) -> HubServer``
  for a freshly started server of its own (e.g. deep links on a server nobody has opened);
  stopped after the test. Servers given the same ``secret`` (``HUB_SECRET_KEY``) and store
  are replicas of one app: a browser signed in on one is signed in on the other.
- ``browser`` (session): Playwright Chromium from ``/usr/bin/chromium`` (``CHROMIUM_ARGS``).
- ``page`` (function): a new page in a fresh browser context (no cookies), closed afterwards.
- ``sign_in`` (function): ``sign_in(page, base_url, username, password=None, next="/", lang=None)``
  fills ``/signin`` like a person would and waits for the app; the password defaults to the
  demo password of that account (``DEMO_PASSWORDS``).
- ``wait_for_app(page)``: wait until Streamlit has rendered (the app container is there and
  the "running" indicator is gone).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.streamlit_server import StreamlitServer, start

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DEMO_PASSWORDS = {
    "hub.admin": "hub-demo-2026", "donor.demo": "donor-demo-2026", "mayor.kumanovo": "mayor-demo-2026",
    "mayor.cair": "mayor-demo-2026", "mayor.tuzla": "mayor-demo-2026",
}
@dataclass
class HubServer(StreamlitServer):
    db_url: str = ""


def launch(db_url: str, log_dir: Path, secret: str | None = None) -> HubServer:
    """Start ``streamlit run serve.py`` on a free port against ``db_url`` and wait for its health check."""
    env = {"DATABASE_URL": db_url, **({"HUB_SECRET_KEY": secret} if secret else {})}
    s = start("serve.py", env=env, log_dir=log_dir)
    return HubServer(s.url, s.proc, s.log_path, db_url)


@pytest.fixture(scope="session")
def e2e_db_url(demo_url) -> str:
    return demo_url


@pytest.fixture(scope="session")
def hub_server(e2e_db_url, tmp_path_factory):
    server = launch(e2e_db_url, tmp_path_factory.mktemp("server"))
    yield server
    server.stop()


@pytest.fixture
def start_hub_server(e2e_db_url, tmp_path):
    started: list[HubServer] = []

    def start(db_url: str | None = None, secret: str | None = None) -> HubServer:
        server = launch(db_url or e2e_db_url, tmp_path, secret)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium`")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(90_000)
    pg = context.new_page()
    yield pg
    context.close()


def wait_for_app(page, timeout: float = 120_000) -> None:
    """Wait until the Streamlit app has rendered and finished running, and every element is drawn:
    Streamlit shows a placeholder (``stSkeleton``) until the code of a table, chart, picker or metric
    has loaded, which can be after the run has ended (checks would miss what is not drawn yet)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    # app.py draws the language selector in the sidebar on every run, before the page itself
    page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stSelectbox"]', timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"], [data-testid=\"stSkeleton\"]')",
        timeout=timeout)


def open_each_tab(page, timeout: float = 120_000, only=None):
    """Click each tab of the page's tab set in turn (``ui.tabs`` runs only the open tab, so its content
    reaches the browser only then), waiting for the tab's content and the run's end; yields the label.
    ``only(i)`` picks the tabs (by position) to open."""
    tabs = page.locator('[data-testid="stMain"] [role="tab"]')
    for i in range(tabs.count()):
        if only is not None and not only(i):
            continue
        label = tabs.nth(i).inner_text().strip()
        tabs.nth(i).click()
        page.wait_for_function(
            """() => { const p = document.querySelector('[data-testid="stMain"] [role="tabpanel"]:not([hidden])');
                       return p && p.querySelector('[data-testid="stElementContainer"]'); }""",
            timeout=timeout)
        wait_for_app(page, timeout)
        yield label


# Inside a st_folium frame: Leaflet's vector layers (areas, outlines, city circles) as drawn on the
# map's canvas (prefer_canvas: one canvas, no SVG path per shape), read through Leaflet itself.
VECTOR_LAYERS = """() => {
  const m = window.map; if (!m) return null;
  const out = [];
  m.eachLayer(l => { if (l._renderer && (l._parts || l._point)) out.push({
    fill: l.options.fill === false ? null : (l.options.fillColor || l.options.color || null),
    interactive: l.options.interactive !== false, circle: l._radius !== undefined}); });
  return out;
}"""
# Click the last city circle drawn (on top) where it is, as a person would: a click on the canvas at
# the circle's centre, which Leaflet's canvas renderer hit-tests into the layer's click.
CLICK_LAST_CIRCLE = """() => {
  const m = window.map; let last = null;
  m.eachLayer(l => { if (l._radius !== undefined && l.options.interactive !== false) last = l; });
  const p = m.latLngToContainerPoint(last.getLatLng()), r = m.getContainer().getBoundingClientRect();
  const x = r.x + p.x, y = r.y + p.y, target = document.elementFromPoint(x, y);
  for (const type of ["mousedown", "mouseup", "click"])
    target.dispatchEvent(new MouseEvent(type, {bubbles: true, cancelable: true, clientX: x, clientY: y}));
  return target.tagName;
}"""


def map_frames(page) -> list:
    """The frames holding a Leaflet map that has drawn its vector layers."""
    found = []
    for f in page.frames:
        if f is page.main_frame:
            continue
        try:
            layers = f.evaluate(VECTOR_LAYERS)
        except Exception:
            continue
        if layers:
            found.append(f)
    return found


def fill_sign_in(page, base_url: str, username: str, password: str | None = None, next: str = "/",
                 lang: str | None = None) -> None:
    params = {"next": next}
    if lang:
        params["lang"] = lang
    page.goto(f"{base_url}/signin?{urlencode(params)}")
    page.fill("#username", username)
    page.fill("#password", password if password is not None else DEMO_PASSWORDS[username])
    page.click("button[type=submit]")


@pytest.fixture
def sign_in():
    def _sign_in(page, base_url: str, username: str, password: str | None = None, next: str = "/",
                 lang: str | None = None):
        fill_sign_in(page, base_url, username, password, next, lang)
        page.wait_for_url(lambda u: "/signin" not in u)
        wait_for_app(page)
        return page
    return _sign_in
