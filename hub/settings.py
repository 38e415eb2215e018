"""Settings: the environment, read in one place and typed.

``settings()`` returns a frozen :class:`Settings` built from ``os.environ`` as it is at the call,
so a test that monkeypatches a variable sees it at the next call, and nothing is read at import
time. A call costs one ``os.environ`` lookup per variable (microseconds); the parsing is memoised
on the raw values, so it runs once per distinct environment and needs no reset. An empty variable
counts as unset. A value that cannot be used raises :class:`SettingsError` naming the variable.

Every field names its variable in ``metadata["env"]``; README.md's settings table lists them all
(``tests/unit/test_settings.py`` keeps the two in step). No other module reads the environment
for a setting.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
KOSOVO_DESIGNATIONS = ("asterisk", "plain")


class SettingsError(ValueError):
    """An environment variable whose value cannot be used; the message names the variable."""


def _env(name: str, default, *, secret: bool = False):
    return field(default=default, repr=not secret, metadata={"env": name})


@dataclass(frozen=True)
class Settings:
    # the store and the web server
    database_url: str = _env("DATABASE_URL", f"sqlite:///{ROOT / 'data' / 'hub.db'}")
    secret_key: str | None = _env("HUB_SECRET_KEY", None, secret=True)
    session_hours: float = _env("HUB_SESSION_HOURS", 8.0)
    cookie_secure: bool = _env("HUB_COOKIE_SECURE", False)
    signin_route: str | None = _env("HUB_SIGNIN_ROUTE", None)
    # what the pages show
    kosovo_designation: str = _env("KOSOVO_DESIGNATION", "asterisk")
    methodology_path: Path = _env("METHODOLOGY_PATH", ROOT / "data" / "methodology.toml")
    # alerts and the e-mail digest
    alerts_settings: Path = _env("HUB_ALERTS_SETTINGS", ROOT / "data" / "alerts.toml")
    alerts_dir: Path = _env("HUB_ALERTS_DIR", ROOT / "data" / "alerts")
    alerts_feed_url: str | None = _env("HUB_ALERTS_FEED_URL", None)
    base_url: str = _env("HUB_BASE_URL", "http://localhost:8501")
    smtp_host: str | None = _env("HUB_SMTP_HOST", None)
    smtp_port: int | None = _env("HUB_SMTP_PORT", None)        # None: 587 with STARTTLS, else 25
    smtp_user: str | None = _env("HUB_SMTP_USER", None)
    smtp_password: str | None = _env("HUB_SMTP_PASSWORD", None, secret=True)
    smtp_from: str = _env("HUB_SMTP_FROM", "hub-alerts@localhost")
    smtp_starttls: bool = _env("HUB_SMTP_STARTTLS", False)
    # the loaders
    login_user: str | None = _env("USER", None)

    def __post_init__(self) -> None:
        if self.smtp_port is None:       # the port follows STARTTLS unless HUB_SMTP_PORT names one
            object.__setattr__(self, "smtp_port", 587 if self.smtp_starttls else 25)


ENV_NAMES: dict[str, str] = {f.name: f.metadata["env"] for f in fields(Settings)}   # field -> variable


def settings() -> Settings:
    """The settings of the environment as it is now (see the module's docstring)."""
    return _parse(tuple(os.environ.get(name) or None for name in ENV_NAMES.values()))


# --- parsing: raw strings in, typed values out, the variable named in every error ----------------
def _flag(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise SettingsError(f"{name}={raw!r}: expected one of {', '.join(TRUE_WORDS + FALSE_WORDS)}")


def _hours(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise SettingsError(f"{name}={raw!r}: expected a number of hours greater than 0, e.g. 8 or 0.5")
    return value


def _port(name: str, raw: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        value = 0
    if not 0 < value < 65536:
        raise SettingsError(f"{name}={raw!r}: expected a port number from 1 to 65535")
    return value


def _choice(choices: tuple[str, ...]):
    def parse(name: str, raw: str) -> str:
        value = raw.strip().lower()
        if value not in choices:
            raise SettingsError(f"{name}={raw!r}: expected one of {', '.join(choices)}")
        return value
    return parse


def _web_address(name: str, raw: str) -> str:
    value = raw.strip().rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise SettingsError(f"{name}={raw!r}: expected an address starting with http:// or https://")
    return value


def _path(name: str, raw: str) -> Path:
    return Path(raw)


PARSERS = {
    "session_hours": _hours,
    "cookie_secure": _flag,
    "smtp_starttls": _flag,
    "smtp_port": _port,
    "kosovo_designation": _choice(KOSOVO_DESIGNATIONS),
    "base_url": _web_address,
    "methodology_path": _path,
    "alerts_settings": _path,
    "alerts_dir": _path,
}   # any other field: the string as it is


@lru_cache(maxsize=32)
def _parse(raw: tuple[str | None, ...]) -> Settings:
    values = {}
    for (attr, name), value in zip(ENV_NAMES.items(), raw):
        if value is not None:
            parse = PARSERS.get(attr)
            values[attr] = parse(name, value) if parse else value
    return Settings(**values)
