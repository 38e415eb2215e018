"""helpdesk_requests: requests cities send to the hub's help desk."""
from __future__ import annotations

from hub.models import HELPDESK_STATUSES, HelpdeskRequest
from loaders.datasets.common import municipality_code
from loaders.spec import CODE, Column, DatasetSpec


def check(ctx) -> None:
    for rownum, rec in ctx.rows:
        opened, resolved, status = rec.get("opened_on"), rec.get("resolved_on"), rec.get("status")
        if opened and resolved and resolved < opened:
            ctx.error(rownum, "resolved_on", f"resolved on {resolved} before it was opened on {opened}")
        if resolved and status and status != "resolved":
            ctx.warn(rownum, "resolved_on", f"has a resolution date but status {status!r}")
        if status == "resolved" and resolved is None and "resolved_on" in ctx.present:
            ctx.warn(rownum, "resolved_on", "status is 'resolved' but the resolution date is empty")


SPEC = DatasetSpec(
    name="helpdesk_requests",
    model=HelpdeskRequest,
    key=("request_id",),
    description="Help-desk requests: who asked, about what, through which channel, and whether resolved.",
    columns=(
        Column("request_id", "text", True, "the request's reference", "HD-2024-0042", pattern=CODE),
        municipality_code(),
        Column("opened_on", "date", True, "date the request came in", "2024-02-12"),
        Column("topic", "text", True, "subject of the request", "youth_engagement"),
        Column("channel", "text", True, "how it came in", "email"),
        Column("status", "text", True, "where it stands", "resolved", choices=HELPDESK_STATUSES),
        Column("resolved_on", "date", False, "date it was resolved (not before opened_on)", "2024-03-01"),
    ),
    check=check,
    depends_on=("municipalities",),
)
