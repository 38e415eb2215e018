"""A signed-in browser is open; a file is loaded from the command line (another process); the next
page load shows the new figure (SQLite). Cached reads follow the store's data version."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from hub.i18n import t
from tests.e2e.conftest import ROOT, wait_for_app

pytestmark = [pytest.mark.e2e, pytest.mark.each_backend]   # make test runs it on PostgreSQL too

NEW_CITY = "code,name,country,member_since\nAL991,Browser live-data city,AL,2026-02-01\n"


@pytest.fixture
def own_demo_url(demo_copy_url) -> str:
    """A demo store of this test's own (it is changed): a copy of the session's demo store."""
    return demo_copy_url


def member_cities(page) -> int:
    label = t("overview.metric.members", "en")
    metric = page.locator('[data-testid="stMetric"]', has_text=label).first
    value = metric.locator('[data-testid="stMetricValue"]').inner_text()
    return int(re.sub(r"\D", "", value))


def test_a_cli_load_shows_at_the_next_page_load(own_demo_url, start_hub_server, page, sign_in, tmp_path):
    server = start_hub_server(own_demo_url)
    sign_in(page, server.url, "hub.admin", next="/overview?lang=en")
    page.wait_for_selector('[data-testid="stMetric"]')
    before = member_cities(page)
    page.reload()
    wait_for_app(page)
    assert member_cities(page) == before                     # warm cache, same figure

    path = tmp_path / "new_city.csv"
    path.write_text(NEW_CITY, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "loaders", "municipalities", str(path),
                          "--database-url", own_demo_url], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr

    page.reload()
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMetric"]')
    assert member_cities(page) == before + 1, server.log()[-3000:]
