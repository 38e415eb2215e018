"""Events and participation: roundtables and workshops, participants by role and language,
mayors engaged, cities reached and repeat participation.

Scope: hub management and donors see every event and the cities that took part (attendance
is not a score); a mayor sees only the events their own municipality attended and only their
own municipality's participants; any other role sees nothing.

Filters: ``kinds`` (roundtable/workshop/...), ``years`` (year held), ``languages`` (event language).
Definitions: *mayors engaged* = distinct municipalities with a participant in the role ``mayor``;
*cities reached* = distinct municipalities with any participant; *repeat participation* =
municipalities that took part in two or more distinct events.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import case, distinct, extract, func, literal, select

from hub.access import Viewer
from hub.i18n import name_order
from hub.models import Event, Municipality, Participant
from hub.queries import scope
from hub.queries.base import as_list, read

E = Event.__table__
P = Participant.__table__
M = Municipality.__table__
GROUPINGS = ("role", "language")


def _events_filter(viewer: Viewer, stmt, *, kinds=None, years=None, languages=None):
    stmt = stmt.where(scope.events(viewer, E.c.event_id))
    if (v := as_list(kinds)):
        stmt = stmt.where(E.c.kind.in_(v))
    if (v := as_list(languages)):
        stmt = stmt.where(E.c.language.in_(v))
    if (v := as_list(years)):
        stmt = stmt.where(extract("year", E.c.held_on).in_([int(y) for y in v]))
    return stmt


def _participants_filter(viewer: Viewer, stmt, **filters):
    """Participants of the events in scope; a mayor sees only their own municipality's people."""
    return _events_filter(viewer, stmt, **filters).where(scope.cities(viewer, P.c.municipality_code))


_PJ = P.join(E, P.c.event_id == E.c.event_id)


def filter_options(viewer: Viewer, *, engine=None) -> pd.DataFrame:
    """Distinct values for the sidebar filters: ``kind`` (kind/year/language) and ``value``."""
    out = []
    for kind, col in (("kind", E.c.kind), ("year", extract("year", E.c.held_on)), ("language", E.c.language)):
        vals = read(_events_filter(viewer, select(col.label("value")).distinct()), engine)["value"].dropna()
        out += [{"kind": kind, "value": str(int(v)) if kind == "year" else str(v)} for v in sorted(vals)]
    return pd.DataFrame(out, columns=["kind", "value"])


def headline(viewer: Viewer, *, engine=None, **filters) -> pd.DataFrame:
    """One row: ``events``, ``participants`` (people), ``mayors_engaged``, ``cities_reached``,
    ``repeat_cities``."""
    n_events = read(_events_filter(viewer, select(func.count(E.c.event_id).label("events")), **filters), engine)
    people = select(
        func.coalesce(func.sum(P.c.count), 0).label("participants"),
        func.count(distinct(case((P.c.role == "mayor", P.c.municipality_code), else_=None))).label("mayors_engaged"),
        func.count(distinct(P.c.municipality_code)).label("cities_reached"),
    ).select_from(_PJ)
    df = read(_participants_filter(viewer, people, **filters), engine)
    per_city = (select(P.c.municipality_code).select_from(_PJ).where(P.c.municipality_code.is_not(None)))
    per_city = (_participants_filter(viewer, per_city, **filters).group_by(P.c.municipality_code)
                .having(func.count(distinct(P.c.event_id)) >= 2).subquery())
    repeat = read(select(func.count().label("repeat_cities")).select_from(per_city), engine)
    return pd.concat([n_events, df, repeat], axis=1)


def events(viewer: Viewer, *, engine=None, **filters) -> pd.DataFrame:
    """The events, newest first, with their attendance (within the viewer's scope): ``event_id``,
    ``kind``, ``title``, ``held_on``, ``language``, ``location``, ``virtual``, ``participants``,
    ``cities``, ``mayors``."""
    att = select(P.c.event_id, func.sum(P.c.count).label("participants"),
                 func.count(distinct(P.c.municipality_code)).label("cities"),
                 func.count(distinct(case((P.c.role == "mayor", P.c.municipality_code), else_=None))).label("mayors"))
    att = att.where(scope.cities(viewer, P.c.municipality_code)).group_by(P.c.event_id).subquery("att")
    stmt = select(E.c.event_id, E.c.kind, E.c.title, E.c.held_on, E.c.language, E.c.location, E.c.virtual,
                  func.coalesce(att.c.participants, 0).label("participants"),
                  func.coalesce(att.c.cities, 0).label("cities"),
                  func.coalesce(att.c.mayors, 0).label("mayors")
                  ).select_from(E.outerjoin(att, att.c.event_id == E.c.event_id))
    stmt = _events_filter(viewer, stmt, **filters).order_by(E.c.held_on.desc(), E.c.event_id)
    return read(stmt, engine)


def participants_by(viewer: Viewer, *, engine=None, **filters) -> pd.DataFrame:
    """People who took part, by participant role and event language: ``role``, ``language``, ``participants``."""
    stmt = select(P.c.role, E.c.language, func.sum(P.c.count).label("participants")).select_from(_PJ)
    stmt = _participants_filter(viewer, stmt, **filters).group_by(P.c.role, E.c.language)
    return read(stmt.order_by(P.c.role, E.c.language), engine)


def city_reach(viewer: Viewer, *, engine=None, min_events: int = 1, **filters) -> pd.DataFrame:
    """Municipalities that took part: ``municipality_code``, ``municipality``, ``municipality_local``,
    ``country``, ``events``, ``participants``, ``mayor_present`` (1 when a mayor attended any),
    most events first; ``min_events=2`` gives the repeat participants."""
    n_events = func.count(distinct(P.c.event_id))
    stmt = select(P.c.municipality_code, M.c.name.label("municipality"), M.c.name_local.label("municipality_local"),
                  M.c.country, n_events.label("events"), func.sum(P.c.count).label("participants"),
                  func.max(case((P.c.role == "mayor", 1), else_=0)).label("mayor_present"),
                  ).select_from(_PJ.join(M, P.c.municipality_code == M.c.code))
    stmt = (_participants_filter(viewer, stmt, **filters)
            .group_by(P.c.municipality_code, M.c.name, M.c.name_local, M.c.country)
            .having(n_events >= literal(int(min_events))))
    df = read(stmt, engine)
    return df.sort_values(["events", "participants", "municipality"], ascending=[False, False, True],
                          key=name_order, kind="stable").reset_index(drop=True)
