"""Fixtures for the scoring tests: a small synthetic store written through the real models."""
from __future__ import annotations

import numpy as np
import pytest

from hub.db import get_engine
from hub.models import Indicator, IndicatorValue, Municipality, Priority
from hub.scoring import load_methodology

PERIODS = ("2023", "2024", "2025")


def fill_store(url: str, n_cities: int = 8, periods=PERIODS, seed: int = 7,
               missing: dict | None = None):
    """Cities, the catalogue of data/methodology.toml, values and stated priorities."""
    method = load_methodology()
    rng = np.random.default_rng(seed)
    engine = get_engine(url)
    missing = missing or {}
    codes = [f"C{i:02d}" for i in range(n_cities)]
    values, stated = [], []
    for p in periods:
        for c in codes:
            for ind in method.indicators.values():
                hi = ind.max if ind.max is not None else 50.0
                lo = ind.min if ind.min is not None else 0.0
                v = float(rng.integers(0, 2)) if ind.max == 1 else float(rng.uniform(lo, hi))
                if (c, ind.column) in missing.get(p, set()):
                    v = None
                values.append(dict(municipality_code=c, indicator_code=ind.column, period=p,
                                   value=v))
            values.append(dict(municipality_code=c, indicator_code="youth_share", period=p,
                               value=999.0))
            for r, theme in enumerate(rng.permutation(list(method.priority.themes))[:3]):
                stated.append(dict(municipality_code=c, period=p, theme=str(theme), rank=r + 1))
    indicators = [dict(code=i.column, name=i.name, domain=i.dimension, polarity=i.polarity,
                       sensitive=False) for i in method.indicators.values()]
    indicators.append(dict(code="youth_share", name="Youth share", domain="youth_engagement",
                           polarity="higher_is_better", sensitive=False))
    with engine.begin() as conn:
        conn.execute(Municipality.__table__.insert(),
                     [dict(code=c, name=f"City {c}", country="RS") for c in codes])
        conn.execute(Indicator.__table__.insert(), indicators)
        conn.execute(IndicatorValue.__table__.insert(), values)
        conn.execute(Priority.__table__.insert(), stated)
    return engine


@pytest.fixture
def store_url(empty_url) -> str:
    fill_store(empty_url)
    return empty_url
