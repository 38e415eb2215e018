"""Practices and partners in a real browser (issue 16): the search folds script and diacritics, a
mayor's browser never receives the hub-only entries, nor the scores of the cities whose practices
the city profile recommends. Tables are canvas, so the test reads the bytes
the websocket carries (the Arrow data of each table)."""
from __future__ import annotations

import base64
import json
import re
import struct

import numpy as np
import pandas as pd
import pytest

from hub.escape import markdown_text
from hub.i18n import fmt_number, t
from tests.e2e.conftest import open_each_tab, wait_for_app

pytestmark = pytest.mark.e2e

CAIR_MODEL = "Multi-stakeholder prevention model with Young Cities"
TUZLA = "Tuzla youth council"
HUB_ONLY = "Youth participatory budget"


def _capture(page) -> list[bytes]:
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda p: frames.append(p if isinstance(p, bytes) else p.encode())))
    return frames


def _wait_for_bytes(page, frames: list[bytes], needle: bytes, timeout_s: float = 60) -> None:
    """The headline '(1)' may settle before the table's frame has been handed to the test: wait for
    the table's bytes themselves (Playwright delivers websocket events between page calls)."""
    for _ in range(int(timeout_s * 5)):
        if needle in b"".join(frames):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"{needle!r} never reached the browser")


def _search(page, words: str) -> None:
    box = page.locator('input[aria-label="Search practices and partners"]')
    box.fill(words)
    box.press("Enter")
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') !== null", timeout=60_000)
    wait_for_app(page)


@pytest.mark.parametrize("words", ["cair", "ЧАИР"])
def test_search_folds_script_and_diacritics(hub_server, page, sign_in, words):
    frames = _capture(page)
    sign_in(page, hub_server.url, "hub.admin", next="/practices")
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=90_000)
    wait_for_app(page)
    _wait_for_bytes(page, frames, TUZLA.encode())       # before the search: every practice
    frames.clear()
    _search(page, words)
    page.wait_for_function("() => document.body.innerText.includes('(1)')", timeout=60_000)
    _wait_for_bytes(page, frames, CAIR_MODEL.encode())
    wait_for_app(page)
    assert TUZLA.encode() not in b"".join(frames)


def test_mayor_receives_public_entries_only(hub_server, page, sign_in):
    frames = _capture(page)
    sign_in(page, hub_server.url, "mayor.kumanovo", next="/practices")
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=90_000)
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=90_000)
    sent = b"".join(frames)
    assert "Младински совет на Тузла".encode() in sent
    assert "Партиципативен буџет за младите".encode() not in sent and HUB_ONLY.encode() not in sent


# --- a mayor's recommendations in the browser's received bytes ------------------------------------
_TYPED_ARRAY = re.compile(rb'\{"(?:dtype|bdata)":"[^"]*","(?:dtype|bdata)":"[^"]*"(?:,"shape":"[^"]*")?\}')
_DECIMAL = re.compile(rb"-?\d+\.\d+(?:e-?\d+)?")


def _numbers(sent: bytes) -> set[float]:
    """The numbers a page sent in text form: Plotly's typed arrays (base64 in the figure JSON) and
    decimal literals; raw Arrow doubles are looked up by ``_received``."""
    found: set[float] = set()
    for blob in _TYPED_ARRAY.findall(sent):
        spec = json.loads(blob)
        if spec["dtype"] in ("f8", "f4"):
            found.update(float(x) for x in np.frombuffer(base64.b64decode(spec["bdata"]), dtype=spec["dtype"]))
    found.update(float(x) for x in _DECIMAL.findall(sent))
    return found


def _received(value: float, sent: bytes, numbers: set[float]) -> bool:
    return value in numbers or struct.pack("<d", value) in sent


def _numeric_cells(*frames: pd.DataFrame) -> set[float]:
    return {float(v) for df in frames for c in df.columns for v in df[c]
            if isinstance(v, (int, float, np.number)) and not isinstance(v, bool) and v == v}


def test_mayor_recommendations_carry_no_other_city_score(hub_server, page, sign_in):
    """Issue 16: the profile recommends practices of named cities to a mayor ("lower need"), and the
    bytes the browser receives hold neither those cities' scores nor the gap hub staff are told."""
    from hub.access import Viewer
    from hub.db import get_engine
    from hub.queries import city as qcity
    from hub.queries import compare, recommend
    from tests.dbutil import sql

    engine = get_engine(hub_server.db_url)
    city = sql(engine, "SELECT code FROM municipalities WHERE name = ?", "Kumanovo")[0][0]
    lang = "mk"     # the demo mayor's own language, which the app opens in
    mayor, hub = Viewer("mayor.kumanovo", "mayor", city, lang), Viewer("hub.admin", "hub")
    told_hub = recommend.recommendations(hub, city=city, lang=lang, engine=engine)
    told_hub = told_hub[told_hub["kind"] == "practice"]
    told_mayor = recommend.recommendations(mayor, city=city, lang=lang, engine=engine)
    others = set(told_mayor["municipality_code"].dropna())
    assert others and told_hub["gap"].notna().all()
    # What the mayor may receive: the own city's figures and the aggregates of the profile (a median of
    # an odd number of cities is one city's score, unnamed, so such values are allowed).
    periods = [p for (p,) in sql(engine, "SELECT DISTINCT period FROM dimension_scores")]
    allowed = _numeric_cells(qcity.city_trend(mayor, city=city, engine=engine),
                             compare.dimension_trend(mayor, city=city, engine=engine),
                             *[qcity.city_scores(mayor, city=city, period=p, engine=engine) for p in periods],
                             *[compare.indicator_positions(mayor, city=city, period=p, engine=engine) for p in periods])
    forbidden = set()
    for code in others:
        forbidden |= {float(s) for (s,) in sql(engine, "SELECT score FROM dimension_scores WHERE municipality_code = ? "
                                                        "AND score IS NOT NULL", code)}
        forbidden |= {float(s) for (s,) in sql(engine, "SELECT score FROM need_scores WHERE municipality_code = ? "
                                                        "AND score IS NOT NULL", code)}
    forbidden -= allowed
    assert len(forbidden) > 10
    own = {float(s) for (s,) in sql(engine, "SELECT score FROM dimension_scores WHERE municipality_code = ? "
                                            "AND score IS NOT NULL", city)}

    frames = _capture(page)
    sign_in(page, hub_server.url, "mayor.kumanovo", next="/city")
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=90_000)
    wait_for_app(page)
    assert len(list(open_each_tab(page))) >= 9           # each tab's content is sent only when it is open
    for reason in told_mayor.loc[told_mayor["kind"] == "practice", "reason"]:
        _wait_for_bytes(page, frames, markdown_text(reason).encode())      # every recommendation arrived
    wait_for_app(page)
    sent = b"".join(frames)
    numbers = _numbers(sent)
    # the detector works: the city's own scores reach its charts at full precision
    assert [s for s in own if _received(s, sent, numbers)]
    assert not [s for s in forbidden if _received(s, sent, numbers)], "another city's score reached the mayor"
    # the hub's wording carries the gap ("... {gap} points lower in ..."); the mayor's says "lower need"
    after_gap = t("recommend.why.practice_gap", lang).split("{gap}")[1].split("{")[0]
    for gap in told_hub["gap"]:
        assert markdown_text(fmt_number(gap, lang, 0) + after_gap).encode() not in sent
    lower = t("recommend.why.practice_lower", lang).split("{dimension}")[0].split("}")[-1].strip()
    assert markdown_text(lower).encode() in sent
