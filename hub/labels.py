"""The economies (their codes, in the hub's order), their names and the Kosovo designation, shared
by every view, the maps, the PDF and the store's vocabulary (``hub.models`` takes ``COUNTRIES`` from here).

Kosovo's designation is a setting (``KOSOVO_DESIGNATION=asterisk|plain``, default asterisk):
"Kosovo*" with the footnote under every map and table that names it, or plain "Kosovo" and no
footnote. Catalog: ``hub/locales/<lang>/geo.toml``.
"""
from __future__ import annotations

import pandas as pd

from hub.i18n import place_name, t
from hub.settings import settings

COUNTRIES = ("AL", "BA", "XK", "ME", "MK", "RS")   # ISO 3166-1 alpha-2 (XK for Kosovo)


def kosovo_designation() -> str:
    """``asterisk`` (default) or ``plain``, from the KOSOVO_DESIGNATION setting."""
    return settings().kosovo_designation


def country_name(code: str | None, lang: str | None) -> str:
    """Translated name of an economy; Kosovo with an asterisk unless the setting says plain."""
    if not code:
        return "—"
    key = f"geo.country.{code}"
    name = t(key, lang)
    if name == key:
        return code
    if code == "XK" and kosovo_designation() == "asterisk":
        name += "*"
    return name


def country_names(codes, lang: str | None) -> list[str]:
    """``country_name`` of each code, in order (a table's or a chart's economy column)."""
    return [country_name(c, lang) for c in codes]


def kosovo_footnote(lang: str | None) -> str:
    """The footnote for every map or table naming Kosovo ("" when the designation is plain)."""
    return t("geo.kosovo_footnote", lang) if kosovo_designation() == "asterisk" else ""


def mentions_kosovo(codes) -> bool:
    return any(str(c) == "XK" for c in codes)


def city_names(df: pd.DataFrame, lang: str | None, name: str = "name", local: str = "name_local",
               country: str = "country") -> list[str]:
    """Display names of the cities in ``df``, in row order (``hub.i18n.place_name`` of each row)."""
    return [place_name(n, nl, lang, c) for n, nl, c in zip(df[name], df[local], df[country])]
