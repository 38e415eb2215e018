"""indicators: the catalogue of measured indicators."""
from __future__ import annotations

from hub.models import POLARITIES, Indicator
from loaders.spec import SLUG, Column, DatasetSpec

SPEC = DatasetSpec(
    name="indicators",
    model=Indicator,
    key=("code",),
    description="The indicator catalogue: what is measured, in which domain, and which way is worse.",
    columns=(
        Column("code", "text", True, "indicator code, used by indicator_values and the methodology",
               "hate_incidents", pattern=SLUG),
        Column("name", "text", True, "readable name", "Reported hate incidents"),
        Column("domain", "text", True, "domain (= methodology dimension)", "threat_landscape", pattern=SLUG),
        Column("unit", "text", False, "unit of the values", "per 10,000 residents"),
        Column("polarity", "text", True, "which direction means more need", "higher_is_worse",
               choices=POLARITIES),
        Column("description", "text", False, "what the indicator measures", "Incidents reported to police"),
        Column("source", "text", False, "where the values come from", "Ministry of Interior"),
        Column("sensitive", "bool", False, "donors see it only as economy aggregates over 3+ cities "
               "(true/false/1/0/yes/no; optional column, default false)", "true",
               default=False, optional_header=True),
    ),
    rescore=True,
)
