"""priorities: each city's stated priority themes, ranked."""
from __future__ import annotations

from collections import defaultdict

from hub.models import Priority
from loaders.datasets.common import municipality_code, period, theme, warn_unknown_themes
from loaders.spec import Column, DatasetSpec


def check(ctx) -> None:
    warn_unknown_themes(ctx)
    seen: dict[tuple, int] = defaultdict(int)
    for rownum, rec in ctx.rows:
        k = (rec.get("municipality_code"), rec.get("period"), rec.get("rank"))
        if None not in k:
            if k in seen:
                ctx.warn(rownum, "rank", f"rank {k[2]} is given twice for {k[0]} in {k[1]} (row {seen[k]})")
            else:
                seen[k] = rownum


SPEC = DatasetSpec(
    name="priorities",
    model=Priority,
    key=("municipality_code", "period", "theme"),
    description="The priorities each city states, as a ranking of the hub's themes.",
    columns=(
        municipality_code(),
        period("period the priorities were stated for"),
        theme(),
        Column("rank", "int", True, "1 = the city's top priority", "1", minimum=1),
    ),
    check=check,
    rescore=True,
    depends_on=("municipalities",),
)
