"""indicator_values: needs-assessment and youth indicators, long format."""
from __future__ import annotations

from hub.models import IndicatorValue
from loaders.datasets.common import municipality_code, period
from loaders.spec import Column, DatasetSpec

METHODS = ("file", "survey")


def check(ctx) -> None:
    if "submission_uuid" not in ctx.present:
        return
    for rownum, rec in ctx.rows:
        if rec.get("submission_uuid") and rec.get("method") != "survey":
            ctx.error(rownum, "method", "a value with a submission_uuid was collected by survey: write method survey")

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
        Column("method", "text", False, "how the value was collected: file (default) or survey; "
               "optional column, a file without it marks its values as file", "file",
               choices=METHODS, default="file", optional_header=True, always=True),
        Column("submission_uuid", "text", False, "the survey submission (Kobo _uuid, ODK instanceID) the value "
               "comes from; optional column, empty without it", "", optional_header=True, always=True),
    ),
    check=check,
    rescore=True,
    depends_on=("municipalities", "indicators"),
)
