"""hub.settings: the environment read at call time, typed, refused with the variable named; and
README.md's settings table, which must list exactly the variables Settings reads."""
from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from hub.settings import ENV_NAMES, Settings, SettingsError, settings

ROOT = Path(__file__).resolve().parents[2]
TABLE_HEADER = "| variable | type | default | what it does |"


def readme_settings_table() -> list[str]:
    """The variables in the first column of README.md's settings table, in order."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines.count(TABLE_HEADER) == 1, f"README.md needs exactly one table headed {TABLE_HEADER!r}"
    names = []
    for line in lines[lines.index(TABLE_HEADER) + 2:]:
        if not line.startswith("|"):
            break
        first = line.split("|")[1]
        found = re.fullmatch(r"\s*`([A-Z][A-Z0-9_]*)`\s*", first)
        assert found, f"README settings row without one `VARIABLE` in its first column: {line}"
        names.append(found.group(1))
    return names


def test_readme_table_lists_every_setting_and_nothing_else():
    table = readme_settings_table()
    assert len(table) == len(set(table)), "a variable is listed twice in README.md's settings table"
    code = set(ENV_NAMES.values())
    assert not code - set(table), f"Settings fields missing from README.md's table: {sorted(code - set(table))}"
    assert not set(table) - code, f"README.md's table names variables Settings does not read: {sorted(set(table) - code)}"


def test_every_field_names_its_variable():
    assert [f.name for f in fields(Settings)] == list(ENV_NAMES)
    assert len(set(ENV_NAMES.values())) == len(ENV_NAMES)


@pytest.fixture
def clean_env(monkeypatch):
    for name in ENV_NAMES.values():
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults(clean_env):
    s = settings()
    assert s == Settings()
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith("/data/hub.db")
    assert (s.session_hours, s.cookie_secure, s.kosovo_designation) == (8.0, False, "asterisk")
    assert s.methodology_path == ROOT / "data" / "methodology.toml"
    assert (s.smtp_host, s.smtp_port, s.smtp_starttls, s.smtp_from) == (None, 25, False, "hub-alerts@localhost")
    assert s.base_url == "http://localhost:8501" and s.secret_key is None and s.login_user is None


def test_read_at_each_call_and_typed(clean_env):
    clean_env.setenv("HUB_SESSION_HOURS", "0.5")
    clean_env.setenv("HUB_COOKIE_SECURE", "1")
    clean_env.setenv("HUB_SMTP_STARTTLS", " Yes ")
    clean_env.setenv("KOSOVO_DESIGNATION", "Plain")
    clean_env.setenv("HUB_BASE_URL", "https://hub.example.org/")
    clean_env.setenv("METHODOLOGY_PATH", "alt/m.toml")
    s = settings()
    assert (s.session_hours, s.cookie_secure, s.smtp_starttls, s.smtp_port) == (0.5, True, True, 587)
    assert (s.kosovo_designation, s.base_url) == ("plain", "https://hub.example.org")
    assert s.methodology_path == Path("alt/m.toml")
    clean_env.setenv("HUB_SMTP_PORT", "2525")
    clean_env.setenv("HUB_COOKIE_SECURE", "off")
    assert (settings().smtp_port, settings().cookie_secure) == (2525, False)
    clean_env.setenv("HUB_SESSION_HOURS", "")             # empty: unset
    assert settings().session_hours == 8.0


def test_secrets_stay_out_of_the_repr(clean_env):
    clean_env.setenv("HUB_SECRET_KEY", "very-secret-key")
    clean_env.setenv("HUB_SMTP_PASSWORD", "mail-password")
    shown = repr(settings())
    assert "very-secret-key" not in shown and "mail-password" not in shown
    assert settings().secret_key == "very-secret-key"


@pytest.mark.parametrize("name, value", [
    ("HUB_SESSION_HOURS", "eight"), ("HUB_SESSION_HOURS", "0"), ("HUB_SESSION_HOURS", "nan"),
    ("HUB_COOKIE_SECURE", "maybe"), ("HUB_SMTP_STARTTLS", "2"), ("HUB_SMTP_PORT", "smtp"),
    ("HUB_SMTP_PORT", "70000"), ("KOSOVO_DESIGNATION", "star"), ("HUB_BASE_URL", "hub.example.org"),
])
def test_an_unusable_value_is_refused_with_the_variable_named(clean_env, name, value):
    clean_env.setenv(name, value)
    with pytest.raises(SettingsError, match=f"^{name}="):
        settings()


def test_an_unusable_database_url_is_refused_by_name(clean_env):
    from hub.db import database_url
    clean_env.setenv("DATABASE_URL", "not a url")
    with pytest.raises(SettingsError, match="^DATABASE_URL="):
        database_url()
