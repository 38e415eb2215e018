"""Issue 6's matrix: sign in as each role THROUGH THE SIGN-IN FORM (AppTest) and check every page.

Allowed pages render without an exception; forbidden pages are absent from the navigation
and refuse direct access (the page script run on its own, as Streamlit's legacy pages/ mode
would on a fresh server) with the translated notice, audited. Also: lockout, expired
session, sign-out, language memory. Pages that do not exist yet are skipped.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from hub.escape import markdown_text
from hub import access, accounts, i18n, tokens
from hub.access import PAGES, pages_for
from hub.accounts import load_viewer
from hub.db import get_engine
from hub.models import AuditLog, User, utcnow
from tests.app.helpers import APP, ROOT, fresh_caches
from tests.app.shell import as_served  # noqa: F401  (fixture)
from tests.small_db import PASSWORDS

ACCOUNTS = ["hub.admin", "donor.demo", "mayor.kumanovo"]


@pytest.fixture
def shell_db(demo_url, monkeypatch):
    """The demo store (shared: read-only)."""
    monkeypatch.setenv("HUB_SECRET_KEY", "apptest-secret")
    monkeypatch.delenv("HUB_SIGNIN_ROUTE", raising=False)
    url = demo_url
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def small_db(small_url, monkeypatch):
    """Always a private small store (for tests that change accounts)."""
    monkeypatch.setenv("HUB_SECRET_KEY", "apptest-secret")
    monkeypatch.delenv("HUB_SIGNIN_ROUTE", raising=False)
    url = small_url
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def page_file(page: str) -> Path:
    return ROOT / "pages" / f"{page}.py"


def open_app(lang: str | None = None) -> AppTest:
    fresh_caches()
    at = AppTest.from_file(APP, default_timeout=90)
    if lang:
        at.query_params["lang"] = lang
    return at.run()


def submit_sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password)
    next(b for b in at.button if b.proto.form_id == "signin").click()   # the form's submit button
    return at.run()


def sign_in_form(username: str, password: str | None = None, lang: str | None = None) -> AppTest:
    at = open_app(lang)
    assert not at.exception
    return submit_sign_in(at, username, password or PASSWORDS[username])


def registered(at: AppTest) -> set[str]:
    return {Path(str(info["script_path"])).stem for info in at._registered_pages.values()
            if info.get("script_path")}


def is_sign_in_page(at: AppTest) -> bool:
    return any(w.key == "signin_username" for w in at.text_input)


def audit_rows(url: str, action: str, username: str | None = None):
    with Session(get_engine(url)) as s:
        q = select(AuditLog).where(AuditLog.action == action)
        if username:
            q = q.where(AuditLog.username == username)
        return s.exec(q).all()


# --- before sign-in ---------------------------------------------------------------------------
def test_nobody_signed_in_gets_only_the_sign_in_form(shell_db):
    at = open_app()
    assert not at.exception and is_sign_in_page(at)
    assert registered(at) == set()                       # no page file is in the navigation
    assert [w.label for w in at.text_input] == [i18n.t("auth.username"), i18n.t("auth.password")]
    assert at.text_input(key="signin_password").proto.type == at.text_input(key="signin_password").proto.PASSWORD
    for page in PAGES:
        if page_file(page).exists():
            with pytest.raises(ValueError):
                at.switch_page(f"pages/{page}.py")
    assert any(markdown_text("hub.admin") in w.value for w in at.warning)   # demo-accounts warning (ui.md)
    assert any("GeoNames" in c.value and "Natural Earth" in c.value for c in at.sidebar.caption)


def test_a_page_run_without_app_sends_nobody_back_to_the_sign_in(shell_db):
    script = ("import streamlit as st\nimport ui\nviewer = ui.require_viewer('fund')\n"
              "st.write('FUND CONTENT')\n")
    at = AppTest.from_string(script, default_timeout=30).run()
    assert "FUND CONTENT" not in [m.value for m in at.markdown]


# --- the role matrix ---------------------------------------------------------------------------
@pytest.mark.parametrize("username", ACCOUNTS)
def test_role_matrix_through_the_sign_in_form(username, shell_db):
    at = sign_in_form(username)
    assert not at.exception, at.exception
    assert not is_sign_in_page(at)
    viewer = load_viewer(username)
    allowed = set(pages_for(viewer))
    existing = {p for p in PAGES if page_file(p).exists()}
    assert registered(at) == allowed & existing
    assert audit_rows(shell_db, "sign_in_ok", username)
    refusal = i18n.t("common.not_available", viewer.language)

    # Forbidden pages first, while the registry is the one app.py's st.navigation built.
    for page in sorted(existing - allowed):
        with pytest.raises(ValueError):                    # not in this role's navigation
            at.switch_page(f"pages/{page}.py")
        direct = AppTest.from_file(str(page_file(page)), default_timeout=60)
        direct.session_state["auth_user"] = username
        direct.run()
        assert refusal in [w.value for w in direct.warning], f"{username} not refused on {page}"
        targets = [r.target for r in audit_rows(shell_db, "refused", username)]
        assert f"page:{page}" in targets

    notice = i18n.t("common.demo_notice", viewer.language)
    for page in sorted(existing & allowed):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, f"{username} on {page}: {at.exception}"
        assert refusal not in [w.value for w in at.warning], f"{username} refused on own page {page}"
        assert [i.value for i in at.info].count(notice) == 1, f"demo notice not shown once on {page}"


@pytest.mark.parametrize("page", [p for p in PAGES if p not in access.PAGES_BY_ROLE["mayor"]])
def test_the_guard_refuses_a_mayor_on_every_page_not_theirs(page, shell_db):
    """Whether or not the page file exists yet: the guard every page starts with refuses it."""
    script = (f"import streamlit as st\nimport ui\nviewer = ui.require_viewer({page!r})\n"
              "st.write('SECRET CONTENT')\n")
    at = AppTest.from_string(script, default_timeout=30)
    at.session_state["auth_user"] = "mayor.kumanovo"
    at.run()
    assert [w.value for w in at.warning] == [i18n.t("common.not_available", load_viewer("mayor.kumanovo").language)]
    assert "SECRET CONTENT" not in [m.value for m in at.markdown]
    assert f"page:{page}" in [r.target for r in audit_rows(shell_db, "refused", "mayor.kumanovo")]


def test_refuse_helper_for_out_of_scope_values_is_audited(shell_db):
    script = ("import ui\nviewer = ui.require_viewer('city')\n"
              "ui.session.refuse(viewer, 'city:XX999', detail='?city= edited')\n")
    at = AppTest.from_string(script, default_timeout=30)
    at.session_state["auth_user"] = "mayor.kumanovo"
    at.query_params["lang"] = "mk"
    at.run()
    assert [w.value for w in at.warning] == [i18n.t("common.not_available", "mk")]
    rows = audit_rows(shell_db, "refused", "mayor.kumanovo")
    assert [r.detail for r in rows if r.target == "city:XX999"] == ["?city= edited"]


# --- failures, lockout, expiry, sign-out ---------------------------------------------------------
def test_wrong_password_then_lockout_through_the_form(small_db):
    at = open_app(lang="bcms")
    for _ in range(accounts.MAX_FAILED_ATTEMPTS - 1):
        submit_sign_in(at, "mayor.tuzla", "wrong password")
        assert [e.value for e in at.error] == [i18n.t("auth.invalid", "bcms")]
    submit_sign_in(at, "mayor.tuzla", "wrong password")
    locked = i18n.t("auth.locked", "bcms", minutes=15)
    assert [e.value for e in at.error] == [locked]
    submit_sign_in(at, "mayor.tuzla", PASSWORDS["mayor.tuzla"])     # right password, still locked
    assert [e.value for e in at.error] == [locked] and is_sign_in_page(at)
    assert "auth_user" not in at.session_state
    assert len(audit_rows(small_db, "sign_in_failed", "mayor.tuzla")) == accounts.MAX_FAILED_ATTEMPTS + 1


def test_an_expired_session_token_signs_the_viewer_out(small_db, as_served):
    at = sign_in_form("donor.demo")
    assert not is_sign_in_page(at)
    with Session(get_engine(small_db)) as s:
        pw = s.get(User, "donor.demo").password_hash
    at.session_state["auth_token"] = tokens.issue_session_token(
        "donor.demo", password_hash=pw, now=utcnow() - tokens.session_lifetime() - timedelta(minutes=1))
    at.run()
    assert not at.exception and is_sign_in_page(at)
    assert registered(at) == set()


def test_sign_out_returns_to_the_form_and_ends_the_token(small_db, as_served):
    at = sign_in_form("hub.admin")
    token = at.session_state["auth_token"]
    assert tokens.viewer_for_token(token) is not None
    next(b for b in at.sidebar.button if b.key == "sign_out").click()
    at.run()
    assert is_sign_in_page(at) and registered(at) == set()
    assert tokens.viewer_for_token(token) is None
    assert [r.target for r in audit_rows(small_db, "sign_out", "hub.admin")] == ["app"]


# --- language ---------------------------------------------------------------------------------
def test_language_choice_goes_to_the_url_and_the_user_row(small_db, as_served):
    at = sign_in_form("mayor.kumanovo")
    assert at.query_params["lang"] == ["en"] or at.query_params["lang"] == "en"
    at.sidebar.selectbox(key="lang_select").select("mk").run()
    assert not at.exception
    lang = at.query_params["lang"]
    assert (lang[0] if isinstance(lang, list) else lang) == "mk"
    assert load_viewer("mayor.kumanovo").language == "mk"
    assert at.sidebar.selectbox(key="lang_select").label == i18n.t("common.language", "mk")
    # next sign-in (a new session) opens in the remembered language
    again = sign_in_form("mayor.kumanovo")
    assert again.sidebar.selectbox(key="lang_select").value == "mk"


def test_sign_in_form_speaks_the_language_of_the_link(shell_db):
    for lang in i18n.LANGUAGES:
        at = open_app(lang)
        assert [t.value for t in at.title] == [i18n.t("auth.title", lang)]
        assert [w.label for w in at.text_input] == [i18n.t("auth.username", lang), i18n.t("auth.password", lang)]
