"""Do No Harm in a real browser: the mayor of Kumanovo gets Kumanovo, and no other city's name.

Tables are drawn on a canvas, so the test reads what actually reaches the browser: every
websocket frame the server sends (protobuf with the Arrow bytes of each table, in UTF-8).
"""
from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import create_engine

from tests.e2e.conftest import open_each_tab, wait_for_app

pytestmark = pytest.mark.e2e


def _names(db_url: str) -> tuple[dict, set[str]]:
    engine = create_engine(db_url)
    with engine.connect() as c:
        munis = pd.read_sql("SELECT code, name, name_local FROM municipalities", c)
        places = set(pd.read_sql("SELECT DISTINCT location FROM events", c).location.dropna())
    engine.dispose()
    return {r.code: (r.name, r.name_local) for r in munis.itertuples()}, places


def _recommended_cities(db_url: str, city: str) -> set[str]:
    """Cities whose public practices the profile recommends to the mayor (issue 16): a practice is public
    knowledge and names its city; that city's scores never travel with it (tests/unit/queries)."""
    from hub.access import Viewer
    from hub.queries.recommend import recommendations
    engine = create_engine(db_url)
    mayor = Viewer("mayor.kumanovo", "mayor", city, "mk")
    codes = set(recommendations(mayor, city=city, engine=engine)["municipality_code"].dropna())
    engine.dispose()
    return codes


def test_mayor_sees_own_city_and_no_other_city_name(hub_server, page, sign_in):
    munis, event_places = _names(hub_server.db_url)
    kumanovo = next(code for code, (name, _) in munis.items() if name == "Kumanovo")
    recommended = _recommended_cities(hub_server.db_url, kumanovo)
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda payload: frames.append(payload if isinstance(payload, bytes) else payload.encode())))

    sign_in(page, hub_server.url, "mayor.kumanovo", next="/city")
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=90_000)
    wait_for_app(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "Куманово" in body or "Kumanovo" in body
    assert len(list(open_each_tab(page))) >= 9           # each tab's content is sent only when it is open

    # A tampered link to another city is refused, not shown.
    other = next(code for code, (name, _) in munis.items() if name == "Tuzla")
    page.goto(f"{hub_server.url}/city?city={other}")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=90_000)

    sent = b"".join(frames)
    assert kumanovo.encode() in sent
    leaked = []
    for code, (name, local) in munis.items():
        if code == kumanovo or code in recommended:
            continue
        for n in {name, local} - {None, ""}:
            # Event venues are places, not score rows: the events Kumanovo's people attended name them.
            if n in event_places or len(n) < 4:
                continue
            if n.encode("utf-8") in sent:
                leaked.append(n)
    assert not leaked, f"other cities' names reached the mayor's browser: {leaked[:10]}"
