"""Items in words, in the reader's language (catalog ``hub/locales/<lang>/alerts.toml``).

Used by the overview's action list and by the digest alike, so a page and an e-mail say the
same thing. Plain text only: callers escape for HTML (``hub.escape.html_text``) or XML (ElementTree).
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import pandas as pd

from hub import i18n
from hub.labels import country_name
from hub.settings import settings


def _blank(x) -> bool:
    return x is None or (isinstance(x, float) and x != x) or (not isinstance(x, str) and pd.isna(x))


def place(item, lang: str) -> str:
    """The city the item is about (its local name in its own language), else its economy."""
    if not _blank(item.get("name")):
        return i18n.place_name(item["name"], None if _blank(item.get("name_local")) else item["name_local"],
                               lang, item.get("country"))
    return country_name(item.get("country"), lang)


def _translated(area_key: str, value, lang: str) -> str:
    key = f"{area_key}.{str(value).replace(' ', '_').replace('-', '_')}"
    return i18n.t(key, lang) if i18n.has_key(key, "en") else str(value)


def rule_title(rule: str, lang: str) -> str:
    return i18n.t(f"alerts.rule.{rule}", lang)


def when(item, lang: str) -> str:
    """Which comparison a change item is about: two periods, or the last two loads."""
    if item.get("basis") == "load":
        return i18n.t("alerts.between_loads", lang)
    return i18n.t("alerts.between_periods", lang, label=item.get("label") or "")


def describe(item, lang: str) -> str:
    """One sentence for one item (a row of ``hub.queries.alerts`` items, as a mapping)."""
    rule, problem = item["rule"], item["problem"]
    days = i18n.fmt_number(item.get("days_overdue"), lang) if not _blank(item.get("days_overdue")) else "—"
    p = dict(place=place(item, lang), ref=item.get("ref") or "", days=days)
    if rule == "helpdesk_overdue":
        p["topic"] = _translated("helpdesk.topic", item.get("label"), lang)
    elif rule == "fund_stalled":
        p["title"] = item.get("label") or ""
    elif rule == "dataset_overdue":
        p["dataset"] = _translated("data.dataset", item.get("ref"), lang)
    elif rule == "assessment_incomplete":
        p["coverage"] = i18n.fmt_percent(item.get("after"), lang)
        p["period"] = item.get("label") or ""
    elif rule == "event_no_participants":
        p["title"] = item.get("label") or ""
    elif rule in ("need_change", "underserved"):
        p.update(before=i18n.fmt_number(item.get("before"), lang, 1), after=i18n.fmt_number(item.get("after"), lang, 1),
                 when=when(item, lang))
    elif rule in ("rank_move", "top_quartile"):
        p.update(before=i18n.fmt_number(item.get("before"), lang), after=i18n.fmt_number(item.get("after"), lang),
                 when=when(item, lang))
    elif rule == "absorption_drop":
        p.update(before=i18n.fmt_percent(item.get("before"), lang, 1), after=i18n.fmt_percent(item.get("after"), lang, 1),
                 when=when(item, lang))
    return i18n.t(f"alerts.item.{rule}.{problem}", lang, **p)


def base_url() -> str:
    """Where the app is served, for links in digests (``HUB_BASE_URL``)."""
    return settings().base_url


def link(item, lang: str, base: str | None = None) -> str | None:
    """The address that opens the item's page on it, in the reader's language; None without a page."""
    page = item.get("page")
    if _blank(page) or not page:
        return None
    params = parse_qsl(item.get("query") or "")
    params.append(("lang", lang))
    return f"{base if base is not None else base_url()}/{page}?{urlencode(params)}"
