"""Names shared by the fund, help-desk, events, youth and data views: economies and the Kosovo
footnote. Delegates to ``hub.maps`` (the maps engineer's ``country_name`` / ``kosovo_footnote``)
when it is there, and falls back to the ``labels`` catalog otherwise."""
from __future__ import annotations

from hub.i18n import t


def country_name(code: str | None, lang: str | None) -> str:
    if not code:
        return "—"
    try:
        from hub.maps import country_name as _maps_country_name
        name = _maps_country_name(code, lang)
        if name != code:
            return name
    except (ImportError, AttributeError):
        pass
    key = f"labels.country.{code}"
    text = t(key, lang)
    return code if text == key else text


def kosovo_footnote(lang: str | None) -> str:
    try:
        from hub.maps import kosovo_footnote as _maps_footnote
        text = _maps_footnote(lang)
        if text and "." in text and " " in text:   # a real sentence, not a missing catalog key
            return text
    except (ImportError, AttributeError):
        pass
    return t("labels.kosovo_footnote", lang)


def mentions_kosovo(codes) -> bool:
    return any(str(c) == "XK" for c in codes)
