"""indicator_values: needs-assessment and youth indicators, long format."""
from __future__ import annotations

from hub.models import IndicatorValue
from loaders.datasets.common import municipality_code, period
from loaders.spec import Column, DatasetSpec

SPEC = DatasetSpec(
    name="indicator_values",
    model=IndicatorValue,
    key=("municipality_code", "indicator_code", "period"),
    description="One value per municipality, indicator and period (long format).",
    columns=(
        municipality_code(),
        Column("indicator_code", "text", True, "indicator (as in indicators.code)", "hate_incidents",
               ref=("indicators", "code")),
        period(),
        Column("value", "number", False, "the measured value, in the indicator's unit; empty = not measured",
               "3,75"),
        Column("source", "text", False, "where this value comes from", "Police annual report"),
        Column("note", "text", False, "remarks", "estimate"),
    ),
    rescore=True,
    depends_on=("municipalities", "indicators"),
)
