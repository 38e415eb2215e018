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
        return Viewer(u.username, u.role, u.municipality_code, u.language or "en", u.display_name)


def audit(username: str | None, action: str, target: str | None = None, detail: str | None = None,
          engine=None) -> None:
    """Append one line to the audit log (sign-ins, refusals, downloads, loads)."""
    from hub.db import get_engine
    from hub.models import AuditLog
    from sqlmodel import Session

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


# --- sign-in: authenticate with lockout ------------------------------------------
MAX_FAILED_ATTEMPTS = 5                       # failures in a row before the account locks
LOCKOUT = timedelta(minutes=15)               # how long a locked account stays locked


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash of a random password: unknown usernames cost the same verification time."""
    return hash_password(secrets.token_hex(16))


@dataclass(frozen=True)
class SignInResult:
    """What a sign-in attempt came to: ``ok``, ``invalid`` (unknown user or wrong password) or ``locked``."""
    outcome: str
    viewer: Viewer | None = None
    locked_until: datetime | None = None


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)   # naive UTC, like hub.models.utcnow


def sign_in(username: str, password: str, engine=None, *, via: str = "form",
            now: datetime | None = None) -> SignInResult:
    """Check a username and password, counting failures and locking the account after
    ``MAX_FAILED_ATTEMPTS`` in a row for ``LOCKOUT``. Every attempt is audited."""
    from hub.db import get_engine
    from hub.models import User
    from sqlmodel import Session

    engine = engine or get_engine()
    now = now or _now()
    username = (username or "").strip()
    with Session(engine) as s:
        u = s.get(User, username) if username else None
        if u is None:
            verify_password(_dummy_hash(), password or "")     # same cost as a real check
            result, detail = SignInResult("invalid"), f"via={via}; unknown user"
        elif u.locked_until is not None and u.locked_until > now:
            result, detail = SignInResult("locked", locked_until=u.locked_until), f"via={via}; locked"
        elif verify_password(u.password_hash, password or ""):
            u.failed_attempts, u.locked_until = 0, None
            s.add(u)
            s.commit()
            viewer = Viewer(u.username, u.role, u.municipality_code, u.language or "en", u.display_name)
            audit(u.username, "sign_in_ok", target=via, engine=engine)
            return SignInResult("ok", viewer)
        else:
            u.failed_attempts = (u.failed_attempts or 0) + 1
            detail = f"via={via}; wrong password ({u.failed_attempts} in a row)"
            if u.failed_attempts >= MAX_FAILED_ATTEMPTS:
                u.locked_until, u.failed_attempts = now + LOCKOUT, 0
                detail += f"; locked until {u.locked_until:%Y-%m-%d %H:%M} UTC"
                result = SignInResult("locked", locked_until=u.locked_until)
            else:
                result = SignInResult("invalid")
            s.add(u)
            s.commit()
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
        return Viewer(u.username, u.role, u.municipality_code, u.language or "en", u.display_name)


def issue_token_for(viewer: Viewer, engine=None) -> str:
    """A session token for a signed-in viewer (bound to the user's current password)."""
    from hub.db import get_engine
    from hub.models import User
    from sqlmodel import Session

    with Session(engine or get_engine()) as s:
        u = s.get(User, viewer.username)
        return issue_session_token(viewer.username, password_hash=u.password_hash if u else None)


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
        return Viewer(u.username, u.role, u.municipality_code, u.language or "en", u.display_name)


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
    return True
