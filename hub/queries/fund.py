"""Technical Support Fund: pipeline, amounts, commitments vs disbursements, tranches, results.

Scope: hub management and donors see every application (city-level fund data is not
sensitive); a mayor sees only their own municipality's applications; any other role sees
nothing. Every function applies the same filters (``countries``, ``themes``, ``donors``,
``years`` of submission, ``statuses``), so the figures on the page always add up.

Definitions:
- *approved* (committed) = ``approved_eur`` of applications whose status is approved or
  completed (``APPROVED_STATUSES``);
- *disbursed* = the sum of the tranches paid to the selected applications;
- *absorption rate* = disbursed ÷ approved;
- *time to first tranche* = days from ``decided_on`` to the first tranche's ``paid_on``.
"""
from __future__ import annotations

from typing import Iterable

import pandas as pd
from sqlalchemy import case, extract, false, func, select

from hub.access import Viewer
from hub.db import get_engine
from hub.models import Disbursement, FundApplication, Municipality, Result
from hub.queries.dates import days_between, weighted_median

APPROVED_STATUSES = ("approved", "completed")
GROUPINGS = ("country", "theme", "donor", "year")

A = FundApplication.__table__
D = Disbursement.__table__
M = Municipality.__table__
R = Result.__table__


def _read(stmt, engine) -> pd.DataFrame:
    with (engine or get_engine()).connect() as conn:
        return pd.read_sql(stmt, conn)


def _scope(viewer: Viewer, stmt, code_col):
    if viewer.is_hub or viewer.is_donor:
        return stmt
    if viewer.is_mayor and viewer.municipality_code:
        return stmt.where(code_col == viewer.municipality_code)
    return stmt.where(false())


def _list(values) -> list | None:
    if values is None or isinstance(values, (str, int)):
        return None if values in (None, "") else [values]
    vals = [v for v in values if v not in (None, "")]
    return vals or None


def _filtered(viewer: Viewer, stmt, *, countries=None, themes=None, donors=None, years=None,
              statuses=None):
    """Apply the viewer's scope and the page filters to a statement over A joined to M."""
    stmt = _scope(viewer, stmt, A.c.municipality_code)
    if (v := _list(countries)):
        stmt = stmt.where(M.c.country.in_(v))
    if (v := _list(themes)):
        stmt = stmt.where(A.c.theme.in_(v))
    if (v := _list(donors)):
        stmt = stmt.where(A.c.donor.in_(v))
    if (v := _list(years)):
        stmt = stmt.where(extract("year", A.c.submitted_on).in_([int(y) for y in v]))
    if (v := _list(statuses)):
        stmt = stmt.where(A.c.status.in_(v))
    return stmt


def _paid_per_app():
    return (select(D.c.application_id, func.sum(D.c.amount_eur).label("paid"),
                   func.min(D.c.paid_on).label("first_paid"))
            .group_by(D.c.application_id).subquery("paid"))


def _approved_amount():
    return case((A.c.status.in_(APPROVED_STATUSES), func.coalesce(A.c.approved_eur, 0.0)), else_=0.0)


def filter_options(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """Distinct values for the sidebar filters: columns ``kind`` (country/theme/donor/year/status)
    and ``value`` (text), within the viewer's scope."""
    base = select(M.c.country, A.c.theme, A.c.donor, extract("year", A.c.submitted_on).label("year"),
                  A.c.status).select_from(A.join(M, A.c.municipality_code == M.c.code)).distinct()
    df = _read(_scope(viewer, base, A.c.municipality_code), engine)
    rows = []
    for kind in ("country", "theme", "donor", "year", "status"):
        vals = sorted({str(int(v)) if kind == "year" else str(v) for v in df[kind].dropna()})
        rows += [{"kind": kind, "value": v} for v in vals]
    return pd.DataFrame(rows, columns=["kind", "value"])


def headline(viewer: Viewer, *, engine=None, **filters) -> pd.DataFrame:
    """One row: applications, requested_eur, approved_eur, disbursed_eur, absorption (share or
    None), median_days_to_first_tranche (None when no tranche was paid after a decision)."""
    paid = _paid_per_app()
    j = A.join(M, A.c.municipality_code == M.c.code).outerjoin(paid, paid.c.application_id == A.c.application_id)
    stmt = select(
        func.count(A.c.application_id).label("applications"),
        func.coalesce(func.sum(A.c.requested_eur), 0.0).label("requested_eur"),
        func.coalesce(func.sum(_approved_amount()), 0.0).label("approved_eur"),
        func.coalesce(func.sum(paid.c.paid), 0.0).label("disbursed_eur"),
    ).select_from(j)
    df = _read(_filtered(viewer, stmt, **filters), engine)
    approved = float(df.at[0, "approved_eur"])
    df["absorption"] = float(df.at[0, "disbursed_eur"]) / approved if approved else None
    dist = days_to_first_tranche(viewer, engine=engine, **filters)
    df["median_days_to_first_tranche"] = weighted_median(dist["days"], dist["applications"])
    return df


def days_to_first_tranche(viewer: Viewer, *, engine=None, **filters) -> pd.DataFrame:
    """Distribution of days from decision to first tranche: columns ``days``, ``applications``."""
    paid = _paid_per_app()
    days = days_between(A.c.decided_on, paid.c.first_paid).label("days")
    stmt = (select(days, func.count().label("applications"))
            .select_from(A.join(M, A.c.municipality_code == M.c.code)
                         .join(paid, paid.c.application_id == A.c.application_id))
            .where(A.c.decided_on.is_not(None)))
    stmt = _filtered(viewer, stmt, **filters).group_by(days).order_by(days)
    return _read(stmt, engine)


def pipeline(viewer: Viewer, *, engine=None, **filters) -> pd.DataFrame:
    """Applications and requested euros per status: ``status``, ``applications``, ``requested_eur``."""
    stmt = select(A.c.status, func.count().label("applications"),
                  func.sum(A.c.requested_eur).label("requested_eur")
                  ).select_from(A.join(M, A.c.municipality_code == M.c.code))
    df = _read(_filtered(viewer, stmt, **filters).group_by(A.c.status), engine)
    order = {s: i for i, s in enumerate(("submitted", "under_review", "approved", "completed",
                                         "rejected", "withdrawn"))}
    return df.sort_values("status", key=lambda s: s.map(lambda v: order.get(v, 99))).reset_index(drop=True)


def amounts_by(viewer: Viewer, *, by: str = "country", engine=None, **filters) -> pd.DataFrame:
    """Requested / approved / disbursed euros grouped by ``by`` (country, theme, donor, year):
    columns ``group``, ``applications``, ``requested_eur``, ``approved_eur``, ``disbursed_eur``."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")
    key = {"country": M.c.country, "theme": A.c.theme, "donor": func.coalesce(A.c.donor, ""),
           "year": extract("year", A.c.submitted_on)}[by].label("group")
    paid = _paid_per_app()
    j = A.join(M, A.c.municipality_code == M.c.code).outerjoin(paid, paid.c.application_id == A.c.application_id)
    stmt = select(key, func.count(A.c.application_id).label("applications"),
                  func.coalesce(func.sum(A.c.requested_eur), 0.0).label("requested_eur"),
                  func.coalesce(func.sum(_approved_amount()), 0.0).label("approved_eur"),
                  func.coalesce(func.sum(paid.c.paid), 0.0).label("disbursed_eur")).select_from(j)
    df = _read(_filtered(viewer, stmt, **filters).group_by(key).order_by(key), engine)
    if by == "year":
        df["group"] = df["group"].astype(int).astype(str)
    return df


def timeline(viewer: Viewer, *, engine=None, **filters) -> pd.DataFrame:
    """Commitments (approved euros by decision month) and disbursements (by payment month),
    monthly and cumulative: ``month``, ``committed_eur``, ``disbursed_eur``, ``committed_cum``,
    ``disbursed_cum``. Grouped by day in SQL, rolled up to months here."""
    j = A.join(M, A.c.municipality_code == M.c.code)
    committed = (select(A.c.decided_on.label("day"), func.sum(_approved_amount()).label("eur"))
                 .select_from(j).where(A.c.decided_on.is_not(None))
                 .where(A.c.status.in_(APPROVED_STATUSES)))
    committed = _filtered(viewer, committed, **filters).group_by(A.c.decided_on)
    paid = (select(D.c.paid_on.label("day"), func.sum(D.c.amount_eur).label("eur"))
            .select_from(j.join(D, D.c.application_id == A.c.application_id)))
    paid = _filtered(viewer, paid, **filters).group_by(D.c.paid_on)
    c, p = _read(committed, engine), _read(paid, engine)
    cols = ["month", "committed_eur", "disbursed_eur", "committed_cum", "disbursed_cum"]
    if c.empty and p.empty:
        return pd.DataFrame(columns=cols)
    for df in (c, p):
        df["month"] = pd.to_datetime(df["day"]).dt.to_period("M").dt.to_timestamp()
    out = pd.concat([
        c.groupby("month")["eur"].sum().rename("committed_eur"),
        p.groupby("month")["eur"].sum().rename("disbursed_eur"),
    ], axis=1).fillna(0.0).sort_index()
    out = out.reindex(pd.date_range(out.index.min(), out.index.max(), freq="MS"), fill_value=0.0)
    out["committed_cum"] = out["committed_eur"].cumsum()
    out["disbursed_cum"] = out["disbursed_eur"].cumsum()
    return out.rename_axis("month").reset_index()[cols]


def _applications_stmt(viewer: Viewer, columns: Iterable, **filters):
    paid = _paid_per_app()
    j = A.join(M, A.c.municipality_code == M.c.code).outerjoin(paid, paid.c.application_id == A.c.application_id)
    return _filtered(viewer, select(*columns).select_from(j), **filters), paid


def applications_count(viewer: Viewer, *, engine=None, **filters) -> int:
    stmt, _ = _applications_stmt(viewer, [func.count(A.c.application_id)], **filters)
    with (engine or get_engine()).connect() as conn:
        return int(conn.execute(stmt).scalar() or 0)


def applications(viewer: Viewer, *, engine=None, page: int = 1, page_size: int = 50, **filters) -> pd.DataFrame:
    """One page of applications, newest first: id, municipality (name, local name, country),
    title, theme, status, dates, requested / approved / disbursed euros, donor."""
    paid = _paid_per_app()
    j = A.join(M, A.c.municipality_code == M.c.code).outerjoin(paid, paid.c.application_id == A.c.application_id)
    stmt = select(
        A.c.application_id, A.c.municipality_code, M.c.name.label("municipality"),
        M.c.name_local.label("municipality_local"), M.c.country, A.c.title, A.c.theme, A.c.status,
        A.c.submitted_on, A.c.decided_on, A.c.requested_eur, A.c.approved_eur,
        func.coalesce(paid.c.paid, 0.0).label("disbursed_eur"), A.c.donor,
    ).select_from(j)
    page, page_size = max(int(page), 1), max(int(page_size), 1)
    stmt = (_filtered(viewer, stmt, **filters)
            .order_by(A.c.submitted_on.desc(), A.c.application_id)
            .limit(page_size).offset((page - 1) * page_size))
    return _read(stmt, engine)


def tranches(viewer: Viewer, *, application_id: str | None = None, engine=None) -> pd.DataFrame:
    """The tranches of one application in the viewer's scope: ``tranche``, ``paid_on``, ``amount_eur``,
    ``cumulative_eur``, ``share_of_approved``."""
    stmt = (select(D.c.tranche, D.c.paid_on, D.c.amount_eur, A.c.approved_eur)
            .select_from(D.join(A, D.c.application_id == A.c.application_id))
            .where(D.c.application_id == (application_id or "")))
    df = _read(_scope(viewer, stmt, A.c.municipality_code).order_by(D.c.tranche), engine)
    df["cumulative_eur"] = df["amount_eur"].cumsum()
    df["share_of_approved"] = df["cumulative_eur"] / df["approved_eur"].where(df["approved_eur"] > 0)
    return df.drop(columns=["approved_eur"])


def results(viewer: Viewer, *, engine=None, application_id: str | None = None, **filters) -> pd.DataFrame:
    """Latest reported result per application and indicator, against baseline and target:
    ``application_id``, ``municipality``, ``country``, ``indicator``, ``reported_on``, ``baseline``,
    ``target``, ``actual``, ``progress`` = (actual − baseline) / (target − baseline), None when the
    target equals the baseline or a value is missing."""
    latest = (select(R.c.application_id, R.c.indicator, func.max(R.c.reported_on).label("last"))
              .group_by(R.c.application_id, R.c.indicator).subquery("latest"))
    gap = R.c.target - R.c.baseline
    progress = case((gap != 0, (R.c.actual - R.c.baseline) * 1.0 / gap), else_=None).label("progress")
    j = (R.join(latest, (latest.c.application_id == R.c.application_id)
                & (latest.c.indicator == R.c.indicator) & (latest.c.last == R.c.reported_on))
         .join(A, A.c.application_id == R.c.application_id)
         .join(M, A.c.municipality_code == M.c.code))
    stmt = select(R.c.application_id, M.c.name.label("municipality"), M.c.name_local.label("municipality_local"),
                  M.c.country, R.c.indicator, R.c.reported_on, R.c.baseline, R.c.target, R.c.actual,
                  progress).select_from(j)
    stmt = _filtered(viewer, stmt, **filters)
    if application_id:
        stmt = stmt.where(R.c.application_id == application_id)
    return _read(stmt.order_by(R.c.application_id, R.c.indicator), engine)
