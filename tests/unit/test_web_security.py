"""The HTTP layer against hostile senders, with two app instances on one store (as two replicas):
throttled sign-in that answers alike for unknown and known names, trusted browsers that a
stranger cannot lock out, sign-out only by POST with a CSRF token, security headers, and
generated files served only to the user who made them.

The store is ``empty_url`` with three users added here through ``hub.models``.
"""
from __future__ import annotations

import re
import statistics
import time
from datetime import timedelta
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from sqlmodel import Session, select

from hub import accounts, i18n, media, tokens
from hub.accounts import ADDRESS_MAX_FAILURES, LOCKOUT, MAX_FAILED_ATTEMPTS
from hub.db import get_engine
from hub.models import AuditLog, SignInThrottle, User, utcnow
from tests.unit.test_access import asgi, set_cookies

PASSWORDS = {"alice": "alice-password-1", "bob": "bob-password-22", "hub.staff": "staff-password-333"}


@pytest.fixture
def store(empty_url, monkeypatch):
    # cheap argon2 parameters for these tests (real users and the dummy hash alike), as many
    # attempts are made; verification reads the parameters from the hash itself
    import argon2
    from functools import partialmethod
    monkeypatch.setattr(argon2.PasswordHasher, "__init__", partialmethod(
        argon2.PasswordHasher.__init__, time_cost=1, memory_cost=1024, parallelism=1))
    accounts._dummy_hash.cache_clear()
    monkeypatch.setenv("DATABASE_URL", empty_url)
    monkeypatch.setenv("HUB_SECRET_KEY", "web-security-test-secret-" + "x" * 20)
    engine = get_engine(empty_url)
    with Session(engine) as s:
        for name, pw in PASSWORDS.items():
            s.add(User(username=name, display_name=name.title(), role="hub" if name == "hub.staff" else "donor",
                       password_hash=accounts.hash_password(pw)))
        s.commit()
    yield engine
    accounts._dummy_hash.cache_clear()


def make_app():
    """One app process: our routes and middleware around a stand-in for Streamlit."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from hub.web import SecurityHeaders, SessionGate, signin, signout

    async def page(request):
        return PlainTextResponse("APP CONTENT")

    return Starlette(routes=[
        Route("/signin", signin, methods=["GET", "POST"]), Route("/signout", signout, methods=["GET", "POST"]),
        Route("/{path:path}", page),
    ], middleware=[Middleware(SecurityHeaders), Middleware(SessionGate)])


@pytest.fixture
def replicas(store):
    return make_app(), make_app()


class Browser:
    """A cookie jar that talks to one app or another, from one address."""

    def __init__(self, address="198.51.100.7"):
        self.cookies: dict[str, str] = {}
        self.address = address

    def request(self, app, method, path, form=None):
        status, headers, text = asgi(app, method, path, cookies=self.cookies or None, form=form,
                                     client=self.address)
        for name, morsel in set_cookies(headers).items():
            if morsel.value:
                self.cookies[name] = morsel.value
            else:
                self.cookies.pop(name, None)
        return status, dict(headers), text

    def sign_in(self, app, username, password, lang="en", form_from=None):
        _, _, text = self.request(form_from or app, "GET", "/signin?" + urlencode({"lang": lang}))
        csrf = re.search(r'name="csrf" value="([^"]+)"', text).group(1)
        status, headers, text = self.request(app, "POST", "/signin", form={
            "csrf": csrf, "lang": lang, "next": "/", "username": username, "password": password})
        error = re.search(r'class="error" role="alert">([^<]*)<', text)
        return status, (error.group(1) if error else None)


def audit(engine, action):
    with Session(engine) as s:
        return s.exec(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)).all()


# --- sign-in throttling --------------------------------------------------------------------------
def test_unknown_and_known_names_get_the_same_answers(replicas, monkeypatch):
    app1, app2 = replicas
    calls = []
    real_verify = accounts.verify_password
    monkeypatch.setattr(accounts, "verify_password", lambda h, p: calls.append(1) or real_verify(h, p))
    answers = {}
    for name, address in (("alice", "203.0.113.1"), ("nobody-here", "203.0.113.2")):
        b = Browser(address)
        answers[name] = []
        for i in range(MAX_FAILED_ATTEMPTS + 2):          # alternate replicas: the count is in the store
            calls.clear()
            answers[name].append(b.sign_in(app1 if i % 2 else app2, name, "wrong-password"))
            assert len(calls) == 1                          # one argon2 check per answer, whatever it is
    assert answers["alice"] == answers["nobody-here"]
    locked = i18n.t("auth.locked", "en", minutes=15)
    assert [a[0] for a in answers["alice"]] == [401] * (MAX_FAILED_ATTEMPTS - 1) + [429] * 3
    assert answers["alice"][-1][1] == locked


def test_unknown_and_known_names_take_about_as_long(store):
    def timed(name):
        t0 = time.perf_counter()
        accounts.sign_in(name, "wrong-password", address=f"192.0.2.{len(name)}")
        return time.perf_counter() - t0
    samples = {n: [] for n in ("alice", "nobody-x")}
    for _ in range(3):
        for n in samples:
            samples[n].append(timed(n))
    known, unknown = (statistics.median(samples[n]) for n in samples)
    assert abs(known - unknown) < 0.5 * max(known, unknown) + 0.02, samples


def test_a_stranger_cannot_lock_a_user_out_of_a_browser_they_signed_in_from(replicas, store):
    app1, app2 = replicas
    alice = Browser("198.51.100.10")
    assert alice.sign_in(app1, "alice", PASSWORDS["alice"]) == (303, None)
    assert "hub_device" in alice.cookies
    alice.request(app1, "GET", "/signout")                # (a live session: only a confirm form)
    stranger = Browser("203.0.113.66")
    for _ in range(MAX_FAILED_ATTEMPTS):
        stranger.sign_in(app2, "alice", "guess")
    assert stranger.sign_in(app2, "alice", PASSWORDS["alice"])[0] == 429      # even with the password
    assert Browser("198.51.100.11").sign_in(app1, "alice", PASSWORDS["alice"])[0] == 429   # new browser
    # alice's own browser, on either replica, still gets in with her password
    assert alice.sign_in(app2, "alice", PASSWORDS["alice"]) == (303, None)
    assert alice.request(app1, "GET", "/")[2] == "APP CONTENT"
    # her device is trusted for alice only
    assert alice.sign_in(app1, "bob", PASSWORDS["bob"])[0] == 303
    assert set(tokens.read_device_token(alice.cookies["hub_device"])[1]) == {"alice", "bob"}


def test_a_form_from_one_replica_posts_to_another(replicas, store):
    app1, app2 = replicas
    b = Browser()
    assert b.sign_in(app2, "bob", PASSWORDS["bob"], form_from=app1) == (303, None)
    assert b.request(app1, "GET", "/")[2] == b.request(app2, "GET", "/")[2] == "APP CONTENT"


def test_a_language_asked_for_on_the_sign_in_page_is_the_one_the_app_opens_in(replicas, store):
    app, _ = replicas
    # asked for (?lang=mk): the form carries it, and the redirect after sign-in keeps it
    b = Browser()
    _, _, text = b.request(app, "GET", "/signin?" + urlencode({"lang": "mk", "next": "/city?city=MK001"}))
    assert 'name="lang" value="mk"' in text
    csrf = re.search(r'name="csrf" value="([^"]+)"', text).group(1)
    status, headers, _ = b.request(app, "POST", "/signin", form={
        "csrf": csrf, "lang": "mk", "next": "/city?city=MK001", "username": "bob", "password": PASSWORDS["bob"]})
    assert status == 303 and headers["location"] == "/city?city=MK001&lang=mk"
    # not asked for: the form has no language of its own and the account's saved language stays in charge
    b = Browser()
    _, _, text = b.request(app, "GET", "/signin?" + urlencode({"next": "/city?city=MK001"}))
    assert 'name="lang"' not in text
    csrf = re.search(r'name="csrf" value="([^"]+)"', text).group(1)
    status, headers, _ = b.request(app, "POST", "/signin", form={
        "csrf": csrf, "next": "/city?city=MK001", "username": "bob", "password": PASSWORDS["bob"]})
    assert status == 303 and headers["location"] == "/city?city=MK001"


def test_a_trusted_browser_that_keeps_failing_is_no_longer_trusted(replicas, store):
    app1, _ = replicas
    alice = Browser("198.51.100.20")
    alice.sign_in(app1, "alice", PASSWORDS["alice"])
    for _ in range(MAX_FAILED_ATTEMPTS):
        assert alice.sign_in(app1, "alice", "typo")[0] == 401     # the name is not paused for others
    assert Browser("198.51.100.21").sign_in(app1, "alice", PASSWORDS["alice"])[0] == 303
    for _ in range(MAX_FAILED_ATTEMPTS):
        Browser("203.0.113.9").sign_in(app1, "alice", "guess")
    assert alice.sign_in(app1, "alice", PASSWORDS["alice"])[0] == 429   # device paused, name paused


def test_one_address_is_paused_after_many_failures_on_any_names(replicas, store):
    app1, app2 = replicas
    sender = Browser("203.0.113.50")
    statuses = [sender.sign_in(app1 if i % 2 else app2, f"user{i}", "x")[0] for i in range(ADDRESS_MAX_FAILURES)]
    assert statuses == [401] * (ADDRESS_MAX_FAILURES - 1) + [429]
    status, error = sender.sign_in(app1, "bob", PASSWORDS["bob"])
    assert status == 429 and error == i18n.t("auth.throttled", "en", minutes=15)
    assert Browser("203.0.113.51").sign_in(app2, "bob", PASSWORDS["bob"])[0] == 303   # other addresses fine
    with Session(store) as s:                              # the state is in the store, for every replica
        assert s.get(SignInThrottle, "addr:203.0.113.50").blocked_until is not None
    later = utcnow() + LOCKOUT + timedelta(seconds=1)
    assert accounts.sign_in("bob", PASSWORDS["bob"], address="203.0.113.50", now=later).outcome == "ok"


def test_ipv6_addresses_are_throttled_by_their_64_block():
    assert accounts.address_key("2001:db8:1:2::5") == accounts.address_key("2001:db8:1:2:ffff::1")
    assert accounts.address_key("2001:db8:1:3::5") != accounts.address_key("2001:db8:1:2::5")
    assert accounts.address_key("::ffff:192.0.2.1") == accounts.address_key("192.0.2.1") == "addr:192.0.2.1"
    assert accounts.address_key(None) is None


# --- sign-out ---------------------------------------------------------------------------------
def test_sign_out_needs_a_post_with_the_sessions_csrf_token(replicas, store):
    app1, app2 = replicas
    b, other = Browser(), Browser("198.51.100.99")
    assert b.sign_in(app1, "alice", PASSWORDS["alice"])[0] == 303
    assert other.sign_in(app1, "bob", PASSWORDS["bob"])[0] == 303
    # a link from another site (GET) only shows a confirmation
    status, headers, text = b.request(app2, "GET", "/signout?lang=sq")
    assert status == 200 and i18n.t("auth.sign_out", "sq") in text and "Alice" in text
    assert b.request(app2, "GET", "/")[2] == "APP CONTENT" and not audit(store, "sign_out")
    csrf = re.search(r'name="csrf" value="([^"]+)"', text).group(1)
    # a forged POST: no token, or the token of another session
    _, _, other_text = other.request(app1, "GET", "/signout")
    other_csrf = re.search(r'name="csrf" value="([^"]+)"', other_text).group(1)
    for form in ({"lang": "en"}, {"csrf": other_csrf, "lang": "en"}, {"csrf": "forged", "lang": "en"}):
        assert b.request(app1, "POST", "/signout", form=form)[0] == 400
    assert b.request(app1, "GET", "/")[2] == "APP CONTENT" and not audit(store, "sign_out")
    # the real form, posted to the other replica, signs out everywhere
    old = dict(b.cookies)
    status, headers, _ = b.request(app1, "POST", "/signout", form={"csrf": csrf, "lang": "sq"})
    assert status == 303 and headers["location"].startswith("/signin?lang=sq")
    assert "hub_session" not in b.cookies
    for app in (app1, app2):
        assert asgi(app, "GET", "/", cookies={"hub_session": old["hub_session"]})[0] == 303
    assert [r.username for r in audit(store, "sign_out")] == ["alice"]


def test_get_signout_without_a_live_session_just_clears_the_cookie(replicas):
    app1, _ = replicas
    status, headers, _ = asgi(app1, "GET", "/signout?lang=mk", cookies={"hub_session": "stale"})
    assert status == 303 and headers[0] and dict(headers)["location"] == "/signin?lang=mk&out=1"
    assert set_cookies(headers)["hub_session"].value == ""


# --- headers --------------------------------------------------------------------------------
def test_every_response_says_no_framing_by_other_sites(replicas, store):
    app1, _ = replicas
    b = Browser()
    b.sign_in(app1, "alice", PASSWORDS["alice"])
    media.save("f1", "alice", b"a,b\n", "text/csv", "t.csv")
    for path in ("/", "/city?city=X", "/signin", "/signout", "/media/f1.csv", "/media/nope.csv"):
        _, h, _ = b.request(app1, "GET", path)
        assert h["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in h["content-security-policy"], path
        assert h["x-content-type-options"] == "nosniff" and h["referrer-policy"] == "same-origin", path
    _, h, _ = Browser().request(app1, "GET", "/fund")          # the redirect to sign-in too
    assert h["x-frame-options"] == "DENY"
    _, h, _ = b.request(app1, "GET", "/signin")
    assert "default-src 'none'" in h["content-security-policy"]     # the page's own, fuller policy
    # the app's own component frames (the map) may be framed by the app itself
    _, h, _ = b.request(app1, "GET", "/component/streamlit_folium.st_folium/index.html")
    assert h["x-frame-options"] == "SAMEORIGIN" and h["content-security-policy"] == "frame-ancestors 'self'"


def test_the_sign_in_page_escapes_what_the_url_carries(replicas):
    app1, _ = replicas
    nasty = '/city?city="><script>alert(1)</script>&x=`${1}`'
    _, _, text = asgi(app1, "GET", "/signin?" + urlencode({"next": nasty, "lang": "<b>mk</b>", "out": "1"}))
    assert "<script>alert" not in text and '"><script' not in text and "<b>mk" not in text
    assert 'name="next" value="/city?city=&quot;&gt;&lt;script&gt;' in text
    assert 'lang="en"' in text                                  # an unknown language falls back
    for raw in ("https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)"):
        _, _, text = asgi(app1, "GET", "/signin?" + urlencode({"next": raw}))
        assert 'name="next" value="/"' in text, raw


# --- generated files --------------------------------------------------------------------------
def test_a_generated_file_is_served_only_to_its_owner_by_any_replica(replicas, store):
    app1, app2 = replicas
    alice, bob = Browser(), Browser("198.51.100.8")
    alice.sign_in(app1, "alice", PASSWORDS["alice"])
    bob.sign_in(app1, "bob", PASSWORDS["bob"])
    pdf = b"%PDF-1.4 city profile of MK001"
    media.save("abc123", "alice", pdf, "application/pdf", "city-profile-MK001-2025.pdf")
    for app in (app1, app2):
        status, h, _ = alice.request(app, "GET", "/media/abc123.pdf")
        assert status == 200 and h["content-type"] == "application/pdf"
        assert h["content-disposition"] == 'attachment; filename="city-profile-MK001-2025.pdf"'
        assert "no-store" in h["cache-control"]
        assert bob.request(app, "GET", "/media/abc123.pdf")[0] == 404     # as if it did not exist
        assert Browser().request(app, "GET", "/media/abc123.pdf")[0] == 403
    # the same file made by bob too is his own copy
    media.save("abc123", "bob", pdf, "application/pdf", "city-profile-MK001-2025.pdf")
    assert bob.request(app2, "GET", "/media/abc123.pdf")[0] == 200
    # expired files are gone
    assert media.fetch("abc123", "alice", now=utcnow() + media.KEEP + timedelta(minutes=1)) is None


def test_single_sign_on_users_get_their_own_files_only(store):
    """With st.login, /media is still answered from the store for the user the e-mail maps to."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from hub.web import SessionGate
    with Session(store) as s:
        u = s.get(User, "alice")
        u.email = "Alice@Example.org"
        s.add(u)
        s.commit()

    async def streamlit_media(request):
        return PlainTextResponse("STREAMLIT'S OWN ROUTE")

    app = Starlette(routes=[Route("/{path:path}", streamlit_media)], middleware=[Middleware(
        SessionGate, allow_oidc=True, oidc_email=lambda r: r.cookies.get("_streamlit_user"))])
    media.save("sso1", "alice", b"data", "text/csv", "x.csv")
    assert asgi(app, "GET", "/media/sso1.csv", cookies={"_streamlit_user": "alice@example.org"})[2] == "data"
    assert asgi(app, "GET", "/media/sso1.csv", cookies={"_streamlit_user": "bob@example.org"})[0] == 404
    assert asgi(app, "GET", "/", cookies={"_streamlit_user": "x"})[2] == "STREAMLIT'S OWN ROUTE"


def test_file_names_cannot_break_the_header(store):
    from hub.web import _disposition
    assert _disposition('a"b.csv') == "attachment; filename*=utf-8''a%22b.csv"
    assert _disposition("Čair.pdf") == "attachment; filename*=utf-8''%C4%8Cair.pdf"
    assert _disposition("x\r\nSet-Cookie: a=b") == "attachment; filename*=utf-8''x%0D%0ASet-Cookie%3A%20a%3Db"


def test_the_media_manager_binds_files_to_the_user_who_drew_the_button(store, monkeypatch):
    """Streamlit's own deferred-download path (the PDF button): owner taken when the button is
    drawn, file kept in the store when it is clicked."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    from ui.media import OwnedMediaFileManager

    mgr = OwnedMediaFileManager(MemoryMediaFileStorage("/media"))
    monkeypatch.setattr(mgr, "_run_owner", lambda: "alice")
    placeholder = mgr.add_deferred(lambda: b"%PDF alice", "application/pdf", "1.2", "p.pdf")
    monkeypatch.setattr(mgr, "_run_owner", lambda: "bob")        # whoever clicks, the file is alice's
    url = mgr.execute_deferred(placeholder)
    file_id = url.rsplit("/", 1)[-1].split(".")[0]
    assert url.startswith("/media/") and media.fetch(file_id, "alice").content == b"%PDF alice"
    assert media.fetch(file_id, "bob") is None
    static = mgr.add(b"a,b\n", "text/csv", "1.3", "t.csv", is_for_static_download=True)
    assert media.fetch(static.rsplit("/", 1)[-1].split(".")[0], "bob").file_name == "t.csv"
    monkeypatch.setattr(mgr, "_run_owner", lambda: None)         # nobody signed in: nothing kept
    anon = mgr.add(b"zzz", "text/plain", "1.4")
    assert media.fetch(anon.rsplit("/", 1)[-1].split(".")[0], "alice") is None


# --- the signing key ------------------------------------------------------------------------
def test_a_shared_store_needs_hub_secret_key(monkeypatch):
    class FakeEngine:
        class url:
            drivername = "postgresql+psycopg"
    monkeypatch.delenv("HUB_SECRET_KEY", raising=False)
    with pytest.raises(SystemExit, match="HUB_SECRET_KEY"):
        tokens.check_secret_for_store(FakeEngine())


def test_processes_with_different_keys_on_one_store_are_told(store, monkeypatch, capsys):
    assert tokens.check_secret_for_store(store) is None
    assert tokens.check_secret_for_store(store) is None          # the same key again: quiet
    monkeypatch.setenv("HUB_SECRET_KEY", "another-key-" + "y" * 30)
    warning = tokens.check_secret_for_store(store)
    assert warning and "HUB_SECRET_KEY" in warning and "HUB_SECRET_KEY" in capsys.readouterr().err


def test_sign_in_to_the_root_goes_straight_to_the_roles_first_page(replicas, store):
    app, _ = replicas
    from hub.access import PAGES_BY_ROLE
    for user, role in (("hub.staff", "hub"), ("bob", "donor")):
        b = Browser()
        _, _, text = b.request(app, "GET", "/signin?" + urlencode({"lang": "sq", "next": "/"}))
        csrf = re.search(r'name="csrf" value="([^"]+)"', text).group(1)
        status, headers, _ = b.request(app, "POST", "/signin", form={
            "csrf": csrf, "lang": "sq", "next": "/", "username": user, "password": PASSWORDS[user]})
        assert status == 303 and headers["location"] == f"/{PAGES_BY_ROLE[role][0]}?lang=sq"


def test_each_good_sign_in_starts_the_after_sign_in_hooks_and_a_failed_one_none(replicas, store, monkeypatch):
    import threading
    from hub import web
    app, _ = replicas
    seen, done = [], threading.Event()
    monkeypatch.setattr(web, "SIGNED_IN_HOOKS", [lambda viewer, lang: (seen.append((viewer.username, lang)), done.set())])
    assert Browser("198.51.100.30").sign_in(app, "alice", "not-her-password")[0] == 401
    assert Browser("198.51.100.31").sign_in(app, "bob", PASSWORDS["bob"], lang="mk")[0] == 303
    assert done.wait(10) and seen == [("bob", "mk")]     # the language the app opens in: the one picked


def test_the_app_opens_in_the_url_language_else_the_account_language():
    from hub.access import Viewer
    from hub.web import opening_lang
    mayor = Viewer("m", "mayor", "MK001", language="sq")
    assert opening_lang("/city?lang=mk", mayor) == "mk"
    assert opening_lang("/city", mayor) == "sq"
    assert opening_lang("/city?lang=xx", mayor) == "sq"
    assert opening_lang("/overview", Viewer("h", "hub")) == "en"
