"""ui.prefetch: after a sign-in, what the role's first page reads first is in the cache under the very
keys the page asks for, so its first run computes none of it again: the overview's lists, headline
and map (hub staff, donors), a mayor's city profile. Checked by running the real first page in
AppTest on the caches the prefetch filled and counting the queries that still ran."""
from __future__ import annotations

import functools
import inspect

import pytest

from hub import maps
from hub.access import Viewer, pages_for
from hub.accounts import load_viewer
from hub.queries import alerts, city, compare, overview, recommend, survey
from tests.app.helpers import app_as, fresh_caches
from ui.prefetch import after_sign_in

QUERY_MODULES = (alerts, city, compare, overview, recommend, survey)


def _count_queries(monkeypatch) -> list[str]:
    """Every query (a public function of a viewer) of the first pages' query modules, counted when
    called: a cache miss (and the few direct calls, ``DIRECT``)."""
    calls: list[str] = []
    for module in QUERY_MODULES:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if (fn.__module__ == module.__name__ and not name.startswith("_")
                    and list(inspect.signature(fn).parameters)[:1] == ["viewer"]):
                label = f"{module.__name__.rsplit('.', 1)[-1]}.{name}"
                monkeypatch.setattr(module, name, _counted_call(fn, calls, label))
    monkeypatch.setattr(maps, "regional_map", _counted_call(maps.regional_map, calls, "maps.regional_map"))
    return calls


def _counted_call(fn, calls, label):
    @functools.wraps(fn)                   # ui.cache finds the query again by its module and name
    def counted(*a, **k):
        calls.append(label)
        return fn(*a, **k)
    return counted


# check_city: the page's direct (uncached, audited) check of ?city=; is_demo: asked by the PDF and notices
DIRECT = {"city.check_city", "meta.is_demo"}


@pytest.mark.parametrize("username", ["hub.admin", "donor.demo", "mayor.kumanovo"])
def test_the_first_page_finds_its_reads_in_the_cache_after_a_sign_in(demo_env, username, monkeypatch):
    viewer = load_viewer(username)
    page = pages_for(viewer)[0]
    fresh_caches()
    after_sign_in(viewer, viewer.language)
    calls = _count_queries(monkeypatch)
    at = app_as(username, f"pages/{page}.py", fresh=False)
    assert not at.exception
    assert [c for c in calls if c not in DIRECT] == []         # every read answered from the cache
    # and without the prefetch the same run reads them itself (the counting sees them)
    fresh_caches()
    at = app_as(username, f"pages/{page}.py", fresh=False)
    assert not at.exception
    expected = {"overview": {"overview.headline", "overview.map_layer", "alerts.change_items", "maps.regional_map"},
                "city": {"city.city_header", "city.city_scores", "city.city_trend", "city.city_events"}}
    assert expected[page] <= set(calls)


def test_the_prefetch_builds_the_map_in_the_language_the_app_opens_in(demo_env, monkeypatch):
    """A hub user who picked Albanian on the form: the map (titled in the language) is the Albanian one."""
    viewer = load_viewer("hub.admin")
    fresh_caches()
    calls = _count_queries(monkeypatch)
    after_sign_in(viewer, "sq")
    assert "maps.regional_map" in calls
    calls.clear()
    at = app_as(username="hub.admin", page="pages/overview.py", query={"lang": "sq"}, fresh=False)
    assert not at.exception
    assert [c for c in calls if c not in DIRECT] == []


def test_the_city_page_reads_the_comparison_only_in_its_tab(demo_env, monkeypatch):
    """The comparison and the recommendations (the heaviest reads, against every city) are not read
    by the profile's first view, nor prefetched: their tabs read them."""
    from tests.app.helpers import open_tab
    from hub.i18n import t
    calls = _count_queries(monkeypatch)
    fresh_caches()
    mayor = load_viewer("mayor.kumanovo")
    after_sign_in(mayor, mayor.language)
    at = app_as("mayor.kumanovo", "pages/city.py", fresh=False)
    assert not at.exception
    heavy = {"compare.indicator_positions", "compare.city_strengths", "recommend.recommendations"}
    assert not heavy & set(calls)
    open_tab(at, t("compare.title", mayor.language))
    open_tab(at, t("recommend.title", mayor.language))
    assert not at.exception
    assert heavy <= set(calls)


def test_a_failing_prefetch_is_logged_and_never_raises(demo_env, monkeypatch, caplog):
    def broken(*a, **k):
        raise RuntimeError("store away")
    monkeypatch.setattr(overview, "periods", broken)
    fresh_caches()
    after_sign_in(Viewer("hub.admin", "hub"), "en")      # no exception: only a head start
    assert "prefetch after sign-in failed" in caplog.text
