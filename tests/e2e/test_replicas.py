"""Two app processes on one store, as behind a reverse proxy, in a real browser.

- signed in on the first, the same browser opens the second without being asked to sign in;
- a sign-out on the second is honoured on the first;
- the city profile PDF made on one process downloads from the other, for its owner only:
  another signed-in user's cookie gets 404 for the same URL;
- app pages and files carry the no-framing headers.
"""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit

import pytest

from hub import i18n
from tests.e2e.conftest import wait_for_app

pytestmark = [pytest.mark.e2e, pytest.mark.each_backend]   # make test runs it on PostgreSQL too


@pytest.fixture
def two_replicas(start_hub_server):
    secret = secrets.token_urlsafe(32)
    first = start_hub_server(secret=secret)
    second = start_hub_server(first.db_url, secret=secret)
    return first, second


def signed_in_as(page, name: str = "") -> bool:
    text = i18n.t("auth.signed_in_as", "en", name=name).strip()
    page.wait_for_function(f"() => document.body.innerText.includes({text!r})")
    return True


def test_a_browser_signed_in_on_one_process_is_signed_in_on_the_other(two_replicas, browser, sign_in):
    first, second = two_replicas
    context = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(90_000)
    try:
        page = context.new_page()
        sign_in(page, first.url, "mayor.kumanovo", next="/city?lang=en")
        response = page.goto(second.url + "/city?lang=en")
        assert response.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        wait_for_app(page)
        assert urlsplit(page.url).path == "/city"                  # not sent to /signin
        assert signed_in_as(page, "Mayor of Kumanovo")

        # the PDF, made on the second process, fetched from the first
        with page.expect_download(timeout=120_000) as dl:
            page.get_by_role("button", name=i18n.t("city.download_pdf", "en")).click()
        url = urlsplit(dl.value.url)
        assert url.path.startswith("/media/") and dl.value.suggested_filename.endswith(".pdf")
        owner = context.request.get(first.url + url.path)
        assert owner.status == 200 and owner.body().startswith(b"%PDF")
        assert owner.headers["x-frame-options"] == "DENY"
        assert owner.headers["content-disposition"].startswith("attachment")

        # another mayor, signed in, cannot fetch it on either process
        other = browser.new_context(locale="en-GB")
        try:
            other_page = other.new_page()
            sign_in(other_page, second.url, "mayor.cair", next="/city?lang=en")
            for server in (first, second):
                assert other.request.get(server.url + url.path).status == 404
        finally:
            other.close()

        # sign out on the second process (the sidebar button); the first honours it
        page.get_by_role("button", name=i18n.t("auth.sign_out", "en")).click()
        page.wait_for_url(lambda u: "/signin" in u, timeout=120_000)
        page.goto(first.url + "/city?lang=en")
        page.wait_for_selector("#username")
        assert urlsplit(page.url).path == "/signin"
        assert context.request.get(first.url + url.path).status == 403     # and its files with it
    finally:
        context.close()


def test_a_link_to_signout_from_elsewhere_only_asks(hub_server, page, sign_in):
    sign_in(page, hub_server.url, "donor.demo", next="/?lang=en")
    page.goto(hub_server.url + "/signout?lang=en")              # as a link on another site would
    page.wait_for_selector("form[action='/signout'] button")
    page.goto(hub_server.url + "/?lang=en")
    wait_for_app(page)
    assert "/signin" not in page.url and signed_in_as(page)
    page.goto(hub_server.url + "/signout?lang=en")
    page.click("form[action='/signout'] button")               # the user's own choice
    page.wait_for_selector("#username")
    page.goto(hub_server.url + "/?lang=en")
    page.wait_for_selector("#username")


def test_a_cli_load_is_seen_by_every_replica_at_its_next_page_load(demo_copy_url, start_hub_server, browser,
                                                                   sign_in, tmp_path):
    """Issue 13: two processes on one store (PostgreSQL in the second pass); a load from the command
    line shows on the process that did not take part, at its next page load, with no restart."""
    import subprocess
    import sys

    from tests.e2e.conftest import ROOT
    from tests.e2e.test_live_data import member_cities

    secret = secrets.token_urlsafe(32)
    first = start_hub_server(demo_copy_url, secret=secret)
    second = start_hub_server(demo_copy_url, secret=secret)
    context = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(90_000)
    try:
        page = context.new_page()
        sign_in(page, first.url, "hub.admin", next="/overview?lang=en")
        page.wait_for_selector('[data-testid="stMetric"]')
        before = member_cities(page)
        page.goto(second.url + "/overview?lang=en")             # the second replica, its cache warmed
        wait_for_app(page)
        page.wait_for_selector('[data-testid="stMetric"]')
        assert member_cities(page) == before

        path = tmp_path / "replica_city.csv"
        path.write_text("code,name,country,member_since\nAL992,Replica test city,AL,2026-02-01\n", encoding="utf-8")
        out = subprocess.run([sys.executable, "-m", "loaders", "municipalities", str(path),
                              "--database-url", demo_copy_url], cwd=ROOT, capture_output=True, text=True,
                             timeout=300)
        assert out.returncode == 0, out.stderr

        for server in (second, first):
            page.goto(server.url + "/overview?lang=en")
            wait_for_app(page)
            page.wait_for_selector('[data-testid="stMetric"]')
            assert member_cities(page) == before + 1, server.log()[-3000:]
    finally:
        context.close()
