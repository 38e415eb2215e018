"""Every page reads right in every language, on a desktop and on a phone, for each role.

One server (the session's), one browser; each role signs in once, then opens each of its pages
in each language (a new session per address, as a shared link would), and checks at 1400 px and
at 390x844 (a phone) that:

- no "None", "nan", "NaN", ``_``-joined codes or catalog keys (``area.key``) show in the visible
  text or in any table cell (tables are canvas: their cells are read from the Arrow bytes the
  websocket carries);
- numbers in tables follow the language's separators (no raw numeric column, no "11,500" in bcms);
- nothing is wider than the viewport, and no headline figure is clipped.

Screenshots go to ``$QUALITY_SHOTS`` (default /tmp/hub-quality-shots), never to the repo: the first
screen of each page, or the whole page with ``QUALITY_FULL_SHOTS=1``.
``QUALITY_ROLES``, ``QUALITY_LANGS`` and ``QUALITY_PAGES`` (comma lists) narrow a run by hand.
"""
from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from hub.access import PAGES_BY_ROLE
from hub.i18n import LANGUAGE_NAMES, LANGUAGES, LOCALES_DIR, t
from tests.e2e.conftest import open_each_tab, wait_for_app

pytestmark = pytest.mark.e2e

ROLE_USER = {"hub": "hub.admin", "donor": "donor.demo", "mayor": "mayor.kumanovo"}
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
SHOTS = Path(os.environ.get("QUALITY_SHOTS", "/tmp/hub-quality-shots"))
FULL_SHOTS = os.environ.get("QUALITY_FULL_SHOTS") == "1"   # whole-page pictures (slower); else the first screen


def _narrow(name: str, full):
    raw = os.environ.get(name)
    return [x for x in full if x in raw.split(",")] if raw else list(full)


ROLES = _narrow("QUALITY_ROLES", sorted(ROLE_USER))
LANGS = _narrow("QUALITY_LANGS", LANGUAGES)

AREAS = sorted(p.stem for p in (LOCALES_DIR / "en").glob("*.toml"))
FILE_EXT = r"(?:toml|csv|xlsx|pdf|json|geojson|topojson|zip|xml)\b"
CATALOG_KEY = re.compile(r"\b(?:%s)\.(?!%s)[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*\b" % ("|".join(AREAS), FILE_EXT))
MISSING = re.compile(r"(?<![\w-])(None|nan|NaN|NaT)(?![\w-])")
CODE = re.compile(r"(?<![\w./@-])[a-z]+(?:_[a-z0-9]+)+(?![\w@-]|\.\w)")
# A cell that is only a number (maybe money or a share): it must be written the language's way.
NUMBERISH = re.compile(r"^[-−]?[\d.,\u00a0\u202f]*\d[\d.,\u00a0\u202f]*$")
NUMBER_OK = {
    "en": re.compile(r"^[-−]?\d{1,3}(,\d{3})*(\.\d+)?$"),
    "sq": re.compile(r"^[-−]?\d{1,3}(\u00a0\d{3})*(,\d+)?$"),
    "bcms": re.compile(r"^[-−]?\d{1,3}(\.\d{3})*(,\d+)?$"),
    "mk": re.compile(r"^[-−]?\d{1,3}(\.\d{3})*(,\d+)?$"),
}
YEAR_OR_ID = re.compile(r"^\d{4}$|^\d{1,3}$")

# Columns that show codes on purpose (the file format's own names, file names, hashes).
CODE_COLUMNS = {"methodology.col.code", "data.col.column", "data.col.dataset", "data.col.columns", "data.col.required",
                "data.col.file", "data.col.file_name", "methodology.col.file", "methodology.col.sha256",
                "data.col.sha256", "data.col.target", "data.col.detail", "data.col.username", "data.col.user",
                "data.col.message"}


def _code_columns(lang: str) -> set[str]:
    return {t(k, lang) for k in CODE_COLUMNS}


class ArrowTap:
    """The tables the server sends (st.dataframe is drawn on a canvas: read its Arrow bytes)."""

    def __init__(self, page):
        self.tables: list = []
        self.by_hash: dict = {}
        self.current = None
        page.on("websocket", self._open)

    def _open(self, ws) -> None:
        # A page load opens a new session's websocket; the previous page's may still deliver frames
        # (seen: an overview table in Macedonian read as the next page's English table). Keep the newest.
        self.current = ws
        ws.on("framereceived", lambda payload: self._frame(ws, payload))

    def _frame(self, ws, payload) -> None:
        if ws is not self.current or isinstance(payload, str):
            return
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:
            return
        if msg.WhichOneof("type") == "ref_hash":
            msg = self.by_hash.get(msg.ref_hash, msg)
        elif msg.hash:
            self.by_hash[msg.hash] = msg
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            return
        el = msg.delta.new_element
        if el.WhichOneof("type") == "dataframe" and el.dataframe.arrow_data.data:
            import pyarrow as pa
            with pa.ipc.open_stream(io.BytesIO(el.dataframe.arrow_data.data)) as r:
                self.tables.append(r.read_all())


def table_problems(tables, lang: str) -> list[str]:
    import pyarrow.types as pt
    out = []
    code_cols = _code_columns(lang)
    for i, tbl in enumerate(tables):
        for name, col in zip(tbl.column_names, tbl.columns):
            if name.startswith("__index_level"):
                continue
            if CATALOG_KEY.search(name) or MISSING.search(name) or CODE.search(name):
                out.append(f"table {i}: header {name!r}")
            values = col.to_pylist()
            if pt.is_integer(col.type) or pt.is_floating(col.type) or pt.is_decimal(col.type):
                shown = [v for v in values if v is not None]
                if lang != "en" and any(v != int(v) or abs(v) >= 1000 for v in shown):
                    out.append(f"table {i}: column {name!r} is raw numbers (drawn the browser's way): {shown[:3]}")
                if len(shown) < len(values):
                    pass            # the placeholder "—" is drawn for nulls
                continue
            if not (pt.is_string(col.type) or pt.is_large_string(col.type)):
                continue
            for v in values:
                if v is None:
                    continue
                s = str(v)
                if MISSING.search(s) or CATALOG_KEY.search(s):
                    out.append(f"table {i}: {name!r} cell {s!r}")
                elif name not in code_cols and CODE.search(s):
                    out.append(f"table {i}: {name!r} cell shows a code {s!r}")
                core = s.replace("€", "").replace("%", "").strip("\u00a0\u202f ")
                if NUMBERISH.match(core) and not YEAR_OR_ID.match(core) and not NUMBER_OK[lang].match(core):
                    out.append(f"table {i}: {name!r} number {s!r} not written the {lang} way")
    return out


# What a person reads: the main area and the sidebar, without Material icon ligatures ("location_city").
VISIBLE_TEXT = """() => {
  const parts = [];
  for (const sel of ['[data-testid="stMain"]', '[data-testid="stSidebar"]']) {
    const el = document.querySelector(sel); if (el) parts.push(el.innerText);
  }
  let text = parts.join('\\n');
  const icons = new Set([...document.querySelectorAll('[data-testid="stIconMaterial"], .material-symbols-rounded')]
                        .map(e => e.textContent.trim()).filter(Boolean));
  for (const name of icons) text = text.split(name).join(' ');
  return text;
}"""

LAYOUT = """() => {
  const w = window.innerWidth, bad = [];
  const root = document.documentElement;
  if (root.scrollWidth > w + 1) bad.push('page scrolls sideways: ' + root.scrollWidth + 'px > ' + w + 'px');
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= w + 1) continue;
    let p = el.parentElement, scrolls = false;
    while (p && p !== document.body) {
      const ov = getComputedStyle(p).overflowX;
      if (ov === 'auto' || ov === 'scroll' || ov === 'hidden') { scrolls = true; break; }
      p = p.parentElement;
    }
    if (!scrolls) { bad.push('wider than the screen: ' + (el.dataset.testid || el.tagName) + ' ' + Math.round(r.right) + 'px'); break; }
  }
  // Streamlit cuts a metric's label or value with "…" on an element inside it (not the first one):
  // look at every element of the figure.
  for (const el of document.querySelectorAll('[data-testid="stMetricValue"], [data-testid="stMetricLabel"]')) {
    if ([el, ...el.querySelectorAll('*')].some(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1))
      bad.push('clipped figure: ' + el.innerText);
  }
  return bad;
}"""


CONTENT_HEIGHT = """() => Math.max(...[...document.querySelectorAll(
  '[data-testid="stMain"], [data-testid="stAppViewContainer"], [data-testid="stMainBlockContainer"]')]
  .map(e => e.scrollHeight), window.innerHeight)"""


def text_problems(text: str) -> list[str]:
    out = []
    for rx, what in ((MISSING, "missing value"), (CATALOG_KEY, "catalog key"), (CODE, "raw code")):
        for m in rx.finditer(text):
            line = text[max(0, m.start() - 40): m.end() + 40].replace("\n", " ")
            out.append(f"{what} {m.group(0)!r} in “…{line}…”")
    return out


def _tab_no(page, label: str) -> int:
    labels = [x.strip() for x in page.locator('[data-testid="stMain"] [role="tab"]').all_inner_texts()]
    return labels.index(label) if label in labels else -1


def _check(page, tap, where: str, shot: str, lang: str) -> list[str]:
    """What is wrong with the page as shown (text, tables, layout at desktop and phone width); saves
    a screenshot at each width."""
    assert page.locator('[data-testid="stException"]').count() == 0, where
    assert f"lang={lang}" in page.url, f"{where}: the language left the address ({page.url})"
    problems = [f"{where}: {p}" for p in text_problems(page.evaluate(VISIBLE_TEXT))]
    problems += [f"{where}: {p}" for p in table_problems(tap.tables, lang)]
    for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        page.wait_for_timeout(150)
        problems += [f"{where} {label}: {p}" for p in page.evaluate(LAYOUT)]
        if FULL_SHOTS:   # Streamlit scrolls inside its main area: grow the window to the content
            tall = min(page.evaluate(CONTENT_HEIGHT), 12_000)
            page.set_viewport_size({"width": size["width"], "height": max(size["height"], tall)})
            page.wait_for_timeout(200)
        page.screenshot(path=str(SHOTS / f"{shot}-{label}.png"))
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_every_page_reads_right(role, hub_server, browser, sign_in):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="en-GB", viewport=DESKTOP)
    context.set_default_timeout(90_000)
    page = context.new_page()
    tap = ArrowTap(page)
    problems: list[str] = []
    try:
        sign_in(page, hub_server.url, ROLE_USER[role])
        for page_id in _narrow("QUALITY_PAGES", PAGES_BY_ROLE[role]):
            for lang in LANGS:
                page.set_viewport_size(DESKTOP)
                tap.tables.clear()
                page.goto(f"{hub_server.url}/{page_id}?lang={lang}")
                wait_for_app(page)
                page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
                # the menu offers this role's page, in the language (so the page asked for is the one shown)
                nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
                assert t(f"nav.{page_id}", lang) in nav, f"{role} /{page_id} {lang}: not in the menu"
                problems += _check(page, tap, f"{role} /{page_id} {lang}", f"{role}-{page_id}-{lang}", lang)
                # The other tabs (ui.tabs sends a tab only when it is opened): each in one language of
                # the four in turn, so every tab is read once without four times the run.
                j = LANGS.index(lang)
                page.set_viewport_size(DESKTOP)
                tap.tables.clear()
                for label in open_each_tab(page, only=lambda i: i > 0 and i % len(LANGS) == j % len(LANGS)):
                    problems += _check(page, tap, f"{role} /{page_id} {lang} tab {label!r}",
                                       f"{role}-{page_id}-{lang}-tab{_tab_no(page, label)}", lang)
                    page.set_viewport_size(DESKTOP)
                    tap.tables.clear()
    finally:
        context.close()
    assert not problems, "\n".join(dict.fromkeys(problems))


def test_language_chosen_on_the_sign_in_form_stays_chosen(hub_server, page):
    """hub.admin works in English; picking Shqip on the sign-in form opens the app in Albanian, and a
    menu click keeps it (the address keeps ?lang=sq)."""
    from tests.e2e.conftest import DEMO_PASSWORDS
    page.goto(f"{hub_server.url}/signin?next=/overview")
    page.click(f"text={LANGUAGE_NAMES['sq']}")
    page.fill("#username", "hub.admin")
    page.fill("#password", DEMO_PASSWORDS["hub.admin"])
    page.click("button[type=submit]")
    page.wait_for_url(lambda u: "/signin" not in u)
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMain"] h1')
    assert page.locator('[data-testid="stMain"] h1').first.inner_text().strip() == t("overview.title", "sq")
    page.locator('[data-testid="stSidebarNav"] a', has_text=t("nav.events", "sq")).click()
    page.wait_for_url(lambda u: "/events" in u)
    wait_for_app(page)
    page.wait_for_function("() => document.querySelector('[data-testid=\"stMain\"] h1')")
    assert "lang=sq" in page.url
    assert page.locator('[data-testid="stMain"] h1').first.inner_text().strip() == t("nav.events", "sq")
