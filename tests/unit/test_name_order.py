"""Names sort the same everywhere: hub.i18n.sort_key, not the database's collation (both backends)."""
from __future__ import annotations

import random

import pandas as pd
from sqlmodel import Session

from hub.access import Viewer
from hub.db import get_engine
from hub.i18n import name_order, sort_key, sorted_names
from hub.models import Indicator, IndicatorValue, Municipality
from hub.queries import city, youth

EXPECTED = ["Aerodrom", "Čair", "Чаир", "Ćuprija", "Đakovica", "Štip", "Žabljak"]
HUB = Viewer("hub.admin", "hub")


def shuffled(items, seed=7):
    items = list(items)
    random.Random(seed).shuffle(items)
    return items


def test_sort_key_orders_letters_with_diacritics_and_cyrillic_beside_their_base_letter():
    for seed in range(5):
        assert sorted_names(shuffled(EXPECTED, seed)) == EXPECTED
    assert sorted_names(["b", None, "a", float("nan"), ""])[:2] == ["a", "b"]
    assert sorted_names(["čair", "Čair", "Cair"]) == ["Cair", "Čair", "čair"]   # total, case then accents
    assert sort_key("Čair") < sort_key("Ćuprija") < sort_key("Dakovica") < sort_key("Đakovica") < sort_key("Eski")


def test_name_order_for_frames_leaves_numbers_alone():
    df = pd.DataFrame({"n": [2, 1, 1], "name": ["Štip", "Žabljak", "Čair"]})
    out = df.sort_values(["n", "name"], key=name_order)
    assert list(out["name"]) == ["Čair", "Žabljak", "Štip"]


def test_queries_sort_names_the_same_on_every_backend(empty_url):
    engine = get_engine(empty_url)
    with Session(engine) as s:
        for i, name in enumerate(shuffled(EXPECTED)):
            s.add(Municipality(code=f"MK{i:03d}", name=name, country="MK"))
        s.add(Indicator(code="youth_share", name="Youth share", domain="youth_engagement",
                        polarity="higher_is_better"))
        s.commit()
        for i in range(len(EXPECTED)):
            s.add(IndicatorValue(municipality_code=f"MK{i:03d}", indicator_code="youth_share", period="2025",
                                 value=float(i)))
        s.commit()
    assert list(city.city_options(HUB, engine=engine)["name"]) == EXPECTED
    assert list(youth.by_city(HUB, engine=engine, period="2025")["municipality"]) == EXPECTED
