"""Issue 7: every page the hub role can open renders in each language with no English left in it.

For a page rendered in sq, bcms or mk, no English catalog string may appear in the page's
text (titles, markdown, captions, notices, widget labels/options/help, metric labels, chart
specs, table headers), apart from strings that are the same in that language (proper names,
codes such as CSV) and ``ALLOWED`` below. The pages are run inside app.py as served
(``tests/app/shell.py``), so the sidebar of the shell is checked too. A page file that does
not exist yet is skipped.
"""
from __future__ import annotations

import json
import re

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from hub import i18n
from hub.access import PAGES
from tests.app.helpers import APP, ROOT, fresh_caches
from tests.app.shell import served_like_the_browser

# English catalog values that may legitimately appear in every language (proper names, codes).
# The language selector names each language in itself, whatever the UI language.
ALLOWED: set[str] = set(i18n.LANGUAGE_NAMES.values())
MIN_LENGTH = 4
# Raw bytes, ids, and Plotly's styling boilerplate (fonts, templates) are not page text.
SKIP_KEYS = {"data", "arrowData", "id", "formId", "key", "iconName", "icon", "family", "template",
             "colorway"}
# Embedded components (the map) carry their own data payloads; the map builders are tested apart.
SKIP_ELEMENTS = {"component_instance", "iframe", "html"}
# Proper names that contain English words.
PROPER_NAMES = ["Humanitarian Data Exchange", "Natural Earth", "GeoNames", "Strong Cities Network",
                "Strong Cities", "Source Sans Pro", "OpenStreetMap",
                "Young Cities"]   # an NGO's name in the demo practices (issue 16)


@pytest.fixture
def i18n_db(demo_url, monkeypatch):
    monkeypatch.setenv("HUB_SECRET_KEY", "apptest-secret")
    monkeypatch.delenv("HUB_SIGNIN_ROUTE", raising=False)
    url = demo_url
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _strings(obj, out: list[str]) -> None:
    if isinstance(obj, str):
        out.append(obj)
        if obj[:1] in "{[":                       # a JSON spec (Plotly): its texts
            try:
                _strings(json.loads(obj), out)
            except ValueError:
                pass
    elif isinstance(obj, dict):
        for k, v in obj.items():
            if k not in SKIP_KEYS:
                _strings(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _strings(v, out)


def page_texts(at: AppTest) -> list[str]:
    """Every string the page sends to the browser, bar raw data bytes, plus table headers."""
    out: list[str] = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None and getattr(node, "type", "") not in SKIP_ELEMENTS:
            _strings(MessageToDict(proto), out)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    for df in at.dataframe:
        out.extend(str(c) for c in getattr(df.value, "columns", []))
    return out


def place_names() -> list[str]:
    """Municipality names from the store: proper names, never leftover English."""
    from sqlmodel import Session, select

    from hub.db import get_engine
    from hub.models import Municipality
    with Session(get_engine()) as s:
        rows = s.exec(select(Municipality.name, Municipality.name_local)).all()
    names = {part.strip() for row in rows for n in row if n for part in [n, *n.split("/")]}
    return sorted(names, key=len, reverse=True)


def leftover_english(texts: list[str], lang: str, proper_names: list[str] = ()) -> list[str]:
    en, other = i18n.catalog("en"), i18n.catalog(lang)
    same_in_lang = set(other.values())
    suspects = {}
    for key, value in en.items():
        if other.get(key) == value or value in same_in_lang or value in ALLOWED:
            continue
        # the longest literal part of the string (placeholders filled with data on the page)
        part = max(re.split(r"\{[^}]*\}", value), key=len).strip(" .,:;·()")
        if len(part) >= MIN_LENGTH:
            suspects[part] = key
    blob = "\n".join(texts)
    for name in [*PROPER_NAMES, *proper_names]:
        blob = blob.replace(name, " ")
    found = []
    for part, key in suspects.items():
        if re.search(r"(?<!\w)" + re.escape(part) + r"(?!\w)", blob):
            found.append(f"{key}: {part!r}")
    return sorted(found)


def render(page: str | None, lang: str, username: str = "hub.admin") -> AppTest:
    fresh_caches()
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["auth_user"] = username
    at.query_params["lang"] = lang
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    return at


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_hub_page_speaks_the_language(page, lang, i18n_db):
    if not (ROOT / "pages" / f"{page}.py").exists():
        pytest.skip(f"pages/{page}.py does not exist yet")
    with served_like_the_browser():
        at = render(page, lang)
    assert not at.exception, f"{page} in {lang}: {at.exception}"
    titles = [info.get("page_name") for info in at._registered_pages.values()]
    assert i18n.t(f"nav.{page}", lang) in titles           # the navigation is translated
    if lang != "en":
        found = leftover_english(page_texts(at), lang, place_names())
        assert found == [], f"English left on {page} in {lang}"


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGUAGES if lang != "en"])
def test_sign_in_page_speaks_the_language(lang, i18n_db):
    with served_like_the_browser():
        fresh_caches()
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
    assert not at.exception
    texts = page_texts(at)
    assert i18n.t("auth.username", lang) in texts
    assert leftover_english(texts, lang) == []


def test_the_check_would_catch_english_on_a_page():
    """The detector itself: an English catalog string in an mk page is reported."""
    texts = [i18n.t("auth.title", "mk"), i18n.t("common.no_data", "en")]
    assert f"common.no_data: {i18n.t('common.no_data', 'en').rstrip('.')!r}" in leftover_english(texts, "mk")
    assert leftover_english([i18n.t("common.no_data", "mk")], "mk") == []
