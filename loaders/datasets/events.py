"""events: roundtables, workshops, trainings and visits."""
from __future__ import annotations

from hub.models import EVENT_KINDS, LANGUAGES, Event
from loaders.spec import CODE, Column, DatasetSpec

SPEC = DatasetSpec(
    name="events",
    model=Event,
    key=("event_id",),
    description="The hub's events: roundtables, workshops, trainings and study visits.",
    columns=(
        Column("event_id", "text", True, "the event's reference", "RT-2024-MK", pattern=CODE),
        Column("kind", "text", True, "kind of event", "roundtable", choices=EVENT_KINDS),
        Column("title", "text", True, "title", "Launch roundtable (Macedonian)"),
        Column("held_on", "date", True, "date", "2024-10-15"),
        Column("language", "text", True, "working language", "mk", choices=LANGUAGES),
        Column("location", "text", False, "city or venue", "Skopje"),
        Column("virtual", "bool", False, "held online (true/false; default false)", "false", default=False),
    ),
)
