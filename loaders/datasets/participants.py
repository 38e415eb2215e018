"""participants: who took part in each event, by organisation and role."""
from __future__ import annotations

from hub.models import PARTICIPANT_ROLES, Participant
from loaders.datasets.common import municipality_code
from loaders.spec import Column, DatasetSpec


def check(ctx) -> None:
    if "municipality_code" not in ctx.present:
        return
    for rownum, rec in ctx.rows:
        if rec.get("role") in ("mayor", "deputy_mayor", "municipal_official") and not rec.get("municipality_code"):
            ctx.warn(rownum, "municipality_code", f"a {rec['role']} without a municipality code")


SPEC = DatasetSpec(
    name="participants",
    model=Participant,
    key=("event_id", "organisation", "role"),
    description="Participation in events: how many people of which organisation and role.",
    columns=(
        Column("event_id", "text", True, "event (as in events.event_id)", "RT-2024-MK", ref=("events", "event_id")),
        municipality_code(False, "municipality the organisation belongs to; empty for others"),
        Column("organisation", "text", True, "organisation", "Municipality of Kumanovo"),
        Column("role", "text", True, "participants' role", "mayor", choices=PARTICIPANT_ROLES),
        Column("count", "int", False, "number of people (default 1)", "1", minimum=1, default=1),
    ),
    check=check,
    depends_on=("events", "municipalities"),
)
