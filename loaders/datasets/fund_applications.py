"""fund_applications: Technical Support Fund applications and their decisions."""
from __future__ import annotations

from sqlalchemy import func, select

from hub.donors import DonorSyntaxError, parse_shares
from hub.models import FUND_STATUSES, FUNDED_STATUSES, Disbursement, FundApplication
from loaders.datasets.common import money, municipality_code, theme, warn_unknown_themes
from loaders.spec import CODE, Column, DatasetSpec
from loaders.store import select_for

DECIDED = ("approved", "rejected", "completed")
TOLERANCE = 0.005                      # half a cent


def paid_so_far(conn, application_ids) -> dict[str, float]:
    """Sum of the stored tranches per application."""
    d = Disbursement.__table__
    q = select(d.c.application_id, func.sum(d.c.amount_eur)).group_by(d.c.application_id)
    return {a: float(s or 0) for a, s in select_for(conn, q, d.c.application_id, application_ids)}


def check(ctx) -> None:
    warn_unknown_themes(ctx)
    for rownum, rec in ctx.rows:
        try:
            parse_shares(rec.get("donor"))
        except DonorSyntaxError as e:
            ctx.error(rownum, "donor", str(e))
    has_approved = "approved_eur" in ctx.present
    for rownum, rec in ctx.rows:
        status, sub, dec = rec.get("status"), rec.get("submitted_on"), rec.get("decided_on")
        if sub and dec and dec < sub:
            ctx.error(rownum, "decided_on", f"decided on {dec} before it was submitted on {sub}")
        if has_approved and rec.get("approved_eur") is not None and status and status not in FUNDED_STATUSES:
            ctx.error(rownum, "approved_eur", f"an application with status {status!r} cannot have an "
                                              "approved amount (only approved or completed)")
        if has_approved and status in FUNDED_STATUSES and rec.get("approved_eur") is None:
            ctx.error(rownum, "approved_eur", f"an application with status {status!r} needs its approved amount")
        if status in DECIDED and dec is None and "decided_on" in ctx.present:
            ctx.warn(rownum, "decided_on", f"status is {status!r} but the decision date is empty")
        req, appr = rec.get("requested_eur"), rec.get("approved_eur")
        if req is not None and appr is not None and appr > req + TOLERANCE:
            ctx.warn(rownum, "approved_eur", f"approved {appr:,.2f} EUR is more than the {req:,.2f} EUR requested")
    # Against the tranches already stored: the new decision must still cover them.
    paid = paid_so_far(ctx.conn, [r.get("application_id") for _, r in ctx.rows if r.get("application_id")])
    for rownum, rec in ctx.rows:
        total = paid.get(rec.get("application_id"), 0.0)
        if not total:
            continue
        if rec.get("status") and rec["status"] not in FUNDED_STATUSES:
            ctx.error(rownum, "status", f"{total:,.2f} EUR has already been paid to this application; "
                                        f"its status cannot become {rec['status']!r}")
        elif has_approved and rec.get("approved_eur") is not None and rec["approved_eur"] + TOLERANCE < total:
            ctx.error(rownum, "approved_eur", f"approved {rec['approved_eur']:,.2f} EUR is less than the "
                                              f"{total:,.2f} EUR already paid in tranches")


SPEC = DatasetSpec(
    name="fund_applications",
    model=FundApplication,
    key=("application_id",),
    description="Technical Support Fund applications: request, status, decision and donor.",
    columns=(
        Column("application_id", "text", True, "the application's reference", "TSF-2024-007", pattern=CODE),
        municipality_code(),
        Column("title", "text", True, "project title", "Youth council for Kumanovo"),
        theme(),
        Column("submitted_on", "date", True, "date the application was submitted", "2024-03-31"),
        money("requested_eur", True, "amount requested", "25.000,00"),
        Column("status", "text", True, "where the application stands", "approved", choices=FUND_STATUSES),
        Column("decided_on", "date", False, "date of the decision (not before submitted_on)", "15.05.2024"),
        money("approved_eur", False, "amount approved; only for approved or completed applications",
              "20000"),
        Column("donor", "text", False, "who funds it: one donor, or a pooled project's donors separated by ';' "
               "with their shares in % (equal shares when none is given)", "Switzerland:60; Norway:40"),
        Column("title_sq", "text", False, "project title in Albanian", "Këshilli rinor për Kumanovën"),
        Column("title_bcms", "text", False, "project title in BCMS", "Savjet mladih za Kumanovo"),
        Column("title_mk", "text", False, "project title in Macedonian", "Младински совет за Куманово"),
    ),
    check=check,
    depends_on=("municipalities",),
)
