"""Session and device tokens, signed with the one key every app process shares.

- The key: ``HUB_SECRET_KEY``, else (SQLite only) a random key generated once into the
  git-ignored ``data/.secret_key``; ``check_secret_for_store`` runs when the web server starts.
- Sessions: a signed token naming the user, with an expiry, bound to the user's current
  password; ``sign_out`` (an audit row) ends every session of that user issued before it.
- Trusted devices: a signed cookie listing the users a browser has signed in as
  (``hub.accounts.sign_in`` lets those past a name's lockout).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from itsdangerous import BadData, URLSafeSerializer, URLSafeTimedSerializer
from sqlmodel import Session, select

from hub.access import Viewer, viewer_of
from hub.audit import audit
from hub.db import get_engine
from hub.models import AuditLog, Setting, User, utcnow
from hub.settings import settings


# --- the signing key ------------------------------------------------------------------------
_SECRET_FILE = Path(__file__).resolve().parent.parent / "data" / ".secret_key"


def secret_key() -> str:
    """The signing secret: ``HUB_SECRET_KEY``, else a random key generated once into the
    git-ignored ``data/.secret_key`` (readable by its owner only)."""
    env = settings().secret_key
    if env:
        return env
    if not _SECRET_FILE.exists():
        _SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(_SECRET_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass                                    # another process made it first
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
    return _SECRET_FILE.read_text().strip()


SECRET_SETTING = "secret_fingerprint"       # settings row: which key the app processes sign with


def secret_fingerprint(key: str) -> str:
    """A digest that tells keys apart without revealing them."""
    return hmac.new(key.encode(), b"hub-secret-fingerprint", hashlib.sha256).hexdigest()[:16]


def check_secret_for_store(engine=None) -> str | None:
    """Called when the web server starts. Every app process that shares a store must sign
    sessions, CSRF tokens and device cookies with one key, or browsers are asked to sign in
    again whenever a request reaches another process.

    - A store other than SQLite is a shared store: without ``HUB_SECRET_KEY`` this refuses to
      start (SystemExit with the reason). SQLite (one machine) may use ``data/.secret_key``.
    - The key's fingerprint is kept in the store (``settings``); a process whose key differs
      from the last one recorded prints a warning (and records its own). Returns the warning."""
    engine = engine or get_engine()
    if not settings().secret_key and not engine.url.drivername.startswith("sqlite"):
        raise SystemExit(
            "HUB_SECRET_KEY is not set, and the store is shared "
            f"({engine.url.drivername}). Every app process on this store must sign sessions with "
            "the same key: set HUB_SECRET_KEY (e.g. `python -c \"import secrets; "
            "print(secrets.token_urlsafe(48))\"`) to the same value for all of them.")
    mine = secret_fingerprint(secret_key())
    with Session(engine) as s:
        row = s.get(Setting, SECRET_SETTING)
        warning = None
        if row is not None and row.value != mine:
            warning = ("WARNING: this process signs sessions with a different key than the app "
                       "process that last started on this store. Browsers will have to sign in again "
                       "when their requests reach a process with the other key: give every app process "
                       "the same HUB_SECRET_KEY.")
            print(warning, file=sys.stderr)
        if row is None or row.value != mine:
            s.merge(Setting(key=SECRET_SETTING, value=mine))
            s.commit()
    return warning


# --- sessions: signed tokens with an expiry ---------------------------------------
SESSION_COOKIE = "hub_session"


def session_lifetime() -> timedelta:
    """How long a session lasts (``HUB_SESSION_HOURS``, default 8)."""
    return timedelta(hours=settings().session_hours)


def _serializer(salt: str):
    return URLSafeSerializer(secret_key(), salt=salt)


def _fingerprint(password_hash: str | None) -> str:
    """A short digest of the stored hash: a new password makes old tokens invalid."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


def issue_session_token(username: str, *, password_hash: str | None = None,
                        lifetime: timedelta | None = None, now: datetime | None = None) -> str:
    """A signed token naming the user, valid for ``lifetime`` (default ``session_lifetime()``)."""
    now = now or utcnow()
    iat = now.replace(tzinfo=timezone.utc).timestamp()
    exp = (now + (lifetime or session_lifetime())).replace(tzinfo=timezone.utc).timestamp()
    return _serializer("hub-session").dumps(
        {"u": username, "iat": iat, "exp": int(exp), "f": _fingerprint(password_hash)})


def read_session_token(token: str | None, *, now: datetime | None = None) -> dict | None:
    """The token's payload if the signature is good and it has not expired; None otherwise."""
    if not token:
        return None
    try:
        data = _serializer("hub-session").loads(token)
    except BadData:
        return None
    now_ts = (now or utcnow()).replace(tzinfo=timezone.utc).timestamp()
    if not isinstance(data, dict) or not isinstance(data.get("u"), str) or data.get("exp", 0) <= now_ts:
        return None
    return data


def verify_session_token(token: str | None, *, now: datetime | None = None) -> str | None:
    """The username in a valid, unexpired token; None otherwise (no store access)."""
    data = read_session_token(token, now=now)
    return data["u"] if data else None


def viewer_for_token(token: str | None, engine=None, *, now: datetime | None = None) -> Viewer | None:
    """The viewer a session token names, read from the store: None when the token is invalid or
    expired, the user is gone, the password changed since the token was issued, or the user
    signed out after it was issued (sign-out ends every session of that user)."""
    data = read_session_token(token, now=now)
    if data is None:
        return None
    issued = datetime.fromtimestamp(data.get("iat", 0), timezone.utc).replace(tzinfo=None)
    with Session(engine or get_engine()) as s:
        u = s.get(User, data["u"])
        if u is None or data.get("f") != _fingerprint(u.password_hash):
            return None
        signed_out = s.exec(select(AuditLog.id).where(
            AuditLog.username == u.username, AuditLog.action == "sign_out",
            AuditLog.at > issued).limit(1)).first()
        if signed_out is not None:
            return None
        return viewer_of(u)


def issue_token_for(viewer: Viewer, engine=None) -> str:
    """A session token for a signed-in viewer (bound to the user's current password)."""
    with Session(engine or get_engine()) as s:
        u = s.get(User, viewer.username)
        return issue_session_token(viewer.username, password_hash=u.password_hash if u else None)


def sign_out(username: str | None, via: str = "app", engine=None) -> None:
    """Record a sign-out; every session token of that user issued before now stops working."""
    if username:
        audit(username, "sign_out", target=via, engine=engine)


# --- trusted devices: a browser that has signed in as a user before ----------------------
DEVICE_COOKIE = "hub_device"
DEVICE_LIFETIME = timedelta(days=180)
DEVICE_USERS_MAX = 5                          # names one browser is trusted for (a shared office PC)


def issue_device_token(device_id: str, usernames: list[str]) -> str:
    """A signed token saying that this browser (``device_id``) has signed in as these users."""
    return URLSafeTimedSerializer(secret_key(), salt="hub-device").dumps(
        {"d": device_id, "u": list(dict.fromkeys(usernames))[-DEVICE_USERS_MAX:]})


def read_device_token(token: str | None) -> tuple[str, list[str]] | None:
    """``(device_id, usernames)`` from a valid, unexpired device token; None otherwise."""
    if not token:
        return None
    try:
        data = URLSafeTimedSerializer(secret_key(), salt="hub-device").loads(
            token, max_age=int(DEVICE_LIFETIME.total_seconds()))
    except BadData:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), str) or not isinstance(data.get("u"), list):
        return None
    return data["d"], [u for u in data["u"] if isinstance(u, str)]

