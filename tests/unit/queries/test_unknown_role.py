"""A viewer of a role the hub does not know gets nothing from any query (issue 19).

Every public function of every query module whose first parameter is ``viewer`` is found by
introspection and called with a stranger (a role outside ``hub.models.ROLES``, carrying a real
city code and a real donor, so a rule that looks at those instead of the role is caught) on the
demo store. Each must return nothing (a frame without rows or with nothing but zeros and blanks,
as a headline's one row; None; 0; an empty collection; the city page's refusal) or raise
PermissionError. The same calls as hub staff must return something, so
the sample arguments below really reach data.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil

import pandas as pd
import pytest

import hub.queries
from hub.access import Viewer
from hub.db import get_engine
from tests.dbutil import sql

HELPERS = {"base", "scope", "dates"}          # the layer's own building blocks, not queries
HUB = Viewer("hub.admin", "hub")
# Facts every viewer (and none) may have: the demo notice shows on the sign-in page too.
PUBLIC = {"meta.is_demo"}
# Calls that find nothing on the demo store even for hub staff: changes need snapshots of two
# loads, and the demo has no overdue dataset, no event without participants and no change alert.
EMPTY_FOR_HUB = {"alerts.load_pairs", "alerts.absorption_load_pairs", "alerts.overdue_datasets",
                 "alerts.events_without_participants", "alerts.change_items"}


def _query_functions():
    for info in pkgutil.iter_modules(hub.queries.__path__):
        if info.name in HELPERS:
            continue
        module = importlib.import_module(f"hub.queries.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            params = list(inspect.signature(fn).parameters)
            if params and params[0] == "viewer" and f"{info.name}.{name}" not in PUBLIC:
                yield f"{info.name}.{name}", fn


QUERIES = dict(_query_functions())


@pytest.fixture(scope="module")
def store(databases):
    url = databases.demo_copy("stranger")        # writable: check_city audits its refusal
    engine = get_engine(url)
    city = "MK001"
    period = sql(url, "select max(period) from need_scores")[0][0]
    _load_boundaries_and_a_survey(engine, city, period)
    samples = {
        "city": city, "code": city, "municipality_code": city,
        "period": period,
        "request_id": sql(url, "select min(request_id) from helpdesk_requests where municipality_code = ?",
                          city)[0][0],
        "application_id": sql(url, "select min(application_id) from fund_applications where status = ?",
                              "approved")[0][0],
    }
    from hub.alerts.snapshots import record
    from hub.queries.alerts import action_list
    record(engine)                                  # one snapshot, for snapshot_loads
    samples["items"] = action_list(HUB, engine=engine)
    samples["threshold"] = 1.01                     # every city's assessment counts as incomplete
    donor = sql(url, "select donor from fund_applications where donor is not null")[0][0]
    samples["donors"] = [donor.split(";")[0].split(":")[0].strip()]
    stranger = Viewer("stranger", "guest", municipality_code=city, donors=tuple(samples["donors"]))
    yield engine, samples, stranger
    databases.drop(url)


def _load_boundaries_and_a_survey(engine, city, period):
    """What the demo lacks: loaded boundary polygons and one survey submission."""
    from pathlib import Path

    from generators import assessment_sample as sample
    from loaders.assessment import load_assessment
    from loaders.assessment_form import form_spec
    from loaders.boundaries import load_boundaries
    load_boundaries(Path(__file__).resolve().parents[2] / "fixtures" / "mk_municipalities.gpkg", country="MK",
                    engine=engine)
    spec = form_spec(engine)
    load_assessment([(sample.kobo_xlsx(spec, sample.synthetic_submissions(spec, [city], period)), "k.xlsx")],
                    engine=engine)


def _call(fn, viewer, engine, samples):
    kwargs = {}
    for name, p in list(inspect.signature(fn).parameters.items())[1:]:
        if name == "engine":
            kwargs[name] = engine
        elif name in samples:
            kwargs[name] = samples[name]
        elif p.default is inspect.Parameter.empty and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
            pytest.fail(f"{fn.__module__}.{fn.__name__}: add a sample value for {name!r} to this test")
    return fn(viewer, **kwargs)


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or value in (0, "", False)


def _nothing(result, samples) -> bool:
    if isinstance(result, pd.DataFrame):            # no rows, or a headline's one row of zeros
        echoed = {v for v in samples.values() if isinstance(v, str)}    # the caller's own arguments
        return all(_blank(v) or (isinstance(v, str) and v in echoed) for v in result.to_numpy().ravel())
    if isinstance(result, str):
        return result == "refused"                  # city.check_city's answer
    return result is None or result == 0 or (hasattr(result, "__len__") and len(result) == 0)


def test_every_query_module_is_covered():
    modules = {name.split(".")[0] for name in QUERIES}
    expected = {i.name for i in pkgutil.iter_modules(hub.queries.__path__)} - HELPERS - {"meta"}
    assert modules == expected


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_a_stranger_gets_nothing(store, name):
    engine, samples, stranger = store
    try:
        got = _call(QUERIES[name], stranger, engine, samples)
    except PermissionError:
        return
    assert _nothing(got, samples), f"{name} let a viewer of unknown role through: {got!r}"


@pytest.mark.parametrize("name", sorted(set(QUERIES) - EMPTY_FOR_HUB))
def test_the_same_call_gives_hub_staff_something(store, name):
    engine, samples, _ = store
    got = _call(QUERIES[name], HUB, engine, samples)
    assert not _nothing(got, samples), f"{name}: the sample arguments reach no data"


def _same(a, b) -> bool:
    if isinstance(a, pd.DataFrame):
        return isinstance(b, pd.DataFrame) and a.equals(b)
    if isinstance(a, tuple):
        return isinstance(b, tuple) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_rows_depend_on_the_viewers_scope_only(store, name):
    """``ui.cache`` keys cached reads on the viewer's scope (role, city, donors), so that every hub
    user shares them: two users of one scope, other names and languages, must get the same answer."""
    engine, samples, _ = store
    pairs = [(Viewer("hub.a", "hub", language="en", display_name="A"),
              Viewer("hub.b", "hub", language="mk", display_name="B")),
             (Viewer("mayor.a", "mayor", "MK001", language="mk", display_name="A"),
              Viewer("mayor.b", "mayor", "MK001", language="sq", display_name="B"))]
    for one, other in pairs:
        assert _same(_call(QUERIES[name], one, engine, samples), _call(QUERIES[name], other, engine, samples)), \
            f"{name} answers two {one.role} users of one scope differently"
