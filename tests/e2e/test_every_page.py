"""A real browser visits every page as each role and fails on any Streamlit exception box."""
from __future__ import annotations

import pytest

from hub.access import PAGES_BY_ROLE
from hub.i18n import t
from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e

ROLE_USER = {"hub": "hub.admin", "donor": "donor.demo", "mayor": "mayor.kumanovo"}
# Each demo account's own language (the mayor of Kumanovo works in Macedonian).
USER_LANG = {"hub.admin": "en", "donor.demo": "en", "mayor.kumanovo": "mk"}


@pytest.mark.parametrize("role", sorted(ROLE_USER))
def test_every_allowed_page_renders_without_exception(role, hub_server, page, sign_in):
    sign_in(page, hub_server.url, ROLE_USER[role])
    seen = []
    for page_id in PAGES_BY_ROLE[role]:
        page.goto(f"{hub_server.url}/{page_id}")
        wait_for_app(page)
        page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
        boxes = page.locator('[data-testid="stException"]')
        assert boxes.count() == 0, f"{role} on /{page_id}: {boxes.first.inner_text()[:500]}"
        # The menu offers exactly this role's pages, so the page we asked for is the one shown.
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert t(f"nav.{page_id}", USER_LANG[ROLE_USER[role]]) in nav
        seen.append(page_id)
    assert seen == list(PAGES_BY_ROLE[role])


def test_menu_hides_pages_a_donor_may_not_open(hub_server, page, sign_in):
    sign_in(page, hub_server.url, "donor.demo")
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    for hidden in ("needs", "city", "helpdesk", "data"):
        assert t(f"nav.{hidden}", "en") not in nav
