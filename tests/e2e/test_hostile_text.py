"""Hostile names, loaded through the real loaders, are shown as text in a real browser (issue 12).

The store is the demo built by ``loaders.demo.build_demo`` from a copy of ``data/demo/`` whose
municipality names (Latin and local script), regions, event titles, help-desk topics, indicator
names and user display names carry payloads, plus a North Macedonia boundary layer with hostile
feature names loaded by ``python -m loaders boundaries``. One server; signed in as hub, donor and
mayor, every page of the role is opened, every map tooltip and popup is forced open (the area
tooltips of every feature too), a few Plotly points are hovered, and then:

- no payload ran (each sets ``window.top.__pwned``);
- no ``javascript:`` link and no request to a host other than the server's;
- the map drew (Leaflet shapes drawn on its canvas);
- the hostile names appear as literal text (map tooltips, the city header, the ?city= warning).
"""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from hub.access import PAGES_BY_ROLE
from tests.e2e.conftest import ROOT, VECTOR_LAYERS, launch, open_each_tab, wait_for_app

pytestmark = pytest.mark.e2e

PWN = "window.top.__pwned=1"
NAMES = {   # code -> (name, name_local, region)
    "MK001": ("Kumanovo ${" + PWN + "} `tick`", f"Куманово </script><script>{PWN}</script>",
              "**Northeast** <b>x</b> [r](javascript:alert(1))"),
    "MK002": (f'Čair <img src=x onerror="{PWN}">', "Чаир [link](javascript:alert(1))", None),
    "MK003": ("Tetovo ![x](http://evil.example/b.png) $x^2$", "Тетово :red[x] \"q\" 'q' `${1}`", None),
}
PHISH = "[Your session expired - sign in again](https://evil.example/login) ![x](https://evil.example/b.png)"
DISPLAY = {"hub.admin": "Hub ${" + PWN + "} `a` $x^2$", "donor.demo": f'Donor <img src=x onerror="{PWN}">',
           "mayor.kumanovo": "Mayor [link](javascript:alert(1)) :red[x] ![x](http://evil.example/m.png)"}
EVENT_TITLES = [f"</script><script>{PWN}</script>", f'<img src=x onerror="{PWN}"> $x^2$',
                "[link](javascript:alert(1)) ![x](http://evil.example/e.png) `${" + PWN + "}`"]
TOPIC = f'<img src=x onerror="{PWN}"> :red[topic]'
INDICATOR_NAME = "Youth ${" + PWN + "} <b>x</b> [l](javascript:alert(1))"
BOUNDARY_NAMES = [f'<img src=x onerror="{PWN}">', "${" + PWN + "}`", f"</script><script>{PWN}</script>"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def _rewrite(path: Path, change) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    for i, row in enumerate(rows):
        change(i, row)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fields)
        w.writeheader()
        w.writerows(rows)


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory, databases) -> str:
    """A demo store (built by the real loaders) with hostile values; its own file, like ``empty_url``."""
    from loaders import boundaries
    from loaders.demo import build_demo

    tmp = tmp_path_factory.mktemp("hostile")
    src = tmp / "demo"
    shutil.copytree(ROOT / "data" / "demo", src)

    def muni(i, row):
        if row["code"] in NAMES:
            row["name"], row["name_local"], region = NAMES[row["code"]]
            row["region"] = region or row["region"]

    def events(i, row):
        if i < len(EVENT_TITLES):
            row["title"] = EVENT_TITLES[i]

    def helpdesk(i, row):
        if i % 5 == 0:
            row["topic"] = TOPIC

    def indicators(i, row):
        if row["code"] in ("youth_share", "youth_reached", "hate_incidents"):
            row["name"] = INDICATOR_NAME

    def users(i, row):
        row["display_name"] = DISPLAY.get(row["username"], row["display_name"])

    for name, change in (("municipalities", muni), ("events", events), ("helpdesk_requests", helpdesk),
                         ("indicators", indicators), ("users", users)):
        _rewrite(src / f"{name}.csv", change)
    url = databases.empty("hostile")
    build_demo(url, source_dir=src)

    units = json.loads((ROOT / "geo" / "admin1.geojson").read_text(encoding="utf-8"))
    mk = [f for f in units["features"] if f["properties"]["country"] == "MK"]
    for f, name in zip(mk[:len(BOUNDARY_NAMES)], BOUNDARY_NAMES):
        f["properties"]["name"] = name
    layer = tmp / "mk_hostile.geojson"
    layer.write_text(json.dumps({"type": "FeatureCollection", "features": mk}), encoding="utf-8")
    assert boundaries.main([str(layer), "--country", "MK", "--database-url", url]) == 0
    return url


@pytest.fixture(scope="module")
def server(hostile_url, tmp_path_factory):
    s = launch(hostile_url, tmp_path_factory.mktemp("hostile-server"))
    yield s
    s.stop()


# Inside the st_folium frame: open every tooltip and popup (each feature of a GeoJSON layer too),
# return their text and the number of Leaflet shapes drawn.
OPEN_ALL = """() => {
  const m = window.map; if (!m) return null;
  const texts = [];
  const read = (o) => { const el = o && o.getElement && o.getElement(); if (el) texts.push(el.textContent); };
  m.eachLayer(l => {
    for (const [get, open] of [["getTooltip", "openTooltip"], ["getPopup", "openPopup"]]) {
      const o = l[get] && l[get]();
      if (!o) continue;
      if (l._layers) {
        for (const child of Object.values(l._layers)) {
          o._source = child;
          l[open](child.getCenter ? child.getCenter() : child.getLatLng());
          read(o);
        }
      } else { l[open](); read(o); }
    }
  });
  let shapes = 0;
  m.eachLayer(l => { if (l._renderer && (l._parts || l._point)) shapes += 1; });
  return {texts, paths: shapes};
}"""
# For a screenshot a person can read: only the tooltips whose text contains one of ``needles``.
OPEN_SOME = """(needles) => {
  const m = window.map;
  m.eachLayer(l => {
    const o = l.getTooltip && l.getTooltip();
    if (!o) return;
    for (const child of (l._layers ? Object.values(l._layers) : [l])) {
      if (l._layers) o._source = child;
      l.openTooltip(child.getCenter ? child.getCenter() : child.getLatLng());
      const text = o.getElement() ? o.getElement().textContent : "";
      if (needles.some(n => text.includes(n))) return;
      l.closeTooltip();
    }
  });
}"""
JS_LINKS = "() => [...document.querySelectorAll('a[href]')].map(a => a.href).filter(h => /^\\s*javascript:/i.test(h))"


def _clean(text: str) -> str:
    return text.replace("\u2060", "")


def _visit(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)


def _maps(page, screenshot: str | None = None) -> list[dict]:
    """Force open every tooltip and popup of every map on the page; what each showed. With
    ``screenshot``, first save the map with two hostile tooltips open (MK001's marker, an area)."""
    out = []
    if screenshot:   # the overview's map: its frame arrives after the rest of the page has settled
        page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=60_000)
    for el in page.query_selector_all('iframe[title="streamlit_folium.st_folium"]'):
        frame = el.content_frame()
        try:
            frame.wait_for_function(f"() => {{ const v = ({VECTOR_LAYERS})(); return v && v.length; }}",
                                    timeout=60_000)
        except Exception:       # a name that breaks folium's script leaves the frame without a map
            pytest.fail(f"the map did not draw on {page.url}")
        if screenshot:
            frame.evaluate(OPEN_SOME, ["Kumanovo", "<img"])
            el.screenshot(path=screenshot)
        out.append(frame.evaluate(OPEN_ALL))
    return out


def _hover_plots(page, limit: int = 3) -> None:
    """Move the mouse over the first mark of a few Plotly charts, so their hover labels render."""
    for plot in page.query_selector_all(".js-plotly-plot")[:limit]:
        point = plot.query_selector("g.trace path, g.points path, g.hm image")
        if point is None or not plot.is_visible():      # e.g. in a tab not shown
            continue
        plot.evaluate("e => e.scrollIntoView({block: 'center'})")
        box = point.bounding_box()
        if box and box["width"] and box["height"]:
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_timeout(100)


def _assert_clean(page, where: str, hosts: set[str]) -> None:
    assert not page.evaluate("() => window.__pwned"), f"a payload ran on {where}"
    for frame in page.frames:
        assert frame.evaluate(JS_LINKS) == [], f"javascript: link on {where} ({frame.url})"
    outside = {h for h in hosts if h not in LOCAL_HOSTS}
    assert not outside, f"requests to {outside} from {where}"


def _session(browser, server, username: str, sign_in):
    context = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(90_000)
    hosts: set[str] = set()
    context.on("request", lambda r: hosts.add(urlsplit(r.url).hostname or "")
               if r.url.startswith(("http:", "https:", "ws:", "wss:")) else None)
    page = context.new_page()
    sign_in(page, server.url, username, lang="en")
    return context, page, hosts


@pytest.mark.parametrize("role, username", [("hub", "hub.admin"), ("donor", "donor.demo")])
def test_every_page_shows_hostile_values_as_text(role, username, server, browser, sign_in):
    context, page, hosts = _session(browser, server, username, sign_in)
    try:
        # the account name in the sidebar, as written
        assert DISPLAY[username] in _clean(page.locator('[data-testid="stSidebar"]').inner_text())
        for page_id in PAGES_BY_ROLE[role]:
            _visit(page, f"{server.url}/{page_id}?lang=en")
            if page_id == "overview":
                drawn = _maps(page, screenshot=f"/tmp/hostile-map-{role}.png")
                assert drawn and all(d and d["paths"] > 50 for d in drawn), f"no map drawn for {role}: {drawn}"
                shown = _clean("\n".join(t for d in drawn for t in d["texts"]))
                for name in (NAMES["MK001"][0], NAMES["MK002"][0], NAMES["MK003"][0], *BOUNDARY_NAMES):
                    assert name in shown, f"{name!r} not shown as text on the {role} map"
            _hover_plots(page)
            _assert_clean(page, f"/{page_id} as {role}", hosts)
            for label in open_each_tab(page, only=lambda i: i > 0):   # a tab is sent only when opened
                _hover_plots(page)
                _assert_clean(page, f"/{page_id} tab {label!r} as {role}", hosts)
        if role == "hub":
            _visit(page, f"{server.url}/city?city=MK001&lang=en")
            assert _clean(page.locator('[data-testid="stMain"] h2').first.inner_text()) == NAMES["MK001"][0]
            assert NAMES["MK001"][2] in _clean(page.locator('[data-testid="stMain"]').inner_text())
            _assert_clean(page, "/city?city=MK001", hosts)
            _visit(page, f"{server.url}/city?city={quote(PHISH)}&lang=en")
            warning = page.locator('[data-testid="stAlert"]', has_text="Your session expired")
            assert PHISH in _clean(warning.inner_text())
            assert warning.locator("a, img").count() == 0
            _assert_clean(page, "/city?city=<phishing Markdown>", hosts)
    finally:
        context.close()


def test_mayor_city_page_and_pdf_with_hostile_names(server, browser, sign_in):
    context, page, hosts = _session(browser, server, "mayor.kumanovo", sign_in)
    try:
        assert DISPLAY["mayor.kumanovo"] in _clean(page.locator('[data-testid="stSidebar"]').inner_text())
        for page_id in PAGES_BY_ROLE["mayor"]:
            _visit(page, f"{server.url}/{page_id}?lang=en")
            _hover_plots(page)
            _assert_clean(page, f"/{page_id} as mayor", hosts)
        _visit(page, f"{server.url}/city?lang=mk")
        assert _clean(page.locator('[data-testid="stMain"] h2').first.inner_text()) == NAMES["MK001"][1]
        with page.expect_download() as dl:
            page.get_by_role("button", name="PDF").click()
        assert dl.value.path().read_bytes().startswith(b"%PDF-")
        _assert_clean(page, "/city as mayor (mk)", hosts)
    finally:
        context.close()
