"""Browser-side speed: what a person waits for, in Chromium, against the real served app.

``python -m bench.browser [--scales 1,100] [--rounds 5]`` starts, in one run:

- the hub (``streamlit run serve.py``) on the 1x and 100x bench stores (``bench/out/x{k}.db``, built
  by ``generators.bench_data`` + the loaders when missing), signed in as each role in its own browser;
- the floors: ``bench/bare_app.py``, a bare Streamlit app on the same machine: two plain pages (a title
  and a line) and one with one of each kind of element the hub's pages draw (the like-for-like floor).

It then measures, in interleaved rounds (so that a busy machine slows floor and app alike):

- **click**: a menu click in the sidebar -> the page settled;
- **load**: a full page load (``page.goto``, a new Streamlit session) -> the page settled;
- **sign-in**: the sign-in form's submit -> the role's first page settled, for each role, on a
  freshly started server (cold caches); the bare app's first view on a freshly started server beside it;
- **map**: on the overview's full load, the map iframe's first paint (Leaflet paths present);
- **bytes**: what the page's full load received on the websocket (Streamlit forward messages);
- **shift**: the layout shift (Chromium's ``layout-shift`` entries) from settled to one second later.

"Settled" = the page's title (its ``h1``) shown, Streamlit's script state ``notRunning``
(``[data-testid=stApp][data-test-script-state]``, which Streamlit 1.67 sets the moment the run
ends; the ``stStatusWidget`` it drives leaves with a 200 ms fade, which would add the same 200 ms
to every figure) and no element still a placeholder (``stSkeleton``: Streamlit loads the code of
tables, charts, pickers and metrics only when such an element first arrives, and on a page load
they stayed grey boxes for 0.2-0.6 s after the run had ended). Times are taken inside the page
(``performance.now()`` from the click or from the navigation start) by a watcher on every animation
frame. Medians of ``rounds``; prints JSON.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from tests.streamlit_server import StreamlitServer, start

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROLES = {"hub": "hub.admin", "donor": "donor.demo", "mayor": "mayor.kumanovo"}
BARE = {"one": "", "two": "two", "elements": "elements"}   # bare app page -> URL path
BARE_TITLES = {"one": ["Page one"], "two": ["Page two"], "elements": ["Page with elements"]}
PLAIN = ("one", "two")          # the floor: a title and a line; "elements" is the like-for-like floor
TIMEOUT_MS = 120_000

# Installed in every document: records when the page armed by Python settles, when the map paints,
# and the layout shift after settling. Times in ms from the click (clicks) or navigation start (loads).
WATCHER = """
(titles) => {
  const B = window.__bench = {start: 0, title: titles[location.pathname.replace(/^\\//, '')] || null,
                              settled: null, map: null, shift: 0, armed: false};
  window.__benchArm = (title) => { Object.assign(B, {title, settled: null, map: null, shift: 0, armed: true}); };
  document.addEventListener('click', () => { if (B.armed) { B.start = performance.now(); B.armed = false; } }, true);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (B.settled !== null && !e.hadRecentInput) B.shift += e.value;
    }).observe({type: 'layout-shift', buffered: false});
  } catch (e) {}
  const tick = () => {
    if (!B.title && !B.armed) B.title = titles[location.pathname.replace(/^\//, '')] || null;
    if (B.title && !B.armed) {
      const now = performance.now() - B.start;
      if (B.settled === null) {
        const app = document.querySelector('[data-testid="stApp"]');
        const h = document.querySelector('[data-testid="stMain"] h1');
        if (app && app.getAttribute('data-test-script-state') === 'notRunning' && h
            && B.title.includes(h.textContent.trim())
            && !document.querySelector('[data-testid="stSkeleton"]')) B.settled = now;
      }
      if (B.map === null) {
        const f = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
        // painted: Leaflet's vector layers are on the page, as SVG paths or (prefer_canvas) a drawn canvas
        try { if (f && f.contentDocument && f.contentDocument.querySelector(
                'path.leaflet-interactive, .leaflet-overlay-pane canvas')) B.map = now; }
        catch (e) {}
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
"""


def start_server(script: str, db: Path | None = None, log_dir: Path | None = None) -> StreamlitServer:
    """``streamlit run <script>`` on a free port (the hub's store from ``db``); waits for its health check."""
    return start(script, env={"DATABASE_URL": f"sqlite:///{db}"} if db is not None else None,
                 log_dir=log_dir, timeout=120)


def ensure_db(scale: int) -> Path:
    """The bench store of one scale: reused when present, else generated and loaded."""
    db = OUT / f"x{scale}.db"
    if not db.exists():
        from generators.bench_data import generate
        from loaders.demo import build_demo
        build_demo(f"sqlite:///{db}", source_dir=generate(scale, OUT / f"x{scale}"))
    return db


def hub_titles() -> dict[str, list[str]]:
    """Page id -> its title (what its h1 shows) in each language: a mayor's account opens in its own."""
    from hub.access import PAGES
    from hub.i18n import LANGUAGES, t
    own = {"overview": "overview.title", "needs": "needs.title", "city": "city.title",
           "methodology": "methodology.title"}
    return {p: [t(own.get(p, f"nav.{p}"), lang) for lang in LANGUAGES] for p in PAGES}


class Client:
    """One browser context on one server: a role signed in (or the bare app), its pages, its frames."""

    def __init__(self, browser, server: StreamlitServer, pages: dict[str, str], titles: dict[str, list[str]],
                 user: str | None = None, landing: dict[str, str] | None = None):
        from loaders.demo import DEMO_PASSWORDS
        self.server, self.pages, self.titles = server, pages, titles
        self.ctx = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
        self.ctx.set_default_timeout(TIMEOUT_MS)
        # the watcher knows every page of the role (``landing``): sign-in opens the role's first page,
        # which --pages may have left out
        by_path = {path: titles[p] for p, path in {**(landing or {}), **pages}.items()}
        self.ctx.add_init_script(script=f"({WATCHER})({json.dumps(by_path)})")
        self.page = self.ctx.new_page()
        self.frames: list[int] = []
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        self.current: str | None = None
        if user:
            self.page.goto(f"{server.url}/signin?{urlencode({'next': '/', 'lang': 'en'})}")
            self.page.fill("#username", user)
            self.page.fill("#password", DEMO_PASSWORDS[user])
            self.page.click("button[type=submit]")
            self.page.wait_for_url(lambda u: "/signin" not in u)
            self._wait()

    def _frame(self, payload) -> None:
        self.frames.append(len(payload))

    def _wait(self, need_map: bool = False) -> dict:
        cond = "window.__bench && window.__bench.settled !== null"
        if need_map:
            cond += " && window.__bench.map !== null"
        self.page.wait_for_function(f"() => {cond}", timeout=TIMEOUT_MS)
        return self.page.evaluate("() => ({...window.__bench})")

    def load(self, p: str) -> dict:
        """Full page load of ``p`` -> settled (ms from navigation start); map paint; websocket bytes; shift."""
        self.frames.clear()
        self.page.goto(f"{self.server.url}/{self.pages[p]}", wait_until="commit")
        b = self._wait(need_map=(p == "overview"))
        nbytes = sum(self.frames)
        self.page.wait_for_timeout(1000)
        shift = self.page.evaluate("() => window.__bench.shift")
        self.current = p
        return {"settled": b["settled"], "map": b["map"], "bytes": nbytes, "shift": shift}

    def click(self, p: str) -> float:
        """Menu click on ``p`` (from the page currently shown) -> settled, ms from the click."""
        self.page.evaluate("(t) => window.__benchArm(t)", self.titles[p])
        path = self.pages[p]
        self.page.locator(f'[data-testid="stSidebarNav"] a[href="{self.server.url}/{path}"]').click()
        b = self._wait()
        self.current = p
        return b["settled"]

    def close(self) -> None:
        self.ctx.close()


def signin_cold(browser, script_db: Path | None, user: str | None, titles: dict[str, list[str]],
                pages: dict[str, str]) -> float:
    """Seconds from the sign-in submit (or, for the bare app, the first page request) to the first
    page settled, on a server started for this one measurement."""
    server = start_server("serve.py" if user else "bench/bare_app.py", script_db)
    try:
        ctx = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
        ctx.set_default_timeout(TIMEOUT_MS)
        ctx.add_init_script(script=f"({WATCHER})({json.dumps({pages[p]: titles[p] for p in pages})})")
        page = ctx.new_page()
        if user:
            from loaders.demo import DEMO_PASSWORDS
            page.goto(f"{server.url}/signin?{urlencode({'next': '/', 'lang': 'en'})}")
            page.fill("#username", user)
            page.fill("#password", DEMO_PASSWORDS[user])
            t0 = time.time() * 1000
            page.click("button[type=submit]")
        else:
            t0 = time.time() * 1000
            page.goto(server.url, wait_until="commit")
        page.wait_for_function("() => window.__bench && window.__bench.settled !== null", timeout=TIMEOUT_MS)
        done = page.evaluate("() => performance.timeOrigin + window.__bench.start + window.__bench.settled")
        ctx.close()
        return (done - t0) / 1000
    finally:
        server.stop()


def measure(scales=(1, 100), rounds: int = 5, roles=tuple(ROLES), cold_runs: int = 3,
            pages: tuple[str, ...] | None = None) -> dict:
    """All figures of one run (seconds; medians of ``rounds``). ``pages`` restricts each role to those
    of its pages (to measure what a change touches; a role left with one page has no click figure);
    ``cold_runs=0`` skips the sign-in figures."""
    from playwright.sync_api import sync_playwright
    from hub.access import PAGES_BY_ROLE

    pages_wanted = set(pages) if pages else None
    titles = hub_titles()
    dbs = {k: ensure_db(k) for k in scales}
    servers: list[StreamlitServer] = []
    out: dict = {"scales": list(scales), "rounds": rounds, "bare": {}, "hub": {}, "signin": {}}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            bare_server = start_server("bench/bare_app.py")
            servers.append(bare_server)
            clients = {("bare", 0): Client(browser, bare_server, BARE, BARE_TITLES)}
            for k in scales:
                srv = start_server("serve.py", dbs[k])
                servers.append(srv)
                for role in roles:
                    pages = {p: p for p in PAGES_BY_ROLE[role] if pages_wanted is None or p in pages_wanted}
                    if not pages:
                        continue
                    clients[(role, k)] = Client(browser, srv, pages, titles, ROLES[role],
                                                landing={p: p for p in PAGES_BY_ROLE[role]})
            samples: dict = {key: {p: {"click": [], "load": [], "map": [], "bytes": [], "shift": []}
                                   for p in c.pages} for key, c in clients.items()}
            for r in range(rounds + 1):                  # round 0 warms the caches, untimed
                for key, c in clients.items():
                    order = list(c.pages)
                    for p in order:
                        res = c.load(p)
                        if r:
                            s = samples[key][p]
                            s["load"].append(res["settled"] / 1000)
                            s["bytes"].append(res["bytes"])
                            s["shift"].append(res["shift"])
                            if res["map"] is not None:
                                s["map"].append(res["map"] / 1000)
                    for p in order:                      # every page clicked once, from the one before
                        if len(order) < 2:
                            break
                        secs = c.click(p) / 1000
                        if r:
                            samples[key][p]["click"].append(secs)
                print(f"round {r} done", file=sys.stderr)
            for c in clients.values():
                c.close()
            for key, per_page in samples.items():
                role, k = key
                med = {p: {m: (statistics.median(v) if v else None) for m, v in s.items()}
                       for p, s in per_page.items()}
                if role == "bare":
                    out["bare"] = med
                else:
                    out["hub"].setdefault(str(k), {})[role] = med
            # Sign-in on a freshly started server, with the round's servers stopped (nothing else
            # running), in interleaved runs (each role at each scale, then the bare app), so that a
            # neighbour's burst slows all alike.
            for server in servers:
                server.stop()
            servers.clear()
            cold: dict = {}
            for _ in range(cold_runs):
                for k in scales:
                    for role in roles:
                        cold.setdefault((str(k), role), []).append(signin_cold(
                            browser, dbs[k], ROLES[role], titles, {p: p for p in PAGES_BY_ROLE[role]}))
                cold.setdefault(("bare", None), []).append(signin_cold(browser, None, None, BARE_TITLES, BARE))
            for (k, role), secs in cold.items():
                if k == "bare":
                    out["signin"]["bare"] = statistics.median(secs)
                else:
                    out["signin"].setdefault(k, {})[role] = statistics.median(secs)
        finally:
            for s in servers:
                s.stop()
            browser.close()
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.browser", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", default="1,100")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--roles", default=",".join(ROLES))
    ap.add_argument("--cold-runs", type=int, default=3, help="sign-in runs per scale (0: none)")
    ap.add_argument("--pages", default="", help="only these pages, e.g. overview,methodology (default: all)")
    args = ap.parse_args(argv)
    res = measure(tuple(int(s) for s in args.scales.split(",")), args.rounds, tuple(args.roles.split(",")),
                  args.cold_runs, tuple(p for p in args.pages.split(",") if p) or None)
    print(json.dumps(res))


if __name__ == "__main__":
    main()


TARGET_RATIO, TARGET_SIGNIN = 2.0, 1.5               # issue 20: against the floor of the same run
TARGET_CLICK, TARGET_LOAD, TARGET_SIGNIN_ABS = 1.0, 2.0, 2.5   # issue 18: seconds at 100× on 2 cores


def _s(x) -> str:
    return "—" if x is None else f"{x:.2f}"


def table(res: dict) -> list[str]:
    """The "Browser" section of bench/results.md from ``measure()``'s result."""
    from hub.access import PAGES

    scales = [str(k) for k in res["scales"]]
    big, small = scales[-1], scales[0]
    floor_click = statistics.median(v["click"] for p, v in res["bare"].items() if p in PLAIN)
    floor_load = statistics.median(v["load"] for p, v in res["bare"].items() if p in PLAIN)
    like = res["bare"].get("elements")      # runs before 2 Dec 2026 05:50 UTC have no such page
    ok = lambda flag: "ok" if flag else "**missed**"  # noqa: E731
    lines = ["## Browser", "",
             f"Headless Chromium (Playwright) against `streamlit run serve.py`, medians of {res['rounds']} "
             f"interleaved rounds after a warm-up round (`python -m bench.browser`). *Click* = menu click → page "
             "settled; *load* = full page load (new Streamlit session) → settled; settled = the page's title "
             "shown, Streamlit's script state `notRunning` and no element still a placeholder (`stSkeleton`, "
             "while the browser loads the code of a table, chart, picker or metric). The floor is the two plain "
             "pages (a title and a line) of a bare Streamlit app (`bench/bare_app.py`) measured in the same rounds: "
             f"**click {floor_click:.2f} s, load {floor_load:.2f} s**"
             + (f"; its third page, with one of each kind of element our pages draw (three metrics, two "
                f"pickers, a 200-row table, a Plotly chart; nothing computed), is the like-for-like floor: "
                f"**click {like['click']:.2f} s, load {like['load']:.2f} s** (the last two ratio columns)"
                if like else "") + f". Targets at {big}×: each ratio to the "
             f"floor ≤ {TARGET_RATIO:g} (issue 20), and click < {TARGET_CLICK:g} s, load < {TARGET_LOAD:g} s "
             "(issue 18).", "",
             f"| page | role | click {small}× (s) | click {big}× (s) | load {small}× (s) | load {big}× (s) | "
             f"click {big}× ÷ floor | load {big}× ÷ floor | bytes on the websocket, load {big}× (KB) | "
             f"≤ {TARGET_RATIO:g}× floor | click < {TARGET_CLICK:g} s, load < {TARGET_LOAD:g} s |"
             + (" click ÷ like-for-like floor | load ÷ like-for-like floor |" if like else ""),
             "|---|---|---|---|---|---|---|---|---|---|---|" + ("---|---|" if like else "")]
    for page in PAGES:
        for role in ROLES:
            b = res["hub"].get(big, {}).get(role, {}).get(page)
            if b is None:
                continue
            s = res["hub"].get(small, {}).get(role, {}).get(page, {})
            rc = b["click"] / floor_click if b.get("click") else None
            rl = b["load"] / floor_load
            lines.append(f"| {page} | {role} | {_s(s.get('click'))} | {_s(b.get('click'))} | {_s(s.get('load'))} | "
                         f"{_s(b['load'])} | {_s(rc)} | {_s(rl)} | {b['bytes'] / 1e3:,.0f} | "
                         f"{ok((rc is None or rc <= TARGET_RATIO) and rl <= TARGET_RATIO)} | "
                         f"{ok((b.get('click') is None or b['click'] < TARGET_CLICK) and b['load'] < TARGET_LOAD)} |"
                         + (f" {_s(b['click'] / like['click'] if b.get('click') else None)} | "
                            f"{_s(b['load'] / like['load'])} |" if like else ""))
    lines += ["", "| first view | seconds | target |", "|---|---|---|"]
    from hub.access import PAGES_BY_ROLE
    for k in (k for k in scales if k in res["signin"]):
        by_role = res["signin"][k] if isinstance(res["signin"][k], dict) else {"hub": res["signin"][k]}
        for role, secs in by_role.items():
            lines.append(f"| sign-in → first settled page, freshly started server, {k}× ({ROLES[role]}, "
                         f"{PAGES_BY_ROLE[role][0]}) | {secs:.2f} | "
                         + (f"< {TARGET_SIGNIN:g} s: {ok(secs < TARGET_SIGNIN)}; "
                            f"< {TARGET_SIGNIN_ABS:g} s: {ok(secs < TARGET_SIGNIN_ABS)}" if k == big else "") + " |")
    if "bare" in res["signin"]:
        lines.append(f"| bare app, first page on a freshly started server (floor) | {res['signin']['bare']:.2f} | |")
    for k in scales:
        for role in ROLES:
            o = res["hub"].get(k, {}).get(role, {}).get("overview")
            if o and o.get("map") is not None:
                lines.append(f"| overview map first paint (Leaflet layers drawn), full load, {k}×, {role} "
                             f"(page settled at {o['load']:.2f}) | {o['map']:.2f} | |")
    shifts = [(k, role, p, v["shift"]) for k in scales for role, pages in res["hub"].get(k, {}).items()
              for p, v in pages.items() if v.get("shift")]
    worst = max(shifts, key=lambda x: x[3], default=None)
    if worst:
        lines += ["", f"Layout shift after a page settled (Chromium `layout-shift`, the second after settling): "
                      f"largest {worst[3]:.3f} ({worst[2]}, {worst[1]}, {worst[0]}×); 0.1 is where Chromium "
                      "calls a shift poor."]
    return lines
