"""Who is looking: the viewer, what each role may open, and the rules the query layer applies.

Users, password hashing (argon2id), sign-in with lockout (``sign_in``/``authenticate``),
signed session tokens with an expiry (``issue_session_token``, ``viewer_for_token``; the
secret is ``HUB_SECRET_KEY`` or the git-ignored ``data/.secret_key``), sign-out, the
OIDC e-mail mapping (``viewer_for_email``) and the audit log live here too; the query
layer imports only ``Viewer`` and the scope helpers. The HTTP routes are in ``hub.web``.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

# Page ids, in menu order. Each page script guards itself with ``ui.require_viewer(page_id)``.
PAGES = ("overview", "needs", "city", "youth", "fund", "helpdesk", "events", "methodology", "data")
PAGES += ("practices",)   # stream know (issue 16): practices and partners

PAGES_BY_ROLE: dict[str, tuple[str, ...]] = {
    "hub": PAGES,
    "donor": ("overview", "fund", "youth", "events", "methodology"),
    "mayor": ("city", "methodology"),
}
PAGES_BY_ROLE["donor"] += ("practices",)   # stream know (issue 16): public entries only
PAGES_BY_ROLE["mayor"] += ("practices",)

# Donors see sensitive indicators only as economy aggregates over at least this many cities.
MIN_GROUP_SIZE = 3


@dataclass(frozen=True)
class Viewer:
    username: str
    role: str                      # hub | donor | mayor
    municipality_code: str | None = None
    language: str = "en"
    display_name: str = ""
    donors: tuple[str, ...] = ()   # a donor account's donor(s) (hub.donors.parse_group); a tuple keeps it hashable

    @property
    def is_hub(self) -> bool:
        return self.role == "hub"

    @property
    def is_donor(self) -> bool:
        return self.role == "donor"

    @property
    def is_mayor(self) -> bool:
        return self.role == "mayor"

    def may_open(self, page: str) -> bool:
        return page in PAGES_BY_ROLE.get(self.role, ())

    def may_see_city(self, code: str | None) -> bool:
        """Whether this viewer may see one named city's scores and records."""
        if self.role == "hub":
            return True
        if self.role == "mayor":
            return code is not None and code == self.municipality_code
        return False  # donors: city-level fund data only, via the fund queries

    @property
    def sees_sensitive_city_values(self) -> bool:
        return self.role == "hub" or self.role == "mayor"


def viewer_of(user) -> Viewer:
    """The viewer for a ``hub.models.User`` row."""
    from hub.donors import parse_group
    return Viewer(user.username, user.role, user.municipality_code, user.language or "en", user.display_name,
                  parse_group(getattr(user, "donor", None)) if user.role == "donor" else ())


def pages_for(viewer: Viewer | None) -> tuple[str, ...]:
    return PAGES_BY_ROLE.get(viewer.role, ()) if viewer else ()


# --- the store side -----------------------------------------------------------
def load_viewer(username: str, engine=None) -> Viewer | None:
    """The viewer for a user row, or None when the user does not exist."""
    from hub.db import get_engine
    from hub.models import User
    from sqlmodel import Session

    with Session(engine or get_engine()) as s:
        u = s.get(User, username)
        if u is None:
            return None
        return viewer_of(u)


def audit(username: str | None, action: str, target: str | None = None, detail: str | None = None,
          engine=None, conn=None) -> None:
    """Append one line to the audit log (sign-ins, refusals, downloads, loads); inside the
    caller's transaction when ``conn`` is given (a load's line commits with its rows)."""
    from hub.db import get_engine
    from hub.models import AuditLog, utcnow
    from sqlmodel import Session

    if conn is not None:
        conn.execute(AuditLog.__table__.insert().values(at=utcnow(), username=username, action=action,
                                                       target=target, detail=detail))
        return
    with Session(engine or get_engine()) as s:
        s.add(AuditLog(username=username, action=action, target=target, detail=detail))
        s.commit()


# --- passwords (argon2id through argon2-cffi) ----------------------------------
def hash_password(password: str) -> str:
    from argon2 import PasswordHasher
    return PasswordHasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError
    if not password_hash:
        return False
    try:
        return PasswordHasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# --- sign-in: throttled per client address, per user name and per device, in the store -------
# Failures are counted in the store (table sign_in_throttle), so every app process agrees:
# - per client address: ADDRESS_MAX_FAILURES in THROTTLE_WINDOW pause that address (any name);
# - per user name (known or not, so answers never tell which names exist): MAX_FAILED_ATTEMPTS
#   pause sign-in with that name for LOCKOUT, but only from browsers it has not signed in from:
#   a browser that has (its signed device cookie names the user) still gets in with the right
#   password, so an anonymous sender cannot lock a user out of their own browser;
# - per trusted device: MAX_FAILED_ATTEMPTS failures and it is no longer trusted for LOCKOUT.
# Every attempt costs one argon2 verification, whatever the answer.
MAX_FAILED_ATTEMPTS = 5                       # failures for one name (or device) before it pauses
LOCKOUT = timedelta(minutes=15)               # how long a paused name, device or address waits
ADDRESS_MAX_FAILURES = 20                     # failures from one client address before it pauses
THROTTLE_WINDOW = timedelta(minutes=15)       # failures older than this are forgotten
THROTTLE_KEEP = timedelta(days=1)             # rows untouched this long are purged
NAME_MAX = 150                                # longer names are cut (keys, audit)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash of a random password: unknown usernames cost the same verification time."""
    return hash_password(secrets.token_hex(16))


@dataclass(frozen=True)
class SignInResult:
    """What a sign-in attempt came to: ``ok``; ``invalid`` (unknown user or wrong password);
    ``locked`` (this name is paused for untrusted browsers); ``throttled`` (this client
    address is paused). ``locked_until`` says until when for the last two."""
    outcome: str
    viewer: Viewer | None = None
    locked_until: datetime | None = None


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)   # naive UTC, like hub.models.utcnow


def wait_minutes(until: datetime | None, now: datetime | None = None) -> int:
    """Whole minutes (at least one) until ``until``, for the messages."""
    import math
    if until is None:
        return int(LOCKOUT.total_seconds() // 60)
    return max(1, math.ceil((until - (now or _now())).total_seconds() / 60))


def address_key(address: str | None) -> str | None:
    """The throttle key of a client address: IPv4 as is, IPv6 by its /64 (one site's block)."""
    import ipaddress
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return f"addr:{address.strip()[:NAME_MAX]}"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return f"addr:{ip.ipv4_mapped}"
        return f"addr:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"addr:{ip}"


def user_key(username: str) -> str:
    return f"user:{username.strip()[:NAME_MAX].casefold()}"


def device_key(device_id: str) -> str:
    return f"device:{device_id[:64]}"


def _blocked_until(s, key: str | None, now: datetime) -> datetime | None:
    from hub.models import SignInThrottle
    if key is None:
        return None
    row = s.get(SignInThrottle, key)
    return row.blocked_until if row is not None and row.blocked_until and row.blocked_until > now else None


def _count_failure(engine, key: str, limit: int, now: datetime) -> datetime | None:
    """Count one failure under ``key`` atomically (several processes may count at once);
    returns ``blocked_until`` when this failure reached ``limit``."""
    from hub.models import SignInThrottle
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError
    from sqlmodel import Session

    t = SignInThrottle
    with Session(engine) as s:
        fresh = s.exec(update(t).where(t.key == key, t.window_start < now - THROTTLE_WINDOW)
                       .values(failures=1, window_start=now, blocked_until=None)).rowcount
        if not fresh and not s.exec(update(t).where(t.key == key).values(failures=t.failures + 1)).rowcount:
            s.add(SignInThrottle(key=key, failures=1, window_start=now))
            try:
                s.commit()
            except IntegrityError:                      # another process inserted it first
                s.rollback()
                s.exec(update(t).where(t.key == key).values(failures=t.failures + 1))
        s.commit()
        blocked = s.exec(update(t).where(t.key == key, t.failures >= limit)
                         .values(failures=0, window_start=now, blocked_until=now + LOCKOUT)).rowcount
        s.commit()
    return now + LOCKOUT if blocked else None


def clear_throttle(key: str, engine=None) -> None:
    from hub.db import get_engine
    from hub.models import SignInThrottle
    from sqlalchemy import delete
    from sqlmodel import Session

    with Session(engine or get_engine()) as s:
        s.exec(delete(SignInThrottle).where(SignInThrottle.key == key))
        s.commit()


def _purge_throttle(engine, now: datetime) -> None:
    from hub.models import SignInThrottle as t
    from sqlalchemy import delete, or_
    from sqlmodel import Session

    with Session(engine) as s:
        s.exec(delete(t).where(t.window_start < now - THROTTLE_KEEP,
                               or_(t.blocked_until.is_(None), t.blocked_until < now)))
        s.commit()


def sign_in(username: str, password: str, engine=None, *, via: str = "form",
            now: datetime | None = None, address: str | None = None,
            trusted_device: str | None = None) -> SignInResult:
    """Check a username and password with the throttling described above; every attempt is
    audited. ``address`` is the client's address (None when unknown); ``trusted_device`` the
    id of a device that has signed in as this user before (``hub.web`` reads it from a signed
    cookie). Unknown and known names get the same answers, in the same time."""
    from hub.db import get_engine
    from hub.models import User
    from sqlmodel import Session

    engine = engine or get_engine()
    now = now or _now()
    username = (username or "").strip()[:NAME_MAX]
    password = password or ""
    akey, ukey = address_key(address), user_key(username)
    dkey = device_key(trusted_device) if trusted_device else None
    where = f"via={via}" + (f"; from {address}" if address else "")
    with Session(engine) as s:
        addr_block = _blocked_until(s, akey, now)
        trusted = dkey is not None and _blocked_until(s, dkey, now) is None
        name_block = None if trusted else _blocked_until(s, ukey, now)
        u = s.get(User, username) if username and not (addr_block or name_block) else None
        ok = verify_password(u.password_hash if u is not None else _dummy_hash(), password) and u is not None
        if ok:
            viewer = viewer_of(u)
    if addr_block:
        result, detail = SignInResult("throttled", locked_until=addr_block), f"{where}; address paused"
    elif name_block:
        result, detail = SignInResult("locked", locked_until=name_block), f"{where}; name paused"
    elif ok:
        for key in (ukey, dkey):
            if key:
                clear_throttle(key, engine)
        audit(viewer.username, "sign_in_ok", target=via, detail=where, engine=engine)
        return SignInResult("ok", viewer)
    else:
        detail = f"{where}; " + ("wrong password" if u is not None else "unknown user")
        addr_now = _count_failure(engine, akey, ADDRESS_MAX_FAILURES, now) if akey else None
        name_now = (_count_failure(engine, dkey, MAX_FAILED_ATTEMPTS, now) if trusted
                    else _count_failure(engine, ukey, MAX_FAILED_ATTEMPTS, now))
        if addr_now:
            result = SignInResult("throttled", locked_until=addr_now)
            detail += f"; address paused until {addr_now:%Y-%m-%d %H:%M} UTC"
        elif name_now and not trusted:
            result = SignInResult("locked", locked_until=name_now)
            detail += f"; name paused until {name_now:%Y-%m-%d %H:%M} UTC"
        else:
            result = SignInResult("invalid")
            if name_now:
                detail += "; device no longer trusted"
        _purge_throttle(engine, now)
    audit(username or None, "sign_in_failed", target=via, detail=detail, engine=engine)
    return result


def authenticate(username: str, password: str, engine=None) -> Viewer | None:
    """The viewer for a correct username and password; None otherwise (lockout and audit included)."""
    return sign_in(username, password, engine).viewer


def set_password(username: str, password: str, engine=None, *, demo: bool = False) -> bool:
    """Store a new argon2 hash, unlock the account; ``demo`` marks a published demo password.
    Returns False when the user does not exist. Changing the password ends existing sessions."""
    from hub.db import get_engine
    from hub.models import User
    from sqlmodel import Session

    engine = engine or get_engine()
    with Session(engine) as s:
        u = s.get(User, username)
        if u is None:
            return False
        u.password_hash = hash_password(password)
        u.demo_password, u.failed_attempts, u.locked_until = demo, 0, None
        s.add(u)
        s.commit()
    clear_throttle(user_key(username), engine)
    audit(username, "password_set", detail="demo" if demo else None, engine=engine)
    return True


def set_language(username: str, lang: str, engine=None) -> None:
    """Remember a user's UI language (the ``language`` column)."""
    from hub.db import get_engine
    from hub.i18n import LANGUAGES
    from hub.models import User
    from sqlmodel import Session

    if lang not in LANGUAGES:
        return
    with Session(engine or get_engine()) as s:
        u = s.get(User, username)
        if u is not None and u.language != lang:
            u.language = lang
            s.add(u)
            s.commit()


def demo_accounts(engine=None) -> list[str]:
    """Usernames that still carry a published demo password (the sign-in page warns about them)."""
    from hub.db import get_engine
    from hub.models import User
    from sqlmodel import Session, select

    with Session(engine or get_engine()) as s:
        return sorted(s.exec(select(User.username).where(User.demo_password == True)).all())  # noqa: E712


# --- sessions: signed tokens with an expiry ---------------------------------------
SESSION_COOKIE = "hub_session"
SESSION_LIFETIME = timedelta(hours=float(os.environ.get("HUB_SESSION_HOURS", "8")))
_SECRET_FILE = Path(__file__).resolve().parent.parent / "data" / ".secret_key"


def secret_key() -> str:
    """The signing secret: ``HUB_SECRET_KEY``, else a random key generated once into the
    git-ignored ``data/.secret_key`` (readable by its owner only)."""
    env = os.environ.get("HUB_SECRET_KEY")
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
    import hmac
    return hmac.new(key.encode(), b"hub-secret-fingerprint", hashlib.sha256).hexdigest()[:16]


def check_secret_for_store(engine=None) -> str | None:
    """Called when the web server starts. Every app process that shares a store must sign
    sessions, CSRF tokens and device cookies with one key, or browsers are asked to sign in
    again whenever a request reaches another process.

    - A store other than SQLite is a shared store: without ``HUB_SECRET_KEY`` this refuses to
      start (SystemExit with the reason). SQLite (one machine) may use ``data/.secret_key``.
    - The key's fingerprint is kept in the store (``settings``); a process whose key differs
      from the last one recorded prints a warning (and records its own). Returns the warning."""
    import sys

    from hub.db import get_engine
    from hub.models import Setting
    from sqlmodel import Session

    engine = engine or get_engine()
    if not os.environ.get("HUB_SECRET_KEY") and not engine.url.drivername.startswith("sqlite"):
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


def _serializer(salt: str):
    from itsdangerous import URLSafeSerializer
    return URLSafeSerializer(secret_key(), salt=salt)


def _fingerprint(password_hash: str | None) -> str:
    """A short digest of the stored hash: a new password makes old tokens invalid."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


def issue_session_token(username: str, *, password_hash: str | None = None,
                        lifetime: timedelta | None = None, now: datetime | None = None) -> str:
    """A signed token naming the user, valid for ``lifetime`` (default ``SESSION_LIFETIME``)."""
    now = now or _now()
    iat = now.replace(tzinfo=timezone.utc).timestamp()
    exp = (now + (lifetime or SESSION_LIFETIME)).replace(tzinfo=timezone.utc).timestamp()
    return _serializer("hub-session").dumps(
        {"u": username, "iat": iat, "exp": int(exp), "f": _fingerprint(password_hash)})


def read_session_token(token: str | None, *, now: datetime | None = None) -> dict | None:
    """The token's payload if the signature is good and it has not expired; None otherwise."""
    from itsdangerous import BadData
    if not token:
        return None
    try:
        data = _serializer("hub-session").loads(token)
    except BadData:
        return None
    now_ts = (now or _now()).replace(tzinfo=timezone.utc).timestamp()
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
    from hub.db import get_engine
    from hub.models import AuditLog, User
    from sqlmodel import Session, select

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
    from hub.db import get_engine
    from hub.models import User
    from sqlmodel import Session

    with Session(engine or get_engine()) as s:
        u = s.get(User, viewer.username)
        return issue_session_token(viewer.username, password_hash=u.password_hash if u else None)


# --- trusted devices: a browser that has signed in as a user before ----------------------
DEVICE_COOKIE = "hub_device"
DEVICE_LIFETIME = timedelta(days=180)
DEVICE_USERS_MAX = 5                          # names one browser is trusted for (a shared office PC)


def issue_device_token(device_id: str, usernames: list[str]) -> str:
    """A signed token saying that this browser (``device_id``) has signed in as these users."""
    from itsdangerous import URLSafeTimedSerializer
    return URLSafeTimedSerializer(secret_key(), salt="hub-device").dumps(
        {"d": device_id, "u": list(dict.fromkeys(usernames))[-DEVICE_USERS_MAX:]})


def read_device_token(token: str | None) -> tuple[str, list[str]] | None:
    """``(device_id, usernames)`` from a valid, unexpired device token; None otherwise."""
    from itsdangerous import BadData, URLSafeTimedSerializer
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


# --- optional OIDC (st.login) ---------------------------------------------------------
def viewer_for_email(email: str | None, engine=None) -> Viewer | None:
    """Map an identity provider's e-mail (``st.user.email``) to a user row.

    Used when ``.streamlit/secrets.toml`` has an ``[auth]`` section and people sign in with
    ``st.login``. The match is case-insensitive on ``users.email``; no row, or more than one
    row with that e-mail, means no viewer (accounts are created by ``python -m loaders users``,
    never by signing in). Role and city always come from the row.
    """
    from hub.db import get_engine
    from hub.models import User
    from sqlalchemy import func
    from sqlmodel import Session, select

    email = (email or "").strip().lower()
    if not email:
        return None
    with Session(engine or get_engine()) as s:
        rows = s.exec(select(User).where(func.lower(User.email) == email)).all()
        if len(rows) != 1:
            return None
        u = rows[0]
        return viewer_of(u)


def sign_out(username: str | None, via: str = "app", engine=None) -> None:
    """Record a sign-out; every session token of that user issued before now stops working."""
    if username:
        audit(username, "sign_out", target=via, engine=engine)


def unlock(username: str, engine=None) -> bool:
    """Clear a lockout and the failure count; False when the user does not exist."""
    from hub.db import get_engine
    from hub.models import User
    from sqlmodel import Session

    with Session(engine or get_engine()) as s:
        u = s.get(User, username)
        if u is None:
            return False
        u.failed_attempts, u.locked_until = 0, None
        s.add(u)
        s.commit()
    clear_throttle(user_key(username), engine)
    return True
