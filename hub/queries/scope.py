"""Row-level access: which rows each role may see. Every query takes its row filters from here;
what a role gets from a query at all (e.g. no need ranking for donors) stays in that query's docstring.

* hub: every row.
* donor: city-level fund money, events and counts; indicators flagged ``sensitive`` only as economy
  aggregates over at least ``MIN_GROUP_SIZE`` cities; no city-level need scores (the need index
  holds a sensitive dimension: the queries that return them refuse donors, see each module).
* mayor: their own city, plus aggregates.
* practices and actors: hub staff every entry, donors and mayors the public ones.
* any other role, or no viewer: nothing, everywhere.

The clauses are SQLAlchemy WHERE clauses (``true()`` vanishes from a WHERE with other terms);
``known`` and ``city`` answer in Python for the checks that come before any SQL.
"""
from __future__ import annotations

from sqlalchemy import false, select, true

from hub.access import MIN_GROUP_SIZE, Viewer
from hub.models import ROLES, Indicator, Participant
from hub.queries.base import read

EVERYONE = Viewer("-", "hub")   # the store's own reads (all-city aggregates, snapshots): never a person


def known(viewer: Viewer | None) -> bool:
    """Whether the viewer has a role the hub knows (hub, donor, mayor)."""
    return viewer is not None and viewer.role in ROLES


def anyone(viewer: Viewer | None):
    """Rows open to every role (catalogues, the methodology, aggregates never shown city by city)."""
    return true() if known(viewer) else false()


def cities(viewer: Viewer | None, code_col, *, donors: bool = True):
    """Rows of the cities the viewer may see at city level (``code_col``: the row's municipality):
    hub all; donors all, or none with ``donors=False`` (the help desk is not a donor view); a mayor
    their own city; anyone else none."""
    if not known(viewer):
        return false()
    if viewer.is_hub or (viewer.is_donor and donors):
        return true()
    if viewer.is_mayor and viewer.municipality_code:
        return code_col == viewer.municipality_code
    return false()


def city(viewer: Viewer | None, code: str | None) -> bool:
    """Whether the viewer may see one named city's scores and records: hub any, a mayor their own."""
    return known(viewer) and viewer.may_see_city(code)


def city_values(viewer: Viewer | None, code_col, sensitive_col):
    """Indicator values city by city: hub all; donors the indicators not flagged sensitive; a mayor
    their own city; anyone else none."""
    if known(viewer) and viewer.is_donor:
        return sensitive_col.is_(False)
    return cities(viewer, code_col)


def events(viewer: Viewer | None, event_col):
    """Events: hub and donors all; a mayor the events their city's people attended; anyone else none.
    (Their participants: ``cities(viewer, <participant's municipality>)``.)"""
    if not known(viewer):
        return false()
    if viewer.is_hub or viewer.is_donor:
        return true()
    if viewer.is_mayor and viewer.municipality_code:
        P = Participant.__table__
        return event_col.in_(select(P.c.event_id).where(P.c.municipality_code == viewer.municipality_code))
    return false()


def public(viewer: Viewer | None, public_col):
    """Practices and actors: hub staff every entry; donors and mayors the public ones; anyone else none."""
    if not known(viewer):
        return false()
    return true() if viewer.is_hub else public_col.is_(True)


def small_group(count) -> bool:
    """Fewer than ``MIN_GROUP_SIZE`` cities: too few for a non-hub viewer to see their aggregate."""
    return count is None or count < MIN_GROUP_SIZE


def group_value(count, value):
    """An aggregate as a non-hub viewer may see it: ``value``, or None over a small group."""
    return None if small_group(count) else value


def sensitive_dimensions(engine=None) -> set[str]:
    """Dimensions (indicator domains) holding any sensitive indicator."""
    IND = Indicator.__table__
    return set(read(select(IND.c.domain).where(IND.c.sensitive.is_(True)).distinct(), engine)["domain"])
