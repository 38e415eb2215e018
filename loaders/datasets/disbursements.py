"""disbursements: tranches paid to approved applications."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from hub.models import Disbursement, FundApplication
from loaders.datasets.common import application_id, money
from loaders.datasets.fund_applications import FUNDED, TOLERANCE
from loaders.spec import Column, DatasetSpec


def _stored(conn, ids) -> tuple[dict, dict]:
    """Applications (status, approved, decided_on) and their stored tranches, for ``ids``."""
    fa, d = FundApplication.__table__, Disbursement.__table__
    ids = list(set(ids))
    apps, tranches = {}, defaultdict(dict)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for a, st, ap, dec in conn.execute(select(fa.c.application_id, fa.c.status, fa.c.approved_eur,
                                                  fa.c.decided_on).where(fa.c.application_id.in_(chunk))):
            apps[a] = (st, ap, dec)
        for a, t, amt in conn.execute(select(d.c.application_id, d.c.tranche, d.c.amount_eur)
                                      .where(d.c.application_id.in_(chunk))):
            tranches[a][t] = float(amt)
    return apps, tranches


def check(ctx) -> None:
    ids = [r["application_id"] for _, r in ctx.rows if r.get("application_id")]
    apps, tranches = _stored(ctx.conn, ids)
    in_file: dict[str, dict] = defaultdict(dict)
    for rownum, rec in ctx.rows:
        app = rec.get("application_id")
        if app not in apps:
            continue  # unknown application: already reported by the reference check
        status, approved, decided = apps[app]
        if status not in FUNDED:
            ctx.error(rownum, "application_id", f"application {app} has status {status!r}; tranches are paid "
                                                "only to approved or completed applications")
            continue
        if decided and rec.get("paid_on") and rec["paid_on"] < decided:
            ctx.warn(rownum, "paid_on", f"paid on {rec['paid_on']} before the decision on {decided}")
        if rec.get("amount_eur") is None or rec.get("tranche") is None:
            continue
        in_file[app][rec["tranche"]] = rec["amount_eur"]
        # stored tranches that this file does not replace, plus this file's tranches so far
        total = sum(v for t, v in tranches[app].items() if t not in in_file[app]) + sum(in_file[app].values())
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
    rescore=True,
    depends_on=("fund_applications",),
)
