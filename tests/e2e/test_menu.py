"""The menu a donor gets in a real browser. (Every page as each role, in four languages, with no
exception box and its own menu entry: tests/e2e/test_quality.py.)"""
from __future__ import annotations

import pytest

from hub.i18n import t

pytestmark = pytest.mark.e2e


def test_menu_hides_pages_a_donor_may_not_open(hub_server, page, sign_in):
    sign_in(page, hub_server.url, "donor.demo")
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    for hidden in ("needs", "city", "helpdesk", "data"):
        assert t(f"nav.{hidden}", "en") not in nav
