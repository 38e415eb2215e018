"""Build small methodologies in tests without files."""
from __future__ import annotations

import copy

from hub.scoring.methodology import parse_methodology

BASE = {
    "index": {"id": "t", "unit_column": "unit", "measures": "need",
              "aggregation": "arithmetic", "scale": 100},
    "dimensions": {"d1": {"weight": 1.0, "aggregation": "arithmetic"}},
    "indicators": {
        "x": {"dimension": "d1", "polarity": "higher_is_worse", "weight": 1.0},
    },
}


def method(index=None, dimensions=None, indicators=None, **extra):
    doc = copy.deepcopy(BASE)
    if index:
        doc["index"].update(index)
    if dimensions is not None:
        doc["dimensions"] = dimensions
    if indicators is not None:
        doc["indicators"] = indicators
    doc.update(extra)
    return parse_methodology(doc)
