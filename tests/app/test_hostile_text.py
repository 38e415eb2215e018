"""Values from the URL and from data reach Markdown elements as literal text (ui.md / hub.escape).

The browser half (tests/e2e/test_hostile_text.py) checks what Chromium draws; here AppTest checks
the Markdown Streamlit is handed: every payload character escaped, nothing left to parse."""
from __future__ import annotations

import re

from sqlalchemy import text

from hub.db import get_engine
from hub.escape import markdown_text
from hub.i18n import t
from tests.app.helpers import app_as
from tests.small_db import build_small_db

PHISH = "[Your session expired - sign in again](https://evil.example/login) ![x](https://evil.example/b.png)"
NAME = "Ana `$x$` <img src=x onerror=alert(1)> :red[boss] [me](javascript:alert(1))"


def test_unknown_city_from_the_url_is_shown_as_text(empty_env):
    build_small_db(empty_env)
    at = app_as("hub.admin", page="pages/city.py", query={"city": PHISH})
    assert not at.exception
    warning = at.warning[0].value
    assert warning == t("city.unknown_city", "en", code=markdown_text(PHISH))
    assert "](" not in warning and "![" not in warning and "https://" not in warning


def test_display_name_in_the_sidebar_is_text(empty_env):
    build_small_db(empty_env)
    with get_engine(empty_env).begin() as conn:
        conn.execute(text("UPDATE users SET display_name = :n WHERE username = 'hub.admin'"), {"n": NAME})
    at = app_as("hub.admin")            # the landing page: app.py draws the account in the sidebar
    assert not at.exception
    caption = next(c.value for c in at.sidebar.caption if "Ana" in c.value)
    assert markdown_text(NAME) in caption
    assert not re.search(r"(?<!\\)[`$<\[\]]", caption)       # every one escaped
