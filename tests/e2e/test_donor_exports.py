"""A donor in a real browser: the fund page shows "my contribution", and each export downloads
from the Exports tab with the donor's own figures (issue 15)."""
from __future__ import annotations

import pytest
from lxml import etree

from hub import exports
from tests.e2e.conftest import wait_for_app

pytestmark = [pytest.mark.e2e, pytest.mark.each_backend]   # make test runs it on PostgreSQL too


def test_donor_downloads_each_export(hub_server, page, sign_in, tmp_path):
    sign_in(page, hub_server.url, "donor.demo", next="/fund")
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=90_000)
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    assert "My contribution (Switzerland)" in main.inner_text()
    page.get_by_role("tab", name="Exports").click()
    got = {}
    for kind in exports.KINDS:
        label = {"iati": "IATI activities 2.03 (XML)", "360giving-csv": "360Giving grants (CSV)",
                 "360giving-xlsx": "360Giving grants (Excel)", "hxl-indicators": "HXL indicator values (CSV)",
                 "hxl-flows": "HXL fund flows (CSV)"}[kind]
        with page.expect_download(timeout=60_000) as dl:
            page.get_by_role("button", name=label).click()
        path = tmp_path / dl.value.suggested_filename
        dl.value.save_as(path)
        got[kind] = path
        assert path.name == exports.FILES[kind][1] and path.stat().st_size > 100
    assert exports.validate_iati(got["iati"].read_bytes()) == []
    funders = set(etree.parse(str(got["iati"])).xpath("//participating-org[@role='1']/narrative/text()"))
    assert funders == {"Switzerland"}
    assert "Norway" not in got["360giving-csv"].read_text(encoding="utf-8")
    assert got["360giving-xlsx"].read_bytes()[:2] == b"PK"
    assert got["hxl-flows"].read_text(encoding="utf-8").splitlines()[1].startswith("#activity+code")
