"""ui.prefetch: after a sign-in, the role's first page's heaviest reads are in the cache under the
very keys the page asks for, so its first run computes nothing of them again."""
from __future__ import annotations

import functools

import pytest

from hub.access import Viewer
from hub.queries import alerts as qa
from tests.app.helpers import fresh_caches
from ui.alerts import overview_lists
from ui.prefetch import after_sign_in


def _counted(fn, calls):
    @functools.wraps(fn)                   # ui.cache finds the query again by its module and name
    def counted(*a, **k):
        calls.append(fn.__name__)
        return fn(*a, **k)
    return counted


@pytest.mark.parametrize("viewer", [Viewer("hub.admin", "hub"), Viewer("donor.demo", "donor", donors=("EU",))])
def test_the_overview_lists_are_cached_after_a_sign_in(demo_env, viewer, monkeypatch):
    fresh_caches()
    after_sign_in(viewer)
    calls = []
    for name in ("change_items", "action_list"):
        monkeypatch.setattr(qa, name, _counted(getattr(qa, name), calls))
    changes, actions = overview_lists(Viewer(viewer.username + ".other-session", viewer.role, donors=viewer.donors))
    assert calls == []                                  # both answered from the cache
    assert (actions is not None) == viewer.is_hub
    fresh_caches()
    overview_lists(viewer)
    assert sorted(calls) == (["action_list", "change_items"] if viewer.is_hub else ["change_items"])


def test_a_mayor_first_page_is_not_the_overview_and_nothing_is_read(demo_env, monkeypatch):
    fresh_caches()
    calls = []
    monkeypatch.setattr(qa, "change_items", _counted(qa.change_items, calls))
    after_sign_in(Viewer("mayor.kumanovo", "mayor", "MK001"))
    assert calls == []
