"""Accounts: user rows, passwords (argon2id), sign-in with throttling and lockout, and the
account settings a user or an operator changes (password, language, unlock).

``sign_in`` checks a name and password, counting failures in the store (table
``sign_in_throttle``) so every app process agrees; every attempt is audited (``hub.audit``).
``load_viewer`` and ``viewer_for_email`` (single sign-on) read a user row into a
``hub.access.Viewer``. Session and device tokens are in ``hub.tokens``.
"""
from __future__ import annotations

import ipaddress
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from hub.access import Viewer, viewer_of
from hub.audit import audit
from hub.db import get_engine
from hub.i18n import LANGUAGES
from hub.models import SignInThrottle, User, utcnow


# --- user rows -----------------------------------------------------------------------------
def load_viewer(username: str, engine=None) -> Viewer | None:
    """The viewer for a user row, or None when the user does not exist."""
    with Session(engine or get_engine()) as s:
        u = s.get(User, username)
        if u is None:
            return None
        return viewer_of(u)


def viewer_for_email(email: str | None, engine=None) -> Viewer | None:
    """Map an identity provider's e-mail (``st.user.email``) to a user row.

    Used when ``.streamlit/secrets.toml`` has an ``[auth]`` section and people sign in with
    ``st.login``. The match is case-insensitive on ``users.email``; no row, or more than one
    row with that e-mail, means no viewer (accounts are created by ``python -m loaders users``,
    never by signing in). Role and city always come from the row.
    """
    email = (email or "").strip().lower()
    if not email:
        return None
    with Session(engine or get_engine()) as s:
        rows = s.exec(select(User).where(func.lower(User.email) == email)).all()
        if len(rows) != 1:
            return None
        u = rows[0]
        return viewer_of(u)


# --- passwords (argon2id through argon2-cffi) ----------------------------------
def hash_password(password: str) -> str:
    return PasswordHasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
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


def wait_minutes(until: datetime | None, now: datetime | None = None) -> int:
    """Whole minutes (at least one) until ``until``, for the messages."""
    if until is None:
        return int(LOCKOUT.total_seconds() // 60)
    return max(1, math.ceil((until - (now or utcnow())).total_seconds() / 60))


def address_key(address: str | None) -> str | None:
    """The throttle key of a client address: IPv4 as is, IPv6 by its /64 (one site's block)."""
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
    if key is None:
        return None
    row = s.get(SignInThrottle, key)
    return row.blocked_until if row is not None and row.blocked_until and row.blocked_until > now else None


def _count_failure(engine, key: str, limit: int, now: datetime) -> datetime | None:
    """Count one failure under ``key`` atomically (several processes may count at once);
    returns ``blocked_until`` when this failure reached ``limit``."""
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

    with Session(engine or get_engine()) as s:
        s.exec(delete(SignInThrottle).where(SignInThrottle.key == key))
        s.commit()


def _purge_throttle(engine, now: datetime) -> None:
    t = SignInThrottle

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
    engine = engine or get_engine()
    now = now or utcnow()
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


# --- changes to an account: password, language, lockout ------------------------------------
def set_password(username: str, password: str, engine=None, *, demo: bool = False) -> bool:
    """Store a new argon2 hash, unlock the account; ``demo`` marks a published demo password.
    Returns False when the user does not exist. Changing the password ends existing sessions."""
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
    with Session(engine or get_engine()) as s:
        return sorted(s.exec(select(User.username).where(User.demo_password == True)).all())  # noqa: E712


def unlock(username: str, engine=None) -> bool:
    """Clear a lockout and the failure count; False when the user does not exist."""
    with Session(engine or get_engine()) as s:
        u = s.get(User, username)
        if u is None:
            return False
        u.failed_attempts, u.locked_until = 0, None
        s.add(u)
        s.commit()
    clear_throttle(user_key(username), engine)
    return True
