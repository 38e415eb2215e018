"""disbursements: tranches paid to approved applications."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from hub.models import FUNDED_STATUSES, Disbursement, FundApplication
from loaders.datasets.common import application_id, money
from loaders.datasets.fund_applications import TOLERANCE
from loaders.spec import Column, DatasetSpec
from loaders.store import select_for


def _stored(conn, ids) -> tuple[dict, dict]:
    """Applications (status, approved, decided_on) and their stored tranches, for ``ids``."""
    fa, d = FundApplication.__table__, Disbursement.__table__
    ids = set(ids)
    apps = {a: (st, ap, dec) for a, st, ap, dec in select_for(
        conn, select(fa.c.application_id, fa.c.status, fa.c.approved_eur, fa.c.decided_on),
        fa.c.application_id, ids)}
    tranches: dict[str, dict] = defaultdict(dict)
    for a, t, amt in select_for(conn, select(d.c.application_id, d.c.tranche, d.c.amount_eur),
                                d.c.application_id, ids):
        tranches[a][t] = float(amt)
    return apps, tranches


def check(ctx) -> None:
    ids = [r["application_id"] for _, r in ctx.rows if r.get("application_id")]
    apps, tranches = _stored(ctx.conn, ids)
    # Running total per application: stored tranches, minus those the file replaces, plus the file's.
    running = {a: sum(t.values()) for a, t in tranches.items()}
    replaced: dict[str, set] = defaultdict(set)
    for rownum, rec in ctx.rows:
        app = rec.get("application_id")
        if app not in apps:
            continue  # unknown application: already reported by the reference check
        status, approved, decided = apps[app]
        if status not in FUNDED_STATUSES:
            ctx.error(rownum, "application_id", f"application {app} has status {status!r}; tranches are paid "
                                                "only to approved or completed applications")
            continue
        paid_on, tranche, amount = rec.get("paid_on"), rec.get("tranche"), rec.get("amount_eur")
        if decided and paid_on and paid_on < decided:
            ctx.warn(rownum, "paid_on", f"paid on {paid_on} before the decision on {decided}")
        if amount is None or tranche is None or tranche in replaced[app]:
            continue  # missing values or a duplicate key: already reported
        replaced[app].add(tranche)
        total = running.get(app, 0.0) - tranches[app].get(tranche, 0.0) + amount
        running[app] = total
        if approved is None or total > approved + TOLERANCE:
            stored = sum(tranches[app].values())
            limit = "no approved amount" if approved is None else f"its approved {approved:,.2f} EUR"
            ctx.error(rownum, "amount_eur",
                      f"tranches of application {app} would total {total:,.2f} EUR, past {limit} "
                      f"({stored:,.2f} EUR already stored)")


SPEC = DatasetSpec(
    name="disbursements",
    model=Disbursement,
    key=("application_id", "tranche"),
    description="Tranches paid to approved applications; their total never exceeds the approved amount.",
    columns=(
        application_id(),
        Column("tranche", "int", True, "tranche number, 1, 2, ...", "1", minimum=1),
        Column("paid_on", "date", True, "payment date", "2024-06-30"),
        money("amount_eur", True, "amount paid", "10.000,00"),
    ),
    check=check,
    depends_on=("fund_applications",),
)
