"""Sign-in, lockout, session tokens, sign-out, e-mail mapping and the HTTP gate, on a real SQLite store."""
from __future__ import annotations

import asyncio
import io
import re
from datetime import timedelta
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlmodel import Session, select

from hub import accounts, tokens
from hub.accounts import LOCKOUT, MAX_FAILED_ATTEMPTS, authenticate, sign_in, viewer_for_email
from hub.db import get_engine
from hub.models import AuditLog, User, utcnow
from hub.tokens import issue_session_token, session_lifetime, verify_session_token, viewer_for_token
from tests.small_db import PASSWORDS


@pytest.fixture
def engine(small_url, monkeypatch):
    url = small_url
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HUB_SECRET_KEY", "unit-test-secret")
    return get_engine(url)


def audit_rows(engine, action=None, username=None):
    with Session(engine) as s:
        q = select(AuditLog)
        if action:
            q = q.where(AuditLog.action == action)
        if username:
            q = q.where(AuditLog.username == username)
        return s.exec(q.order_by(AuditLog.id)).all()


def throttle(engine, key):
    from hub.models import SignInThrottle
    with Session(engine) as s:
        return s.get(SignInThrottle, key)


def user(engine, username) -> User:
    with Session(engine) as s:
        return s.get(User, username)


# --- authenticate / lockout --------------------------------------------------------------
def test_correct_password_gives_the_viewer_from_the_store_and_is_audited(engine):
    v = authenticate("mayor.kumanovo", PASSWORDS["mayor.kumanovo"], engine)
    assert v is not None and v.role == "mayor" and v.municipality_code == "MK001"
    assert [r.username for r in audit_rows(engine, "sign_in_ok")] == ["mayor.kumanovo"]


def test_wrong_password_and_unknown_user_fail_and_are_audited(engine):
    assert authenticate("mayor.kumanovo", "mayor-demo-2025", engine) is None
    assert authenticate("nobody", "whatever", engine) is None
    assert authenticate("", "", engine) is None
    failed = audit_rows(engine, "sign_in_failed")
    assert [r.username for r in failed] == ["mayor.kumanovo", "nobody", None]
    assert "wrong password" in failed[0].detail and "unknown user" in failed[1].detail
    assert throttle(engine, "user:mayor.kumanovo").failures == 1


def test_lockout_after_repeated_failures_even_for_the_right_password(engine):
    now = utcnow()
    for i in range(MAX_FAILED_ATTEMPTS - 1):
        assert sign_in("donor.demo", "wrong", engine, now=now).outcome == "invalid"
    last = sign_in("donor.demo", "wrong", engine, now=now)
    assert last.outcome == "locked" and last.locked_until == now + LOCKOUT
    right = PASSWORDS["donor.demo"]
    assert sign_in("donor.demo", right, engine, now=now + LOCKOUT - timedelta(seconds=1)).outcome == "locked"
    assert "paused" in audit_rows(engine, "sign_in_failed")[-1].detail
    later = sign_in("donor.demo", right, engine, now=now + LOCKOUT + timedelta(seconds=1))
    assert later.outcome == "ok" and later.viewer.role == "donor"
    assert throttle(engine, "user:donor.demo") is None


def test_a_success_resets_the_failure_count(engine):
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        sign_in("hub.admin", "wrong", engine)
    assert sign_in("hub.admin", PASSWORDS["hub.admin"], engine).outcome == "ok"
    assert sign_in("hub.admin", "wrong", engine).outcome == "invalid"   # counting starts again
    assert throttle(engine, "user:hub.admin").failures == 1


def test_unlock_clears_a_lockout(engine):
    for _ in range(MAX_FAILED_ATTEMPTS):
        sign_in("mayor.tuzla", "wrong", engine)
    assert sign_in("mayor.tuzla", PASSWORDS["mayor.tuzla"], engine).outcome == "locked"
    assert accounts.unlock("mayor.tuzla", engine)
    assert sign_in("mayor.tuzla", PASSWORDS["mayor.tuzla"], engine).outcome == "ok"


# --- session tokens -------------------------------------------------------------------------
def test_session_token_round_trip_and_expiry(engine):
    now = utcnow()
    token = issue_session_token("hub.admin", now=now)
    assert verify_session_token(token, now=now) == "hub.admin"
    assert verify_session_token(token, now=now + session_lifetime() - timedelta(minutes=1)) == "hub.admin"
    assert verify_session_token(token, now=now + session_lifetime() + timedelta(seconds=1)) is None


def test_tampered_or_foreign_tokens_are_refused(engine, monkeypatch):
    token = issue_session_token("mayor.kumanovo")
    payload, sig = token.rsplit(".", 1)
    assert verify_session_token(payload + "." + sig[::-1]) is None
    assert verify_session_token("hub.admin") is None and verify_session_token(None) is None
    monkeypatch.setenv("HUB_SECRET_KEY", "another-secret")
    assert verify_session_token(token) is None


def test_viewer_for_token_reads_the_store_and_ends_with_password_change_or_sign_out(engine):
    v = authenticate("mayor.cair", PASSWORDS["mayor.cair"], engine)
    token = tokens.issue_token_for(v, engine)
    assert viewer_for_token(token, engine) == v
    accounts.set_password("mayor.cair", "a-brand-new-password", engine)
    assert viewer_for_token(token, engine) is None                 # old sessions end
    v = authenticate("mayor.cair", "a-brand-new-password", engine)
    token = tokens.issue_token_for(v, engine)
    assert viewer_for_token(token, engine) == v
    tokens.sign_out("mayor.cair", engine=engine)
    assert viewer_for_token(token, engine) is None                 # sign-out ends it server-side
    fresh = tokens.issue_token_for(v, engine)
    assert viewer_for_token(fresh, engine) == v                    # signing in again works


def test_expired_token_gives_no_viewer(engine):
    v = authenticate("hub.admin", PASSWORDS["hub.admin"], engine)
    with Session(engine) as s:
        pw = s.get(User, "hub.admin").password_hash
    old = issue_session_token("hub.admin", password_hash=pw, now=utcnow() - session_lifetime() - timedelta(minutes=5))
    assert viewer_for_token(old, engine) is None
    assert viewer_for_token(issue_session_token("hub.admin", password_hash=pw), engine) == v


def test_secret_key_is_generated_once_into_a_private_file(tmp_path, monkeypatch):
    monkeypatch.delenv("HUB_SECRET_KEY", raising=False)
    path = tmp_path / "data" / ".secret_key"
    monkeypatch.setattr(tokens, "_SECRET_FILE", path)
    key = tokens.secret_key()
    assert len(key) >= 40 and path.read_text().strip() == key
    assert path.stat().st_mode & 0o077 == 0
    assert tokens.secret_key() == key


def test_secret_file_is_git_ignored():
    from pathlib import Path
    ignore = (Path(__file__).resolve().parents[2] / ".gitignore").read_text().splitlines()
    assert "data/.secret_key" in ignore


# --- passwords, language, demo accounts, e-mail --------------------------------------------
def test_set_password_clears_demo_mark_and_demo_accounts_lists_the_rest(engine):
    assert accounts.demo_accounts(engine) == sorted(PASSWORDS)
    assert accounts.set_password("hub.admin", "correct horse battery", engine)
    assert not accounts.set_password("nobody", "correct horse battery", engine)
    assert "hub.admin" not in accounts.demo_accounts(engine)
    u = user(engine, "hub.admin")
    assert u.password_hash.startswith("$argon2id$") and not u.demo_password


def test_set_language_is_remembered_and_validated(engine):
    accounts.set_language("donor.demo", "mk", engine)
    assert user(engine, "donor.demo").language == "mk"
    accounts.set_language("donor.demo", "xx", engine)
    assert user(engine, "donor.demo").language == "mk"


def test_viewer_for_email_maps_case_insensitively_and_only_when_unambiguous(engine):
    v = viewer_for_email("Mayor.Tuzla@Example.org", engine)
    assert v is not None and v.username == "mayor.tuzla" and v.municipality_code == "BA001"
    assert viewer_for_email("stranger@example.org", engine) is None
    assert viewer_for_email(None, engine) is None
    with Session(engine) as s:
        s.get(User, "donor.demo").email = "mayor.tuzla@example.org"
        s.commit()
    assert viewer_for_email("mayor.tuzla@example.org", engine) is None


# --- python -m hub.users ----------------------------------------------------------------------
def test_users_cli_sets_a_password_from_stdin(engine, monkeypatch, capsys):
    from hub import users
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert users.main(["set-password", "mayor.tuzla"]) == 0
    assert authenticate("mayor.tuzla", "a long enough password", engine) is not None
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert users.main(["set-password", "mayor.tuzla"]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert users.main(["set-password", "ghost"]) == 1
    assert [r.username for r in audit_rows(engine, "password_set")] == ["mayor.tuzla"]


# --- the HTTP side (hub.web), driven through ASGI without a server -------------------------------
def asgi(app, method, path, *, cookies=None, form=None, ws=False, client="127.0.0.1"):
    """One request through an ASGI app; returns (status, headers as list of pairs, body text)."""
    path_only, _, query = path.partition("?")
    body = urlencode(form).encode() if form is not None else b""
    headers = [(b"host", b"testserver")]
    if cookies:
        headers.append((b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()))
    if form is not None:
        headers.append((b"content-type", b"application/x-www-form-urlencoded"))
        headers.append((b"content-length", str(len(body)).encode()))
    scope = {"type": "websocket" if ws else "http", "method": method, "path": path_only,
             "raw_path": path_only.encode(), "query_string": query.encode(), "headers": headers,
             "scheme": "ws" if ws else "http", "server": ("testserver", 80), "client": (client, 5000),
             "root_path": "", "http_version": "1.1", "asgi": {"version": "3.0"}}
    sent, incoming = [], [{"type": "websocket.connect"} if ws else
                          {"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(msg):
        sent.append(msg)

    asyncio.run(app(scope, receive, send))
    if ws:
        return sent[0]["type"], [], ""
    start = next(m for m in sent if m["type"] == "http.response.start")
    text = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body").decode()
    return start["status"], [(k.decode(), v.decode()) for k, v in start["headers"]], text


def set_cookies(headers) -> dict[str, SimpleCookie]:
    jar = {}
    for k, v in headers:
        if k == "set-cookie":
            c = SimpleCookie()
            c.load(v)
            for name, morsel in c.items():
                jar[name] = morsel
    return jar


@pytest.fixture
def web_app(engine):
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route, WebSocketRoute

    from hub.web import SessionGate, signin, signout

    async def page(request):
        return PlainTextResponse("APP CONTENT")

    async def stream(websocket):
        await websocket.accept()
        await websocket.close()

    return Starlette(routes=[
        Route("/signin", signin, methods=["GET", "POST"]), Route("/signout", signout, methods=["GET", "POST"]),
        WebSocketRoute("/_stcore/stream", stream),
        Route("/{path:path}", page),
    ], middleware=[Middleware(SessionGate)])


def signin_form(web_app, lang="en", next_url="/"):
    status, headers, text = asgi(web_app, "GET", "/signin?" + urlencode({"lang": lang, "next": next_url}))
    assert status == 200
    csrf = re.search(r'name="csrf" value="([^"]+)"', text).group(1)
    nonce = set_cookies(headers)["hub_csrf"].value
    return text, csrf, nonce


def test_gate_sends_page_loads_to_signin_and_refuses_the_websocket_and_data(web_app):
    status, headers, _ = asgi(web_app, "GET", "/fund?city=MK001&lang=mk")
    assert status == 303
    loc = urlsplit(dict(headers)["location"])
    assert loc.path == "/signin"
    assert parse_qs(loc.query) == {"next": ["/fund?city=MK001&lang=mk"], "lang": ["mk"]}
    assert asgi(web_app, "GET", "/_stcore/stream", ws=True)[0] == "websocket.close"
    assert asgi(web_app, "GET", "/media/abc.csv")[0] == 403
    assert asgi(web_app, "POST", "/_stcore/upload_file/x/y")[0] == 403
    for open_path in ("/_stcore/health", "/static/js/index.js", "/favicon.png", "/app/static/vendor/leaflet.js"):
        assert asgi(web_app, "GET", open_path)[2] == "APP CONTENT", open_path
    assert asgi(web_app, "GET", "/fund", cookies={"hub_session": "forged.token"})[0] == 303


def test_signin_page_is_translated_escaped_and_warns_about_demo_accounts(web_app):
    text, _, _ = signin_form(web_app, lang="mk", next_url='/city?x="><script>')
    assert 'lang="mk"' in text and "Корисничко име" in text and "Лозинка" in text
    assert "mayor.kumanovo" in text and "демо" in text
    assert "<script>" not in text


def test_web_sign_in_sets_a_safe_cookie_and_keeps_the_link(web_app, engine):
    _, csrf, nonce = signin_form(web_app, next_url="/city?city=MK001&lang=mk")
    status, headers, _ = asgi(web_app, "POST", "/signin", cookies={"hub_csrf": nonce}, form={
        "csrf": csrf, "next": "/city?city=MK001&lang=mk", "lang": "mk",
        "username": "mayor.kumanovo", "password": PASSWORDS["mayor.kumanovo"]})
    assert status == 303 and dict(headers)["location"] == "/city?city=MK001&lang=mk"
    cookie = set_cookies(headers)["hub_session"]
    assert cookie["httponly"] and cookie["samesite"].lower() == "lax" and cookie["path"] == "/"
    assert int(cookie["max-age"]) == int(session_lifetime().total_seconds())
    assert viewer_for_token(cookie.value, engine).username == "mayor.kumanovo"
    assert asgi(web_app, "GET", "/city?city=MK001", cookies={"hub_session": cookie.value})[2] == "APP CONTENT"
    assert asgi(web_app, "GET", "/_stcore/stream", cookies={"hub_session": cookie.value}, ws=True)[0] == "websocket.accept"
    # sign-out (confirmed with the form's token) ends the session on the server too, so the old
    # cookie no longer opens the app
    status, _, text = asgi(web_app, "GET", "/signout?lang=mk", cookies={"hub_session": cookie.value})
    assert status == 200 and "Одјава" in text
    csrf = re.search(r'name="csrf" value="([^"]+)"', text).group(1)
    status, headers, _ = asgi(web_app, "POST", "/signout", cookies={"hub_session": cookie.value},
                              form={"csrf": csrf, "lang": "mk"})
    assert status == 303 and dict(headers)["location"].startswith("/signin?lang=mk")
    assert set_cookies(headers)["hub_session"].value == ""
    assert asgi(web_app, "GET", "/city", cookies={"hub_session": cookie.value})[0] == 303
    assert [r.target for r in audit_rows(engine, "sign_out")] == ["web"]


def test_web_sign_in_needs_the_csrf_token_bound_to_the_browser(web_app, engine):
    _, csrf, nonce = signin_form(web_app)
    creds = {"username": "hub.admin", "password": PASSWORDS["hub.admin"], "next": "/"}
    assert asgi(web_app, "POST", "/signin", form=creds)[0] == 400
    assert asgi(web_app, "POST", "/signin", cookies={"hub_csrf": "other"}, form={**creds, "csrf": csrf})[0] == 400
    assert asgi(web_app, "POST", "/signin", cookies={"hub_csrf": nonce}, form={**creds, "csrf": csrf})[0] == 303
    assert audit_rows(engine, "sign_in_ok", "hub.admin")


def test_web_sign_in_failures_lock_the_account(web_app, engine):
    _, csrf, nonce = signin_form(web_app, lang="sq")
    bad = {"csrf": csrf, "lang": "sq", "next": "/", "username": "mayor.tuzla", "password": "nope"}
    statuses = [asgi(web_app, "POST", "/signin", cookies={"hub_csrf": nonce}, form=bad)[0]
                for _ in range(MAX_FAILED_ATTEMPTS)]
    assert statuses == [401] * (MAX_FAILED_ATTEMPTS - 1) + [429]
    status, _, text = asgi(web_app, "POST", "/signin", cookies={"hub_csrf": nonce},
                           form={**bad, "password": PASSWORDS["mayor.tuzla"]})
    assert status == 429 and "bllokuar" in text
    assert len(audit_rows(engine, "sign_in_failed", "mayor.tuzla")) == MAX_FAILED_ATTEMPTS + 1


@pytest.mark.parametrize("raw, expected", [
    ("/fund?city=MK001&lang=mk", "/fund?city=MK001&lang=mk"), ("/", "/"), (None, "/"),
    ("https://evil.example/", "/"), ("//evil.example/x", "/"), ("/\\evil.example", "/"),
    ("/signin?next=/x", "/"), ("javascript:alert(1)", "/"), ("/x\r\nSet-Cookie: a=b", "/"),
])
def test_next_is_always_a_local_path(raw, expected):
    from hub.web import safe_next
    assert safe_next(raw) == expected
