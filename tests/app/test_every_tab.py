"""Every tab of every page opens without an error, as each role, on the demo store.

``ui.tabs`` runs only the open tab, so a tab that reads a name another tab defines fails only when
it is opened alone (the needs page's heat map did); this opens each one alone, as a click would."""
from __future__ import annotations

import pytest

from hub.access import PAGES_BY_ROLE
from tests.app.helpers import app_as, each_tab

USERS = {"hub": "hub.admin", "donor": "donor.demo", "mayor": "mayor.kumanovo"}
CASES = [(role, page) for role, pages in PAGES_BY_ROLE.items() if role in USERS for page in pages]


@pytest.mark.parametrize("role, page", CASES)
def test_each_tab_opens_alone(demo_env, role, page):
    at = app_as(USERS[role], page=f"pages/{page}.py", timeout=120)
    assert not at.exception, f"/{page} as {role}: {at.exception}"
    opened = []
    for shown in each_tab(at):
        label = shown.session_state["tab"]
        assert not shown.exception, f"/{page} tab {label!r} as {role}: {shown.exception[0].message}"
        assert len(shown.main.children) > 1, f"/{page} tab {label!r} as {role} shows nothing"
        opened.append(label)
    assert len(opened) == len(set(opened)), opened
