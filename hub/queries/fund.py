"""Technical Support Fund: pipeline, amounts, commitments vs disbursements, tranches, results.

Scope: hub management and donors see every application (city-level fund data is not
sensitive); a mayor sees only their own municipality's applications; any other role sees
nothing. Every function applies the same filters (``countries``, ``themes``, ``donors``,
``years`` of submission, ``statuses``), so the figures on the page always add up.

Definitions:
- *approved* (committed) = ``approved_eur`` of applications whose status is approved or
  completed (``hub.models.FUNDED_STATUSES``);
- *disbursed* = the sum of the tranches paid to the selected applications;
- *absorption rate* = disbursed ÷ approved;
- *time to first tranche* = days from ``decided_on`` to the first tranche's ``paid_on``.

Donor scope (issue 15; the rules are in ``hub.donors``): a donor account's ``Viewer.donors``
are its donor(s). A donor sees every figure twice: *the whole fund* (every application, like the
hub) and *my contribution* (its donors' pro-rata parts, ``contribution_*`` columns and the
``contributions``/``flow`` rows). A donor never receives another donor's split: a ``donors``
filter naming another donor is dropped for them, ``amounts_by(by="donor")`` gives their own
donors and one "other donors" row, and application rows carry their own share instead of the
donor column. The hub sees every donor; with a ``donors`` filter, *contribution* means the
selected donors' parts.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import case, extract, func, literal, or_, select

from hub.access import Viewer
from hub.donors import parse_shares, split_cents
from hub.models import FUNDED_STATUSES, Disbursement, FundApplication, Municipality, NeedScore, Result
from hub.queries import scope
from hub.queries.base import as_list, latest, read, scalar
from hub.queries.dates import days_between, weighted_median

GROUPINGS = ("country", "theme", "donor", "year")

A = FundApplication.__table__
D = Disbursement.__table__
M = Municipality.__table__
R = Result.__table__
APPS = A.join(M, A.c.municipality_code == M.c.code)     # every application with its municipality


def _filtered(viewer: Viewer, stmt, *, countries=None, themes=None, donors=None, years=None,
              statuses=None):
    """Apply the viewer's scope and the page filters to a statement over ``APPS``."""
    stmt = stmt.where(scope.cities(viewer, A.c.municipality_code))
    if (v := as_list(countries)):
        stmt = stmt.where(M.c.country.in_(v))
    if (v := as_list(themes)):
        stmt = stmt.where(A.c.theme.in_(v))
    if (v := _donor_filter(viewer, donors)):
        stmt = stmt.where(or_(*[_funds(d) for d in v]))
    if (v := as_list(years)):
        stmt = stmt.where(extract("year", A.c.submitted_on).in_([int(y) for y in v]))
    if (v := as_list(statuses)):
        stmt = stmt.where(A.c.status.in_(v))
    return stmt


OTHER_DONORS = "*"     # the group value of "every other donor" in a donor's amounts_by(by="donor")


def _donor_filter(viewer: Viewer, donors) -> list | None:
    """The ``donors`` filter as the viewer may apply it: a donor account only among its own donors."""
    v = as_list(donors)
    if v and viewer.is_donor:
        v = [d for d in v if d in viewer.donors] or None
    return v


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _funds(name: str):
    """SQL: the application's ``donor`` names ``name`` (alone, pooled, with or without a share);
    spaces are ignored on both sides, as ``hub.donors.parse_shares`` ignores them around names."""
    norm = literal(";").concat(func.replace(func.coalesce(A.c.donor, ""), " ", "")).concat(";")
    key = _escape_like(name.replace(" ", ""))
    return or_(norm.like(f"%;{key};%", escape="\\"), norm.like(f"%;{key}:%", escape="\\"))


def contribution_donors(viewer: Viewer, donors=None) -> tuple[str, ...]:
    """Whose *contribution* the figures show: a donor account's own donors, or the hub's donor
    filter; ``()`` = none (the hub without a donor filter sees the whole fund only)."""
    if viewer.is_donor:
        return tuple(_donor_filter(viewer, donors) or viewer.donors)
    if viewer.is_hub:
        return tuple(as_list(donors) or ())
    return ()


def _paid_per_app():
    return (select(D.c.application_id, func.sum(D.c.amount_eur).label("paid"),
                   func.min(D.c.paid_on).label("first_paid"))
            .group_by(D.c.application_id).subquery("paid"))


def _with_paid(paid=None):
    """``APPS`` with what each application was paid (``paid``: a per-application subquery of the
    tranches, ``_paid_per_app()`` unless given); returns the join and the subquery."""
    paid = _paid_per_app() if paid is None else paid
    return APPS.outerjoin(paid, paid.c.application_id == A.c.application_id), paid


def _approved_amount():
    return case((A.c.status.in_(FUNDED_STATUSES), func.coalesce(A.c.approved_eur, 0.0)), else_=0.0)


def _amounts(paid) -> list:
    """applications, requested_eur, approved_eur, disbursed_eur: the sums every grouping shows."""
    return [func.count(A.c.application_id).label("applications"),
            func.coalesce(func.sum(A.c.requested_eur), 0.0).label("requested_eur"),
            func.coalesce(func.sum(_approved_amount()), 0.0).label("approved_eur"),
            func.coalesce(func.sum(paid.c.paid), 0.0).label("disbursed_eur")]


def filter_options(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """Distinct values for the sidebar filters: columns ``kind`` (country/theme/donor/year/status)
    and ``value`` (text), within the viewer's scope. Donors are single names (a pooled project's
    donors each count); a donor account is offered only its own donors."""
    base = select(M.c.country, A.c.theme, A.c.donor, extract("year", A.c.submitted_on).label("year"),
                  A.c.status).select_from(APPS).distinct()
    df = read(base.where(scope.cities(viewer, A.c.municipality_code)), engine)
    rows = []
    for kind in ("country", "theme", "donor", "year", "status"):
        if kind == "donor":
            vals = sorted({name for text in df["donor"].dropna() for name, _ in _shares(text)})
            if viewer.is_donor:
                vals = [v for v in vals if v in viewer.donors]
        else:
            vals = sorted({str(int(v)) if kind == "year" else str(v) for v in df[kind].dropna()})
        rows += [{"kind": kind, "value": v} for v in vals]
    return pd.DataFrame(rows, columns=["kind", "value"])


def _shares(text) -> list[tuple[str, float]]:
    """``hub.donors.parse_shares``; a value the loader would refuse counts as one donor named as written."""
    if not isinstance(text, str):
        return []                  # None / NaN from pandas: no donor named
    try:
        return parse_shares(text)
    except ValueError:
        return [(str(text).strip(), 1.0)]


def headline(viewer: Viewer, *, engine=None, **filters) -> pd.DataFrame:
    """One row: applications, requested_eur, approved_eur, disbursed_eur, absorption (share or
    None), median_days_to_first_tranche (None when no tranche was paid after a decision): the whole
    fund under the filters. Then *my contribution* (see ``contribution_donors``): ``contribution_of``
    (the donors, "; "-joined, None without), ``contribution_projects``, ``contribution_approved_eur``,
    ``contribution_disbursed_eur``, ``contribution_absorption`` (None when there is no contribution)."""
    j, paid = _with_paid()
    df = read(_filtered(viewer, select(*_amounts(paid)).select_from(j), **filters), engine)
    approved = float(df.at[0, "approved_eur"])
    df["absorption"] = float(df.at[0, "disbursed_eur"]) / approved if approved else None
    dist = days_to_first_tranche(viewer, engine=engine, **filters)
    df["median_days_to_first_tranche"] = weighted_median(dist["days"], dist["applications"])
    mine = contribution_donors(viewer, filters.get("donors"))
    df["contribution_of"] = "; ".join(mine) if mine else None
    if mine:
        c = contributions(viewer, engine=engine, **filters)
        funded = c[c["approved_eur"] > 0]
        df["contribution_projects"] = funded["application_id"].nunique()
        df["contribution_approved_eur"] = round(float(c["approved_eur"].sum()), 2)
        df["contribution_disbursed_eur"] = round(float(c["disbursed_eur"].sum()), 2)
        a = df.at[0, "contribution_approved_eur"]
        df["contribution_absorption"] = df.at[0, "contribution_disbursed_eur"] / a if a else None
    else:
        for col in ("contribution_projects", "contribution_approved_eur", "contribution_disbursed_eur",
                    "contribution_absorption"):
            df[col] = None
    return df



def days_to_first_tranche(viewer: Viewer, *, engine=None, **filters) -> pd.DataFrame:
    """Distribution of days from decision to first tranche: columns ``days``, ``applications``."""
    paid = _paid_per_app()
    days = days_between(A.c.decided_on, paid.c.first_paid).label("days")
    stmt = (select(days, func.count().label("applications"))
            .select_from(APPS.join(paid, paid.c.application_id == A.c.application_id))
            .where(A.c.decided_on.is_not(None)))
    stmt = _filtered(viewer, stmt, **filters).group_by(days).order_by(days)
    return read(stmt, engine)


def pipeline(viewer: Viewer, *, engine=None, **filters) -> pd.DataFrame:
    """Applications and requested euros per status: ``status``, ``applications``, ``requested_eur``."""
    stmt = select(A.c.status, func.count().label("applications"),
                  func.sum(A.c.requested_eur).label("requested_eur")).select_from(APPS)
    df = read(_filtered(viewer, stmt, **filters).group_by(A.c.status), engine)
    order = {s: i for i, s in enumerate(("submitted", "under_review", "approved", "completed",
                                         "rejected", "withdrawn"))}
    return df.sort_values("status", key=lambda s: s.map(lambda v: order.get(v, 99))).reset_index(drop=True)


def amounts_by(viewer: Viewer, *, by: str = "country", engine=None, **filters) -> pd.DataFrame:
    """Requested / approved / disbursed euros grouped by ``by`` (country, theme, donor, year):
    columns ``group``, ``applications``, ``requested_eur``, ``approved_eur``, ``disbursed_eur``, and
    when there is a contribution (``contribution_donors``) and ``by`` is not donor,
    ``contribution_approved_eur`` and ``contribution_disbursed_eur`` (its parts, to the cent).
    By donor, pooled projects count pro rata for each of their donors ("" = no donor named); a
    donor account gets its own donors and one ``OTHER_DONORS`` row (the rest of the fund)."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")
    if by == "donor":
        return _amounts_by_donor(viewer, engine=engine, **filters)
    key = {"country": M.c.country, "theme": A.c.theme, "donor": func.coalesce(A.c.donor, ""),
           "year": extract("year", A.c.submitted_on)}[by].label("group")
    j, paid = _with_paid()
    stmt = select(key, *_amounts(paid)).select_from(j)
    df = read(_filtered(viewer, stmt, **filters).group_by(key).order_by(key), engine)
    if by == "year":
        df["group"] = df["group"].astype(int).astype(str)
    if not contribution_donors(viewer, filters.get("donors")):
        return df
    # my contribution beside the whole fund: the donors' parts of each group's applications
    groups = read(_filtered(viewer, select(A.c.application_id, key).select_from(APPS), **filters), engine)
    if by == "year":
        groups["group"] = groups["group"].astype(int).astype(str)
    c = contributions(viewer, engine=engine, **filters).merge(groups, on="application_id")
    mine = c.groupby("group")[["approved_eur", "disbursed_eur"]].sum().round(2)
    for col in ("approved_eur", "disbursed_eur"):
        df[f"contribution_{col}"] = df["group"].map(mine[col]).fillna(0.0)
    return df


def timeline(viewer: Viewer, *, engine=None, **filters) -> pd.DataFrame:
    """Commitments (approved euros by decision month) and disbursements (by payment month),
    monthly and cumulative: ``month``, ``committed_eur``, ``disbursed_eur``, ``committed_cum``,
    ``disbursed_cum``; with a contribution (``contribution_donors``) the same four for it,
    ``contribution_``-prefixed (its parts of each commitment and tranche, ``tranche_parts``).
    Grouped by day in SQL, rolled up to months here."""
    committed = (select(A.c.decided_on.label("day"), func.sum(_approved_amount()).label("eur"))
                 .select_from(APPS).where(A.c.decided_on.is_not(None))
                 .where(A.c.status.in_(FUNDED_STATUSES)))
    committed = _filtered(viewer, committed, **filters).group_by(A.c.decided_on)
    paid = (select(D.c.paid_on.label("day"), func.sum(D.c.amount_eur).label("eur"))
            .select_from(APPS.join(D, D.c.application_id == A.c.application_id)))
    paid = _filtered(viewer, paid, **filters).group_by(D.c.paid_on)
    series = {"committed_eur": read(committed, engine), "disbursed_eur": read(paid, engine)}
    cols = ["month", "committed_eur", "disbursed_eur", "committed_cum", "disbursed_cum"]
    if contribution_donors(viewer, filters.get("donors")):
        decided = read(_filtered(viewer, select(A.c.application_id, A.c.decided_on.label("day"))
                                 .select_from(APPS).where(A.c.decided_on.is_not(None)), **filters), engine)
        c = contributions(viewer, engine=engine, **filters)
        series["contribution_committed_eur"] = c[c["approved_eur"] > 0].merge(decided, on="application_id").rename(
            columns={"approved_eur": "eur"})
        series["contribution_disbursed_eur"] = tranche_parts(viewer, engine=engine, **filters).rename(
            columns={"paid_on": "day", "amount_eur": "eur"})
        cols += ["contribution_committed_eur", "contribution_disbursed_eur", "contribution_committed_cum",
                 "contribution_disbursed_cum"]
    if all(df.empty for df in series.values()):
        return pd.DataFrame(columns=cols)
    months = {name: (pd.to_datetime(df["day"]).dt.to_period("M").dt.to_timestamp() if len(df)
                     else pd.Series(dtype="datetime64[ns]")) for name, df in series.items()}
    out = pd.concat([df["eur"].groupby(months[name]).sum().rename(name) for name, df in series.items()],
                    axis=1).fillna(0.0).sort_index()
    out = out.reindex(pd.date_range(out.index.min(), out.index.max(), freq="MS"), fill_value=0.0)
    for name in series:
        out[name.replace("_eur", "_cum")] = out[name].cumsum().round(2)
    return out.rename_axis("month").reset_index()[cols]


def applications_count(viewer: Viewer, *, engine=None, **filters) -> int:
    j, _ = _with_paid()
    return int(scalar(_filtered(viewer, select(func.count(A.c.application_id)).select_from(j), **filters),
                      engine) or 0)


def applications(viewer: Viewer, *, engine=None, page: int = 1, page_size: int = 50, **filters) -> pd.DataFrame:
    """One page of applications, newest first: id, municipality (name, local name, country),
    title, theme, status, dates, requested / approved / disbursed euros, donor (not for donor
    accounts), and ``contribution_share`` (0..1) when there is a contribution to show."""
    j, paid = _with_paid()
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
    df = read(stmt, engine)
    mine = contribution_donors(viewer, filters.get("donors"))
    if mine:
        df.insert(len(df.columns), "contribution_share",
                  [sum(sh for n, sh in _shares(d) if n in mine) for d in df["donor"]])
    if viewer.is_donor:      # never another donor's name or split: only the own share stays
        df = df.drop(columns=["donor"])
    return df


def tranches(viewer: Viewer, *, application_id: str | None = None, engine=None) -> pd.DataFrame:
    """The tranches of one application in the viewer's scope: ``tranche``, ``paid_on``, ``amount_eur``,
    ``cumulative_eur``, ``share_of_approved``."""
    stmt = (select(D.c.tranche, D.c.paid_on, D.c.amount_eur, A.c.approved_eur)
            .select_from(D.join(A, D.c.application_id == A.c.application_id))
            .where(D.c.application_id == (application_id or "")))
    df = read(stmt.where(scope.cities(viewer, A.c.municipality_code)).order_by(D.c.tranche), engine)
    df["cumulative_eur"] = df["amount_eur"].cumsum()
    df["share_of_approved"] = df["cumulative_eur"] / df["approved_eur"].where(df["approved_eur"] > 0)
    return df.drop(columns=["approved_eur"])


def results(viewer: Viewer, *, engine=None, application_id: str | None = None, **filters) -> pd.DataFrame:
    """Latest reported result per application and indicator, against baseline and target:
    ``application_id``, ``municipality``, ``country``, ``indicator``, ``reported_on``, ``baseline``,
    ``target``, ``actual``, ``progress`` = (actual − baseline) / (target − baseline), None when the
    target equals the baseline or a value is missing."""
    last = (select(R.c.application_id, R.c.indicator, func.max(R.c.reported_on).label("last"))
            .group_by(R.c.application_id, R.c.indicator).subquery("latest"))
    gap = R.c.target - R.c.baseline
    progress = case((gap != 0, (R.c.actual - R.c.baseline) * 1.0 / gap), else_=None).label("progress")
    j = (R.join(last, (last.c.application_id == R.c.application_id)
                & (last.c.indicator == R.c.indicator) & (last.c.last == R.c.reported_on))
         .join(A, A.c.application_id == R.c.application_id)
         .join(M, A.c.municipality_code == M.c.code))
    stmt = select(R.c.application_id, M.c.name.label("municipality"), M.c.name_local.label("municipality_local"),
                  M.c.country, R.c.indicator, R.c.reported_on, R.c.baseline, R.c.target, R.c.actual,
                  progress).select_from(j)
    stmt = _filtered(viewer, stmt, **filters)
    if application_id:
        stmt = stmt.where(R.c.application_id == application_id)
    return read(stmt.order_by(R.c.application_id, R.c.indicator), engine)


# --- donors: my contribution, the flow, projects, results that add up (issue 15) ----------------
RESULT_STATES = ("target_met", "in_progress", "not_reported")
NEED_QUARTILE = 0.75          # "top need quartile" = need index at or above the 75th percentile


def _parts(viewer: Viewer, engine, **filters) -> pd.DataFrame:
    """Every donor's part of every application under the filters (internal: callers restrict it).
    Columns: application_id, donor ("" when none is named), share, requested_eur, approved_eur,
    disbursed_eur; amounts split to the cent by ``hub.donors.split_cents``."""
    j, paid = _with_paid()
    stmt = select(A.c.application_id, A.c.donor, A.c.requested_eur,
                  _approved_amount().label("approved_eur"),
                  func.coalesce(paid.c.paid, 0.0).label("disbursed_eur")).select_from(j)
    apps = read(_filtered(viewer, stmt, **filters).order_by(A.c.application_id), engine)
    rows = []
    for app in apps.itertuples(index=False):
        shares = _shares(app.donor) or [("", 1.0)]
        fractions = [sh for _, sh in shares]
        cols = {k: split_cents(getattr(app, k) or 0.0, fractions)
                for k in ("requested_eur", "approved_eur", "disbursed_eur")}
        for i, (name, sh) in enumerate(shares):
            rows.append({"application_id": app.application_id, "donor": name, "share": sh,
                         **{k: v[i] for k, v in cols.items()}})
    return pd.DataFrame(rows, columns=["application_id", "donor", "share", "requested_eur", "approved_eur",
                                       "disbursed_eur"])


def contributions(viewer: Viewer, *, engine=None, **filters) -> pd.DataFrame:
    """*My contribution*, one row per application and donor (columns of ``_parts``): a donor account's
    own donors only (nothing when it has none); the hub's filtered donors, or every donor ("" for
    applications naming none) without a donor filter; nothing for any other role."""
    if not (viewer.is_hub or viewer.is_donor):
        return _parts(viewer, engine, **filters).iloc[0:0]
    parts = _parts(viewer, engine, **filters)
    mine = contribution_donors(viewer, filters.get("donors"))
    if mine or viewer.is_donor:
        parts = parts[parts["donor"].isin(mine)]
    return parts.reset_index(drop=True)


def tranche_parts(viewer: Viewer, *, engine=None, **filters) -> pd.DataFrame:
    """Each donor's part of each tranche, for the donors of ``contributions`` (the same viewers get
    the same donors): ``application_id``, ``donor``, ``tranche``, ``paid_on``, ``amount_eur``. A
    donor's part of an application's disbursed total is split over its tranches in proportion to
    them, to the cent (``hub.donors.split_cents``), so the parts add up to ``contributions``'
    ``disbursed_eur``; parts of 0 are left out."""
    cols = ["application_id", "donor", "tranche", "paid_on", "amount_eur"]
    c = contributions(viewer, engine=engine, **filters)
    stmt = (select(D.c.application_id, D.c.tranche, D.c.paid_on, D.c.amount_eur)
            .select_from(APPS.join(D, D.c.application_id == A.c.application_id)))
    tr = read(_filtered(viewer, stmt, **filters).order_by(D.c.application_id, D.c.tranche), engine)
    by_app: dict[str, list] = {}
    for r in tr.itertuples(index=False):      # each application's tranches, in tranche order
        by_app.setdefault(r.application_id, []).append(r)
    rows = []
    for part in c[c["disbursed_eur"] > 0].itertuples(index=False):
        t = by_app.get(part.application_id, [])
        total = float(sum(r.amount_eur for r in t))
        if not total:
            continue
        for r, value in zip(t, split_cents(part.disbursed_eur, [r.amount_eur / total for r in t])):
            if value:
                rows.append({"application_id": part.application_id, "donor": part.donor, "tranche": r.tranche,
                             "paid_on": r.paid_on, "amount_eur": value})
    return pd.DataFrame(rows, columns=cols)


def _amounts_by_donor(viewer: Viewer, *, engine=None, **filters) -> pd.DataFrame:
    parts = _parts(viewer, engine, **filters)
    if viewer.is_donor:
        parts = parts.assign(donor=parts["donor"].where(parts["donor"].isin(viewer.donors), OTHER_DONORS))
    elif not viewer.is_hub:
        parts = parts.iloc[0:0]
    g = parts.groupby("donor", sort=True).agg(
        applications=("application_id", "nunique"), requested_eur=("requested_eur", "sum"),
        approved_eur=("approved_eur", "sum"), disbursed_eur=("disbursed_eur", "sum"))
    out = g.reset_index().rename(columns={"donor": "group"})
    for col in ("requested_eur", "approved_eur", "disbursed_eur"):
        out[col] = out[col].round(2)
    return out[["group", "applications", "requested_eur", "approved_eur", "disbursed_eur"]]


def _result_states(viewer: Viewer, engine, **filters) -> pd.Series:
    """Per application id: target_met (every indicator's latest actual at or above its target),
    in_progress (results reported) ; applications without a report are missing."""
    res = results(viewer, engine=engine, **filters)
    if res.empty:
        return pd.Series(dtype=object)
    met = (res["actual"] >= res["target"]).groupby(res["application_id"]).all()
    return met.map({True: "target_met", False: "in_progress"})


def _title_column(lang: str | None):
    col = {"sq": A.c.title_sq, "bcms": A.c.title_bcms, "mk": A.c.title_mk}.get(lang or "en")
    return func.coalesce(col, A.c.title) if col is not None else A.c.title


def projects(viewer: Viewer, *, engine=None, lang: str | None = "en", **filters) -> pd.DataFrame:
    """Funded projects (approved or completed) under the filters, newest decision first: id, title
    (in ``lang`` where the data has it, else English), municipality (code, name, local name,
    country), theme, status, submitted_on, decided_on, first_paid_on, last_paid_on, approved_eur,
    disbursed_eur, absorption, tranches, results (indicators reported), result (RESULT_STATES), and
    when there is a contribution to show: contribution_share, contribution_approved_eur,
    contribution_disbursed_eur."""
    j, paid = _with_paid(
        select(D.c.application_id, func.sum(D.c.amount_eur).label("paid"), func.count().label("tranches"),
               func.min(D.c.paid_on).label("first_paid_on"), func.max(D.c.paid_on).label("last_paid_on"))
        .group_by(D.c.application_id).subquery("paid"))
    stmt = select(A.c.application_id, _title_column(lang).label("title"), A.c.municipality_code,
                  M.c.name.label("municipality"), M.c.name_local.label("municipality_local"), M.c.country,
                  A.c.theme, A.c.status, A.c.submitted_on, A.c.decided_on, paid.c.first_paid_on,
                  paid.c.last_paid_on, func.coalesce(A.c.approved_eur, 0.0).label("approved_eur"),
                  func.coalesce(paid.c.paid, 0.0).label("disbursed_eur"),
                  func.coalesce(paid.c.tranches, 0).label("tranches")).select_from(j)
    stmt = _filtered(viewer, stmt.where(A.c.status.in_(FUNDED_STATUSES)), **filters)
    df = read(stmt.order_by(A.c.decided_on.desc(), A.c.application_id), engine)
    df["absorption"] = df["disbursed_eur"] / df["approved_eur"].where(df["approved_eur"] > 0)
    res = results(viewer, engine=engine, **filters)
    df["results"] = df["application_id"].map(res.groupby("application_id").size()).fillna(0).astype(int)
    df["result"] = df["application_id"].map(_result_states(viewer, engine, **filters)).fillna("not_reported")
    if contribution_donors(viewer, filters.get("donors")):
        c = contributions(viewer, engine=engine, **filters).groupby("application_id")[
            ["share", "approved_eur", "disbursed_eur"]].sum()
        df["contribution_share"] = df["application_id"].map(c["share"]).fillna(0.0)
        df["contribution_approved_eur"] = df["application_id"].map(c["approved_eur"]).fillna(0.0)
        df["contribution_disbursed_eur"] = df["application_id"].map(c["disbursed_eur"]).fillna(0.0)
    return df


FLOW_COLUMNS = ["donor", "round", "theme", "application_id", "title", "municipality_code", "municipality",
                "municipality_local", "country", "result", "approved_eur", "disbursed_eur"]


def flow(viewer: Viewer, *, engine=None, lang: str | None = "en", whole: bool = False,
         **filters) -> pd.DataFrame:
    """Contribution → allocation round (year of decision) → theme → project (municipality) → result,
    one row per funded project and donor (``FLOW_COLUMNS``). The money is *my contribution* when there
    is one (``contribution_donors``), else the whole fund with every donor ("" = none named); the
    ``approved_eur`` and ``disbursed_eur`` columns add up, to the cent, to the headline's
    contribution (or whole-fund) approved and disbursed figures under the same filters.
    ``whole=True``: the whole fund even when there is a contribution; a donor account then sees its
    own donors by name and every other donor's part as one ``OTHER_DONORS`` row per project."""
    if whole and (viewer.is_donor or viewer.is_hub):
        c = _parts(viewer, engine, **filters)
        if viewer.is_donor:
            c = (c.assign(donor=c["donor"].where(c["donor"].isin(viewer.donors), OTHER_DONORS))
                 .groupby(["application_id", "donor"], as_index=False)[["approved_eur", "disbursed_eur"]].sum()
                 .round(2))
    else:
        c = contributions(viewer, engine=engine, **filters)
    c = c[c["approved_eur"] > 0]
    p = projects(viewer, engine=engine, lang=lang, **filters)
    if c.empty or p.empty:
        return pd.DataFrame(columns=FLOW_COLUMNS)
    p = p.assign(round=pd.to_datetime(p["decided_on"]).dt.year.astype("Int64").astype(str))
    out = c[["application_id", "donor", "approved_eur", "disbursed_eur"]].merge(
        p.drop(columns=["approved_eur", "disbursed_eur"]), on="application_id", how="inner")
    return out.sort_values(["donor", "round", "theme", "application_id"]).reset_index(drop=True)[FLOW_COLUMNS]


def _countable(s: pd.Series) -> bool:
    vals = pd.to_numeric(s, errors="coerce").dropna()
    return bool(len(vals)) and bool((vals == vals.round()).all())


def results_by_indicator(viewer: Viewer, *, engine=None, **filters) -> pd.DataFrame:
    """Latest results summed by indicator across projects: ``indicator``, ``projects``,
    ``baseline``, ``target``, ``actual`` (sums), ``achieved`` = actual ÷ target, ``approved_eur``
    (the projects' whole approved amounts), ``cost_per_result`` = approved_eur ÷ (actual − baseline)
    for indicators counted in whole units with a gain (a project reporting several indicators counts
    in full under each, so it is an upper bound), and with a contribution
    ``contribution_approved_eur`` / ``contribution_cost_per_result`` on the same rule."""
    res = results(viewer, engine=engine, **filters)
    cols = ["indicator", "projects", "baseline", "target", "actual", "achieved", "approved_eur",
            "cost_per_result"]
    if res.empty:
        return pd.DataFrame(columns=cols)
    p = projects(viewer, engine=engine, **filters).set_index("application_id")
    res = res.assign(approved_eur=res["application_id"].map(p["approved_eur"]).fillna(0.0))
    mine = "contribution_approved_eur" in p.columns
    if mine:
        res["contribution_approved_eur"] = res["application_id"].map(p["contribution_approved_eur"]).fillna(0.0)
    g = res.groupby("indicator")
    out = g.agg(projects=("application_id", "nunique"), baseline=("baseline", "sum"), target=("target", "sum"),
                actual=("actual", "sum"), approved_eur=("approved_eur", "sum"),
                **({"contribution_approved_eur": ("contribution_approved_eur", "sum")} if mine else {}))
    out["achieved"] = out["actual"] / out["target"].where(out["target"] > 0)
    gain = (out["actual"] - out["baseline"]).where(lambda x: x > 0)
    countable = g.apply(lambda d: _countable(pd.concat([d["baseline"], d["target"], d["actual"]])))
    out["cost_per_result"] = (out["approved_eur"] / gain).where(countable).round(2)
    if mine:
        out["contribution_cost_per_result"] = (out["contribution_approved_eur"] / gain).where(
            countable & (out["contribution_approved_eur"] > 0)).round(2)
        cols += ["contribution_approved_eur", "contribution_cost_per_result"]
    out = out.reset_index().sort_values(["projects", "indicator"], ascending=[False, True])
    return out[cols].reset_index(drop=True)


def need_quartile_share(viewer: Viewer, *, engine=None, **filters) -> pd.DataFrame:
    """One row: the share of approved money that went to cities in the top need quartile (need index
    of the latest scored period at or above its 75th percentile over the scored cities): ``period``,
    ``cities_scored``, ``cities_top_quartile`` (counts only: no city is named, so donors may see it),
    ``approved_eur``, ``approved_top_eur``, ``share_top``, and with a contribution
    ``contribution_approved_eur``, ``contribution_top_eur``, ``contribution_share_top``."""
    NS = NeedScore.__table__
    period = latest(NS.c.period, engine, scope.anyone(viewer))
    scores = read(select(NS.c.municipality_code, NS.c.score).where(NS.c.period == (period or ""))
                  .where(NS.c.score.is_not(None), scope.anyone(viewer)), engine)
    top = set()
    if len(scores):
        top = set(scores.loc[scores["score"] >= scores["score"].quantile(NEED_QUARTILE), "municipality_code"])
    p = projects(viewer, engine=engine, **filters)
    in_top = p["municipality_code"].isin(top)
    row = {"period": period, "cities_scored": len(scores), "cities_top_quartile": len(top),
           "approved_eur": round(float(p["approved_eur"].sum()), 2),
           "approved_top_eur": round(float(p.loc[in_top, "approved_eur"].sum()), 2)}
    row["share_top"] = row["approved_top_eur"] / row["approved_eur"] if row["approved_eur"] else None
    if "contribution_approved_eur" in p.columns:
        row["contribution_approved_eur"] = round(float(p["contribution_approved_eur"].sum()), 2)
        row["contribution_top_eur"] = round(float(p.loc[in_top, "contribution_approved_eur"].sum()), 2)
        row["contribution_share_top"] = (row["contribution_top_eur"] / row["contribution_approved_eur"]
                                         if row["contribution_approved_eur"] else None)
    return pd.DataFrame([row])


def indicator_values(viewer: Viewer, *, engine=None, period: str | None = None) -> pd.DataFrame:
    """Assessment indicator values for sharing (the HXL export): ``country``, ``municipality_code``,
    ``municipality``, ``indicator_code``, ``period``, ``value``, member cities only. Sensitive
    indicators are city-level for the hub only (donors see them only as economy aggregates, which
    this city-level table leaves out); a mayor gets their own city; anyone else nothing."""
    from hub.models import Indicator, IndicatorValue
    IV, IND = IndicatorValue.__table__, Indicator.__table__
    stmt = (select(M.c.country, IV.c.municipality_code, M.c.name.label("municipality"), IV.c.indicator_code,
                   IV.c.period, IV.c.value)
            .select_from(IV.join(M, IV.c.municipality_code == M.c.code).join(IND, IND.c.code == IV.c.indicator_code))
            .where(IV.c.value.is_not(None)).where(M.c.member_since.is_not(None)))
    if period:
        stmt = stmt.where(IV.c.period == period)
    stmt = stmt.where(scope.city_values(viewer, IV.c.municipality_code, IND.c.sensitive))
    return read(stmt.order_by(IV.c.period, M.c.country, IV.c.municipality_code, IV.c.indicator_code), engine)
