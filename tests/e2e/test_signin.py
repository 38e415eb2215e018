"""Sign-in in a real browser against the real server (``streamlit run serve.py``).

- a deep link on a freshly started server shows the sign-in, never the page;
- mayor.kumanovo signs in through /signin, lands on the link it came for (query kept),
  and a reload keeps the session; the cookie is HttpOnly, SameSite=Lax and expires;
- a wrong password stays on the form with the translated message;
- signing out ends the session: the old cookie no longer opens the app.
"""
from __future__ import annotations

import time
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest

from hub import i18n
from hub.access import PAGES
from hub.tokens import session_lifetime
from tests.e2e.conftest import fill_sign_in, wait_for_app

pytestmark = [pytest.mark.e2e, pytest.mark.each_backend]   # make test runs it on PostgreSQL too


def sidebar_text(page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def test_deep_links_on_a_fresh_server_show_the_sign_in(start_hub_server, page):
    server = start_hub_server()                   # nobody has opened "/" on this server yet
    for path in [f"/{p}" for p in PAGES] + ["/?city=MK001&lang=mk"]:
        page.goto(server.url + path)
        page.wait_for_selector("#username")
        url = urlsplit(page.url)
        assert url.path == "/signin", path
        assert parse_qs(url.query)["next"] == [path]
        assert page.locator('[data-testid="stApp"]').count() == 0      # no Streamlit page at all
    assert "Лозинка" in page.content()            # ?lang=mk carried to the sign-in form
    # the websocket and data endpoints refuse a browser without a session
    for path in ("/_stcore/stream", "/media/x.csv"):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(server.url + path, timeout=10)
        assert err.value.code == 403


def test_mayor_signs_in_lands_on_the_link_and_a_reload_keeps_the_session(hub_server, page, sign_in):
    sign_in(page, hub_server.url, "mayor.kumanovo", next="/?lang=mk&x=1")
    assert parse_qs(urlsplit(page.url).query).get("lang") == ["mk"]
    signed_in = i18n.t("auth.signed_in_as", "mk", name="")
    page.wait_for_function(f"() => document.body.innerText.includes({signed_in.strip()!r})")
    cookie = next(c for c in page.context.cookies() if c["name"] == "hub_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert 0 < cookie["expires"] - time.time() <= session_lifetime().total_seconds() + 5
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text() if page.locator(
        '[data-testid="stSidebarNav"]').count() else ""
    assert i18n.t("nav.fund", "mk") not in nav and i18n.t("nav.data", "mk") not in nav

    page.reload()
    wait_for_app(page)
    assert "/signin" not in page.url
    page.wait_for_function(f"() => document.body.innerText.includes({signed_in.strip()!r})")
    assert i18n.t("auth.title", "mk") not in [h.inner_text() for h in page.locator("h1").all()]


def test_wrong_password_stays_on_the_form(hub_server, page):
    fill_sign_in(page, hub_server.url, "mayor.kumanovo", "not-the-password", lang="bcms")
    page.wait_for_selector(".error")
    assert page.locator(".error").inner_text() == i18n.t("auth.invalid", "bcms")
    assert urlsplit(page.url).path == "/signin"
    assert not [c for c in page.context.cookies() if c["name"] == "hub_session"]


def test_sign_out_ends_the_session(hub_server, page, sign_in):
    sign_in(page, hub_server.url, "donor.demo", next="/?lang=en")
    old = next(c for c in page.context.cookies() if c["name"] == "hub_session")
    page.get_by_role("button", name=i18n.t("auth.sign_out", "en")).click()
    page.wait_for_url(lambda u: "/signin" in u, timeout=120_000)
    page.wait_for_selector("#username")
    assert not [c for c in page.context.cookies() if c["name"] == "hub_session"]
    # the old cookie, replayed, opens nothing: sign-out ended it on the server
    page.context.add_cookies([old])
    page.goto(hub_server.url + "/fund")
    page.wait_for_selector("#username")
    assert urlsplit(page.url).path == "/signin"


def test_a_forbidden_deep_link_on_a_fresh_server_runs_the_shell_not_the_page(start_hub_server, page, sign_in):
    """serve.py keeps Streamlit out of its legacy pages/ mode: a signed-in mayor who opens /data
    first thing on a fresh server gets app.py (navigation of their own pages), not pages/data.py."""
    server = start_hub_server()
    sign_in(page, server.url, "mayor.kumanovo", next="/data?lang=en")
    page.wait_for_selector('[data-testid="stSidebarNav"]')
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert i18n.t("nav.city", "en") in nav and i18n.t("nav.data", "en") not in nav
    assert page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').count() >= 1
    # legacy mode would have run pages/data.py alone: its guard's refusal, and a file-name menu
    assert i18n.t("common.not_available", "en") not in page.locator('[data-testid="stMain"]').inner_text()
    assert i18n.t("nav.data", "en") not in [h.inner_text() for h in page.locator("h1").all()]
