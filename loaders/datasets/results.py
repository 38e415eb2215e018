"""results: what funded projects report against their targets."""
from __future__ import annotations

from hub.models import Result
from loaders.datasets.common import application_id
from loaders.spec import Column, DatasetSpec

SPEC = DatasetSpec(
    name="results",
    model=Result,
    key=("application_id", "indicator", "reported_on"),
    description="Results reported by funded projects: baseline, target and actual per project indicator.",
    columns=(
        application_id(),
        Column("indicator", "text", True, "the project's own result indicator", "young people trained"),
        Column("baseline", "number", False, "value before the project", "0"),
        Column("target", "number", False, "value the project aims for", "120"),
        Column("actual", "number", False, "value reached at the reporting date", "95"),
        Column("reported_on", "date", True, "reporting date", "31.12.2024"),
    ),
    depends_on=("fund_applications",),
)
