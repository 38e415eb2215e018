"""Action list and change detection: what needs doing, and the inputs of the change rules.

Every function takes the viewer first and applies the same row-level rules as the page the
item belongs to (so a digest built with a user's viewer carries what that user may see):

* help-desk requests: hub all, mayor own city, donor none (``hub.queries.helpdesk``);
* fund applications: hub and donor all, mayor own city (``hub.queries.fund``);
* datasets and events: hub management only (actions for the hub's own staff);
* need scores and the quadrant: hub all, mayor own city, donor none (need scores are
  sensitive for donors; they get fund news only).

Thresholds come from ``hub.alerts.settings`` (data/alerts.toml) unless passed. ``today`` is
the day the action list is evaluated for (default: today, UTC).

Items share one shape (``ITEM_COLUMNS``): ``rule``, ``problem`` (a sub-kind), ``ref`` (the
record's id), ``label`` (its title, topic or dataset), the city (code, names, country),
``due_on`` (the day it became overdue), ``days_overdue``, the ``page`` that shows it and the
``query`` that opens that page on it (``city=MK001``, ``app=TSF-2024-003``), a stable ``key``
and a ``fingerprint`` (what would make it news again).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlencode

import pandas as pd
from sqlalchemy import func, select

from hub.access import Viewer
from hub.alerts.rules import CHANGE_RULES, ITEM_COLUMNS, evaluate
from hub.db import get_engine
from hub.models import (
    FUNDED_STATUSES, HELPDESK_OPEN_STATUSES, AlertSnapshot, Disbursement, Event, FundApplication, HelpdeskRequest,
    LoadLog, Municipality, NeedScore, Participant, Result,
)
from hub.queries import fund as fundq
from hub.queries import overview as overviewq
from hub.queries import scope
from hub.queries.base import latest, period_end, previous, read, scalar

H = HelpdeskRequest.__table__
A = FundApplication.__table__
D = Disbursement.__table__
R = Result.__table__
M = Municipality.__table__
NS = NeedScore.__table__
E = Event.__table__
P = Participant.__table__
L = LoadLog.__table__
SNAP = AlertSnapshot.__table__

ACTION_RULES = ("helpdesk_overdue", "fund_stalled", "dataset_overdue", "assessment_incomplete",
                "event_no_participants")
FUND_PROBLEMS = ("no_tranche", "tranche_overdue", "results_overdue")
CITY_COLUMNS = ["municipality_code", "name", "name_local", "country"]
PAIR_COLUMNS = CITY_COLUMNS + [
    "period_previous", "period", "score_previous", "score", "rank_previous", "rank",
    "rank_p05_previous", "rank_p95_previous", "rank_p05", "rank_p95", "ranked_previous", "ranked",
    "underserved_previous", "underserved"]
ABSORPTION_COLUMNS = ["group", "name", "name_local", "country", "approved_previous", "disbursed_previous",
                      "absorption_previous", "approved", "disbursed", "absorption", "period_previous", "period"]
SCORING_DATASETS = ("indicator_values", "indicators", "priorities", "municipalities")


def _settings(settings_path: str | None):
    from hub.alerts.settings import load_settings
    return load_settings(settings_path)


def utc_today() -> date:
    """The alerts' today: the UTC date (what ``today=None`` means in every rule below)."""
    return datetime.now(timezone.utc).date()


def _today(today) -> date:
    if today is None:
        return utc_today()
    if isinstance(today, str):
        return date.fromisoformat(today[:10])
    if isinstance(today, datetime):
        return today.date()
    return today


def _items(df: pd.DataFrame, rule: str, today: date) -> pd.DataFrame:
    """Finish a rule's rows into ``ITEM_COLUMNS`` (df has at least problem, ref, label, the city
    columns, due_on, page and query)."""
    if df.empty:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    out = df.copy()
    out["rule"] = rule
    due = pd.to_datetime(out["due_on"])
    out["due_on"] = due.dt.date
    out["days_overdue"] = (pd.Timestamp(today) - due).dt.days
    out["key"] = f"{rule}:" + out["problem"].astype(str) + ":" + out["ref"].astype(str)
    out["fingerprint"] = due.dt.strftime("%Y-%m-%d")
    for col in CITY_COLUMNS + ["before", "after"]:
        if col not in out:
            out[col] = None
    out["basis"] = "action"
    return out[ITEM_COLUMNS].reset_index(drop=True)


def _city_query(codes) -> list[str]:
    """``city=<code>`` per row, encoded once per city (12,000 overdue requests at 100x: 0.13 s)."""
    once = {c: urlencode({"city": c}) for c in dict.fromkeys(codes)}
    return [once[c] for c in codes]


# --- the action list -------------------------------------------------------------------------------
def overdue_requests(viewer: Viewer, *, engine=None, today=None, target_days: int | None = None,
                     settings_path: str | None = None) -> pd.DataFrame:
    """Help-desk requests still open ``target_days`` after they were opened (oldest first);
    each opens the city page, which lists the city's requests."""
    today = _today(today)
    if target_days is None:
        target_days = _settings(settings_path).helpdesk_target_days
    cutoff = today - timedelta(days=int(target_days))
    stmt = (select(H.c.request_id.label("ref"), H.c.topic.label("label"), H.c.opened_on, H.c.status,
                   H.c.municipality_code, M.c.name, M.c.name_local, M.c.country)
            .select_from(H.join(M, H.c.municipality_code == M.c.code))
            .where(H.c.status.in_(HELPDESK_OPEN_STATUSES), H.c.opened_on <= cutoff,
                   scope.cities(viewer, H.c.municipality_code, donors=False)))
    df = read(stmt.order_by(H.c.opened_on, H.c.request_id), engine)
    df["problem"] = df["status"] if len(df) else []
    df["due_on"] = pd.to_datetime(df["opened_on"]) + pd.Timedelta(days=int(target_days))
    df["page"] = "city"
    df["query"] = _city_query(df["municipality_code"])
    return _items(df, "helpdesk_overdue", today)


def stalled_applications(viewer: Viewer, *, engine=None, today=None, settings_path: str | None = None,
                         donors=None, **thresholds) -> pd.DataFrame:
    """Approved applications that stalled: ``no_tranche`` (approved, nothing paid
    ``first_tranche_days`` after the decision), ``tranche_overdue`` (not fully paid and no tranche
    for ``tranche_interval_days``), ``results_overdue`` (no result ``results_due_days`` after the
    first tranche, or, while the project runs, none for ``results_interval_days``). Each opens
    the fund page on the application's tranches. ``donors``: only the applications one of them
    funds, alone or pooled (a donor account's digest: its own projects)."""
    today = _today(today)
    s = _settings(settings_path)
    first = int(thresholds.get("first_tranche_days", s.fund_first_tranche_days))
    interval = int(thresholds.get("tranche_interval_days", s.fund_tranche_interval_days))
    res_due = int(thresholds.get("results_due_days", s.fund_results_due_days))
    res_every = int(thresholds.get("results_interval_days", s.fund_results_interval_days))
    paid = (select(D.c.application_id, func.sum(D.c.amount_eur).label("paid"),
                   func.min(D.c.paid_on).label("first_paid"), func.max(D.c.paid_on).label("last_paid"))
            .group_by(D.c.application_id).subquery("paid"))
    reported = (select(R.c.application_id, func.max(R.c.reported_on).label("last_result"))
                .group_by(R.c.application_id).subquery("reported"))
    stmt = (select(A.c.application_id.label("ref"), A.c.title.label("label"), A.c.status, A.c.decided_on,
                   A.c.approved_eur, paid.c.paid, paid.c.first_paid, paid.c.last_paid, reported.c.last_result,
                   A.c.municipality_code, M.c.name, M.c.name_local, M.c.country)
            .select_from(A.join(M, A.c.municipality_code == M.c.code)
                         .outerjoin(paid, paid.c.application_id == A.c.application_id)
                         .outerjoin(reported, reported.c.application_id == A.c.application_id))
            .where(A.c.status.in_(FUNDED_STATUSES)))
    stmt = fundq._filtered(viewer, stmt, donors=donors)          # the fund page's scope and donor filter
    df = read(stmt.order_by(A.c.application_id), engine)
    for col in ("decided_on", "first_paid", "last_paid", "last_result"):   # dates, None where missing
        df[col] = pd.to_datetime(df[col]).dt.date.astype(object).where(df[col].notna(), None)
    rows = []
    for r in df.itertuples(index=False):
        decided, first_paid, last_paid, last_result = r.decided_on, r.first_paid, r.last_paid, r.last_result
        running = r.status == "approved"
        due = []
        if running and first_paid is None and decided is not None:
            due.append(("no_tranche", decided + timedelta(days=first)))
        fully_paid = (r.paid or 0) >= (r.approved_eur or 0) - 0.5
        if running and last_paid is not None and not fully_paid:
            due.append(("tranche_overdue", last_paid + timedelta(days=interval)))
        if first_paid is not None:
            if last_result is None:
                due.append(("results_overdue", first_paid + timedelta(days=res_due)))
            elif running:
                due.append(("results_overdue", last_result + timedelta(days=res_every)))
        for problem, on in due:
            if on <= today:
                rows.append({"problem": problem, "ref": r.ref, "label": r.label, "due_on": on,
                             "municipality_code": r.municipality_code, "name": r.name,
                             "name_local": r.name_local, "country": r.country, "page": "fund",
                             "query": urlencode({"app": r.ref})})
    out = _items(pd.DataFrame(rows), "fund_stalled", today)
    return out.sort_values(["due_on", "ref"]).reset_index(drop=True) if len(out) else out


def overdue_datasets(viewer: Viewer, *, engine=None, today=None) -> pd.DataFrame:
    """Datasets overdue by the freshness rules of the methodology page (hub management only);
    each opens the Data page on that dataset, where the file is loaded."""
    today = _today(today)
    if not viewer.is_hub:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    from hub.queries.methodology import freshness
    now = datetime.combine(today, datetime.min.time())
    fresh = freshness(viewer, engine=engine, now=now)
    fresh = fresh[fresh["status"] == "overdue"]
    df = pd.DataFrame({
        "problem": "overdue", "ref": fresh["dataset"], "label": fresh["file_name"],
        "due_on": [pd.Timestamp(t).date() + timedelta(days=int(i) + int(g))
                   for t, i, g in zip(fresh["loaded_at"], fresh["interval_days"], fresh["grace_days"])],
        "page": "data", "query": [urlencode({"dataset": d}) for d in fresh["dataset"]]})
    return _items(df, "dataset_overdue", today)


def incomplete_assessments(viewer: Viewer, *, engine=None, today=None, period: str | None = None,
                           threshold: float | None = None, settings_path: str | None = None) -> pd.DataFrame:
    """Cities whose assessment in ``period`` (default: latest) covers less than ``threshold`` of
    the index weight; each opens the city page. Hub: all; mayor: own city; donors: none."""
    today = _today(today)
    engine = engine or get_engine()
    if viewer.is_donor:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    if threshold is None:
        threshold = _settings(settings_path).coverage_threshold()
    period = period or latest(NS.c.period, engine)
    stmt = (select(NS.c.municipality_code, NS.c.coverage, M.c.name, M.c.name_local, M.c.country)
            .select_from(NS.join(M, NS.c.municipality_code == M.c.code))
            .where(NS.c.period == period, NS.c.coverage < float(threshold),
                   scope.cities(viewer, NS.c.municipality_code)))
    df = read(stmt.order_by(NS.c.coverage, NS.c.municipality_code), engine)
    loaded = last_load(viewer, engine=engine, datasets=SCORING_DATASETS)
    df["problem"] = "coverage"
    df["ref"] = [f"{c}@{period}" for c in df["municipality_code"]]
    df["label"] = period
    df["after"] = df["coverage"]
    df["due_on"] = (loaded or datetime.combine(today, datetime.min.time())).date()
    df["page"] = "city"
    df["query"] = [urlencode({"city": c, "period": period}) for c in df["municipality_code"]]
    out = _items(df, "assessment_incomplete", today)
    out["fingerprint"] = [f"{round(v, 3)}" for v in df["coverage"]]
    return out


def events_without_participants(viewer: Viewer, *, engine=None, today=None, grace_days: int | None = None,
                                settings_path: str | None = None) -> pd.DataFrame:
    """Events held at least ``grace_days`` ago with no participant record (hub management only);
    each opens the events page on the event's year and kind."""
    today = _today(today)
    if not viewer.is_hub:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    if grace_days is None:
        grace_days = _settings(settings_path).events_grace_days
    stmt = (select(E.c.event_id.label("ref"), E.c.title.label("label"), E.c.kind, E.c.held_on)
            .where(E.c.held_on <= today - timedelta(days=int(grace_days)),
                   E.c.event_id.not_in(select(P.c.event_id)))
            .order_by(E.c.held_on, E.c.event_id))
    df = read(stmt, engine)
    df["problem"] = "no_participants"
    df["due_on"] = pd.to_datetime(df["held_on"]) + pd.Timedelta(days=int(grace_days))
    df["page"] = "events"
    df["query"] = [urlencode({"year": pd.Timestamp(h).year, "kind": k}) for h, k in zip(df["held_on"], df["kind"])]
    return _items(df, "event_no_participants", today)


def action_list(viewer: Viewer, *, engine=None, today=None,
                settings_path: str | None = None, donors=None) -> pd.DataFrame:
    """Every action item in the viewer's scope (``ITEM_COLUMNS``), in the order of ``ACTION_RULES``,
    most overdue first; ``donors`` narrows the fund items (see ``stalled_applications``). The same
    for every visit of a day, so it caches: ``mark_new`` adds what is new to one user."""
    parts = [
        overdue_requests(viewer, engine=engine, today=today, settings_path=settings_path),
        stalled_applications(viewer, engine=engine, today=today, settings_path=settings_path, donors=donors),
        overdue_datasets(viewer, engine=engine, today=today),
        incomplete_assessments(viewer, engine=engine, today=today, settings_path=settings_path),
        events_without_participants(viewer, engine=engine, today=today, settings_path=settings_path),
    ]
    parts = [p for p in parts if len(p)]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=ITEM_COLUMNS)
    return out.sort_values(["rule", "days_overdue", "ref"], ascending=[True, False, True],
                           key=lambda s: s.map(ACTION_RULES.index) if s.name == "rule" else s
                           ).reset_index(drop=True)


def mark_new(items: pd.DataFrame, last_visit) -> pd.DataFrame:
    """``items`` (action or change items) with ``new``: the item fell due or landed after
    ``last_visit`` (nothing is new on a first visit, ``last_visit`` None)."""
    if last_visit is None:
        return items.assign(new=False)
    when = pd.to_datetime(items["due_on"].reset_index(drop=True))
    return items.assign(new=(when > pd.Timestamp(last_visit)).to_numpy())   # NaT compares False


# --- inputs of the change rules --------------------------------------------------------------------
def last_load(viewer: Viewer, *, engine=None, datasets=SCORING_DATASETS) -> datetime | None:
    """When the latest successful load of any of ``datasets`` landed (the scores changed then)."""
    at = scalar(select(func.max(L.c.loaded_at)).where(L.c.outcome == "ok", L.c.dataset.in_(list(datasets)),
                                                      scope.anyone(viewer)), engine)
    return pd.Timestamp(at).to_pydatetime() if at is not None else None


def _period_frame(engine, period: str) -> pd.DataFrame:
    """All cities' need score, rank and interval in ``period``, the ranked count and the
    underserved flag of the need-versus-support quadrant."""
    df = read(select(NS.c.municipality_code, NS.c.score, NS.c.rank, NS.c.rank_p05, NS.c.rank_p95)
              .where(NS.c.period == period, NS.c.score.is_not(None)), engine)
    df["ranked"] = int(df["rank"].notna().sum())
    quad = overviewq.quadrant(scope.EVERYONE, engine=engine, period=period)
    return df.merge(quad[["municipality_code", "underserved"]], on="municipality_code", how="left")


def _pairs(viewer: Viewer, engine, old: pd.DataFrame, new: pd.DataFrame, old_label, new_label) -> pd.DataFrame:
    if viewer.is_donor or new.empty or not scope.known(viewer):
        return pd.DataFrame(columns=PAIR_COLUMNS)
    cols = ["score", "rank", "rank_p05", "rank_p95", "ranked", "underserved"]
    old = old[["municipality_code"] + cols].rename(columns={c: f"{c}_previous" for c in cols})
    df = new[["municipality_code"] + cols].merge(old, on="municipality_code", how="left")
    if viewer.is_mayor:
        df = df[df["municipality_code"] == (viewer.municipality_code or "")]
    df = df.merge(_names(engine), on="municipality_code", how="left")
    df["period_previous"], df["period"] = old_label, new_label
    for c in ("underserved", "underserved_previous"):
        df[c] = df[c].astype("boolean")
    return df[PAIR_COLUMNS].sort_values("municipality_code").reset_index(drop=True)


def need_pairs(viewer: Viewer, *, engine=None, period: str | None = None) -> pd.DataFrame:
    """Per city scored in ``period`` (default: latest), its need score, rank, rank interval,
    ranked count and underserved flag there and in the period before (NaN when not scored
    then). Hub: every city; mayor: own city; donor: none."""
    engine = engine or get_engine()
    period = period or latest(NS.c.period, engine)
    prev = previous(NS.c.period, period, engine)
    if period is None or prev is None:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    return _pairs(viewer, engine, _period_frame(engine, prev), _period_frame(engine, period), prev, period)


def snapshot_loads(viewer: Viewer, *, engine=None) -> list[int]:
    """The load ids with a snapshot of the scores, newest first."""
    df = read(select(SNAP.c.load_id).where(scope.anyone(viewer)).distinct().order_by(SNAP.c.load_id.desc()),
              engine)
    return [int(x) for x in df["load_id"]]


def _snapshot(engine, load_id: int) -> pd.DataFrame:
    return read(select(SNAP).where(SNAP.c.load_id == load_id), engine)


def _names(engine) -> pd.DataFrame:
    """Every municipality's names and economy (to name the rows already within the viewer's scope)."""
    return read(select(M.c.code.label("municipality_code"), M.c.name, M.c.name_local, M.c.country), engine)


def load_pairs(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """Like ``need_pairs``, between the scores after the last two loads (snapshots taken by
    ``hub.alerts.snapshots.record``) for the period the latest snapshot holds; the period
    columns hold ``load <id>`` labels' ids. Empty until two snapshots exist."""
    engine = engine or get_engine()
    loads = snapshot_loads(viewer, engine=engine)
    if len(loads) < 2:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    new, old = _snapshot(engine, loads[0]), _snapshot(engine, loads[1])
    new = new[new["score"].notna()]
    old = old[(old["period"] == (new["period"].iloc[0] if len(new) else None)) & old["score"].notna()]
    return _pairs(viewer, engine, old, new, str(loads[1]), str(loads[0]))


def _absorption(viewer: Viewer, per_city: pd.DataFrame, engine) -> pd.DataFrame:
    """Absorption per economy (hub, donor) or for the mayor's own city, from per-city approved
    and disbursed euros (columns municipality_code, approved, disbursed)."""
    df = per_city.merge(_names(engine), on="municipality_code", how="left")
    if viewer.is_mayor:
        df = df[df["municipality_code"] == (viewer.municipality_code or "")].copy()
        df["group"] = df["municipality_code"]
        return df[["group", "name", "name_local", "country", "approved", "disbursed"]]
    if not (viewer.is_hub or viewer.is_donor):
        return pd.DataFrame(columns=["group", "name", "name_local", "country", "approved", "disbursed"])
    g = df.groupby("country")[["approved", "disbursed"]].sum().reset_index()
    g["group"], g["name"], g["name_local"] = g["country"], None, None
    return g[["group", "name", "name_local", "country", "approved", "disbursed"]]


def _absorption_pairs(old: pd.DataFrame, new: pd.DataFrame, old_label, new_label) -> pd.DataFrame:
    df = new.merge(old[["group", "approved", "disbursed"]].rename(
        columns={"approved": "approved_previous", "disbursed": "disbursed_previous"}), on="group", how="left")
    for suffix in ("", "_previous"):
        df[f"absorption{suffix}"] = df[f"disbursed{suffix}"] / df[f"approved{suffix}"].where(df[f"approved{suffix}"] > 0)
    df["period_previous"], df["period"] = old_label, new_label
    return df[ABSORPTION_COLUMNS].sort_values("group").reset_index(drop=True)


def _fund_at(engine, end: date | None) -> pd.DataFrame:
    """Per city: approved euros of applications decided by ``end`` and euros paid to them by then."""
    approved = select(A.c.municipality_code, func.sum(A.c.approved_eur).label("approved")).where(
        A.c.status.in_(FUNDED_STATUSES))
    paid = (select(A.c.municipality_code, func.sum(D.c.amount_eur).label("disbursed"))
            .select_from(D.join(A, D.c.application_id == A.c.application_id)))
    if end is not None:
        approved = approved.where(A.c.decided_on <= end)
        paid = paid.where(D.c.paid_on <= end)
    a = read(approved.group_by(A.c.municipality_code), engine)
    p = read(paid.group_by(A.c.municipality_code), engine)
    out = a.merge(p, on="municipality_code", how="outer").fillna({"approved": 0.0, "disbursed": 0.0})
    return out


def absorption_pairs(viewer: Viewer, *, engine=None, period: str | None = None) -> pd.DataFrame:
    """Absorption (disbursed ÷ approved, both counted up to the end of the period) at the end of
    ``period`` (default: latest scored) and of the period before, per economy (hub, donor) or
    for the mayor's own city (``group`` = country or city code)."""
    engine = engine or get_engine()
    period = period or latest(NS.c.period, engine)
    prev = previous(NS.c.period, period, engine)
    end, prev_end = period_end(period), period_end(prev)
    if end is None or prev_end is None:
        return pd.DataFrame(columns=ABSORPTION_COLUMNS)
    new = _absorption(viewer, _fund_at(engine, end), engine)
    old = _absorption(viewer, _fund_at(engine, prev_end), engine)
    return _absorption_pairs(old, new, prev, period)


def absorption_load_pairs(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """Absorption after the last two loads (from the snapshots), per economy or own city."""
    engine = engine or get_engine()
    loads = snapshot_loads(viewer, engine=engine)
    if len(loads) < 2:
        return pd.DataFrame(columns=ABSORPTION_COLUMNS)
    frames = []
    for load in loads[:2]:
        snap = _snapshot(engine, load).rename(columns={"fund_approved_eur": "approved",
                                                       "fund_disbursed_eur": "disbursed"})
        frames.append(_absorption(viewer, snap[["municipality_code", "approved", "disbursed"]], engine))
    return _absorption_pairs(frames[1], frames[0], str(loads[1]), str(loads[0]))


def snapshot_rows(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """What ``hub.alerts.snapshots.record`` stores: every member city's need score, rank,
    interval, ranked count and underserved flag in the latest period, and its fund approved and
    disbursed so far; the cities whose need scores the viewer may see (hub all, a mayor their own,
    donors none), so the recorder reads as ``scope.EVERYONE``."""
    engine = engine or get_engine()
    period = latest(NS.c.period, engine)
    cities = read(select(M.c.code.label("municipality_code"))
                  .where(overviewq.MEMBER, scope.cities(viewer, M.c.code, donors=False)), engine)
    if period is not None:
        cities = cities.merge(_period_frame(engine, period), on="municipality_code", how="left")
    else:
        for c in ("score", "rank", "rank_p05", "rank_p95", "ranked", "underserved"):
            cities[c] = None
    cities["period"] = period or ""
    fund = _fund_at(engine, None).rename(columns={"approved": "fund_approved_eur", "disbursed": "fund_disbursed_eur"})
    out = cities.merge(fund, on="municipality_code", how="left")
    out[["fund_approved_eur", "fund_disbursed_eur"]] = out[["fund_approved_eur", "fund_disbursed_eur"]].fillna(0.0)
    out["ranked"] = out["ranked"].fillna(0).astype(int)
    out["underserved"] = out["underserved"].fillna(False).astype(bool)
    return out


def latest_load_id(viewer: Viewer, *, engine=None) -> int | None:
    """The id of the latest successful load (None when nothing was loaded)."""
    return scalar(select(func.max(L.c.id)).where(L.c.outcome == "ok", scope.anyone(viewer)), engine)


def application_page(viewer: Viewer, *, application_id: str | None = None, page_size: int = 50, engine=None,
                     **filters) -> int | None:
    """The page (1-based) of the fund page's application list, under ``filters`` and newest
    first, on which ``application_id`` appears; None when it is not in the viewer's scope."""
    if not application_id:
        return None
    ids = read(fundq._filtered(viewer, select(A.c.application_id).select_from(fundq.APPS), **filters)
               .order_by(A.c.submitted_on.desc(), A.c.application_id), engine)["application_id"].tolist()
    if application_id not in ids:
        return None
    return ids.index(application_id) // max(int(page_size), 1) + 1


# --- change items and what each role is told -------------------------------------------------------
def role_rules(viewer: Viewer) -> tuple[str, ...]:
    """The rules whose items a role receives: hub management all; donors fund news; mayors
    their own city's news (the query layer keeps each item within the viewer's scope)."""
    return {
        "hub": ACTION_RULES + CHANGE_RULES,
        "donor": ("fund_stalled", "absorption_drop"),
        "mayor": ("helpdesk_overdue", "fund_stalled", "assessment_incomplete") + CHANGE_RULES,
    }.get(viewer.role, ())


def reachable(viewer: Viewer, items: pd.DataFrame) -> pd.DataFrame:
    """Point each item at a page the viewer may open: a mayor's fund item opens their city page
    (which lists the city's applications); an item with no such page keeps ``page`` None. No item
    for a viewer of unknown role."""
    out = items.copy() if scope.known(viewer) else items.iloc[0:0].copy()
    pages, queries = [], []
    for page, query, code in zip(out["page"], out["query"], out["municipality_code"]):
        if page and viewer.may_open(page):
            pages.append(page), queries.append(query)
        elif code and viewer.may_open("city") and viewer.may_see_city(code):
            pages.append("city"), queries.append(urlencode({"city": code}))
        else:
            pages.append(None), queries.append(None)
    out["page"], out["query"] = pages, queries
    return out


def change_items(viewer: Viewer, *, engine=None, settings_path: str | None = None) -> pd.DataFrame:
    """The change rules' items in the viewer's scope: between the latest two periods and between
    the scores after the last two loads; ``due_on`` is when the change landed (``mark_new``)."""
    engine = engine or get_engine()
    s = _settings(settings_path)
    rules = role_rules(viewer)
    parts = []
    landed = last_load(viewer, engine=engine)
    period_items = evaluate(need_pairs(viewer, engine=engine), absorption_pairs(viewer, engine=engine), s,
                            "period", rules)
    period_items["due_on"] = landed
    parts.append(period_items)
    loads = snapshot_loads(viewer, engine=engine)
    if len(loads) >= 2:
        load_items = evaluate(load_pairs(viewer, engine=engine), absorption_load_pairs(viewer, engine=engine), s,
                              "load", rules)
        with engine.connect() as conn:
            load_items["due_on"] = conn.execute(select(func.max(SNAP.c.taken_at))
                                                .where(SNAP.c.load_id == loads[0])).scalar()
        parts.append(load_items)
    parts = [p for p in parts if len(p)]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=ITEM_COLUMNS)
    return reachable(viewer, out).reset_index(drop=True)


def news(viewer: Viewer, *, engine=None, today=None, settings_path: str | None = None) -> pd.DataFrame:
    """Everything a digest for this viewer may carry: the action items and the change items of
    the role's rules, pointed at pages the viewer may open. A donor account's stalled
    applications are its own donors' projects (its fund scope; the absorption stays the fund's)."""
    rules = role_rules(viewer)
    actions = action_list(viewer, engine=engine, today=today, settings_path=settings_path,
                          donors=viewer.donors if viewer.is_donor else None)
    actions = reachable(viewer, actions[actions["rule"].isin(rules)])
    changes = change_items(viewer, engine=engine, settings_path=settings_path)
    parts = [p for p in (actions, changes) if len(p)]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=ITEM_COLUMNS)
    return out.reset_index(drop=True)
