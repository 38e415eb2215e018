"""Translation and locale formatting.

One function, ``t(key, lang, **params)``, translates every UI string from the
TOML catalogs beside this module: ``locales/<lang>/<area>.toml``, one file per
area (common, overview, fund, ...); a key is ``<area>.<key in file>`` with
nested tables flattened to dotted keys (``t("fund.title")``). English is the fallback for a missing key.
Numbers, dates and money use Babel's locale data, never hand-written formats.
"""
from __future__ import annotations

import tomllib
import unicodedata
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel import dates as _bdates
from babel import numbers as _bnum

LANGUAGES = ("en", "sq", "bcms", "mk")
DEFAULT_LANGUAGE = "en"
# Each language's name in itself (the language selector shows these, whatever the UI language).
LANGUAGE_NAMES = {"en": "English", "sq": "Shqip", "bcms": "Bosanski / Hrvatski / Srpski / Crnogorski",
                  "mk": "Македонски"}
# Babel locale used for formatting each UI language. BCMS is shown in Latin script.
BABEL_LOCALE = {"en": "en_GB", "sq": "sq_AL", "bcms": "sr_Latn_RS", "mk": "mk_MK"}
LOCALES_DIR = Path(__file__).with_name("locales")


def _flatten(d: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = str(v)
    return out


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.toml")):
        with path.open("rb") as fh:
            out.update(_flatten(tomllib.load(fh), path.stem + "."))
    return out


def normalise_language(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str | None = None, **params) -> str:
    """Translate ``key`` into ``lang``; English when the language lacks it; the key itself as a last resort."""
    lang = normalise_language(lang)
    text = catalog(lang).get(key)
    if text is None:
        text = catalog(DEFAULT_LANGUAGE).get(key, key)
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def has_key(key: str, lang: str) -> bool:
    return key in catalog(normalise_language(lang))


# --- formatting ------------------------------------------------------------------
def _loc(lang: str | None) -> str:
    return BABEL_LOCALE[normalise_language(lang)]


# Parsed once: Babel parses the locale and the pattern on every format_* call, which was most of
# the cost of a table's cells (55 µs a number; 15 µs with the parsed objects).
@lru_cache(maxsize=None)
def _locale(lang: str | None) -> _bnum.Locale:
    return _bnum.Locale.parse(_loc(lang))


@lru_cache(maxsize=None)
def _pattern(lang: str | None, kind: str, decimals: int) -> _bnum.NumberPattern:
    """The number pattern of ``kind`` (number, money, percent) with ``decimals`` fraction digits,
    money and percent in the locale's own pattern ("53,1 %" in mk, "53,1%" in bcms)."""
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    if kind == "number":
        return _bnum.parse_pattern(digits)
    if kind == "money":
        pattern = _locale(lang).currency_formats["standard"].pattern
        return _bnum.parse_pattern(pattern.replace(".00", "") if decimals == 0 else pattern)
    pattern = _locale(lang).percent_formats[None].pattern.split(";")[0]
    return _bnum.parse_pattern(pattern.replace("#,##0", digits, 1))


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and x != x)


def fmt_number(x, lang: str | None = None, decimals: int = 0) -> str:
    if _missing(x):
        return "—"
    return _pattern(lang, "number", decimals).apply(x, _locale(lang))


def fmt_money(x, lang: str | None = None, currency: str = "EUR", decimals: int = 0) -> str:
    """The locale's own currency pattern; with ``decimals=0`` its fraction dropped."""
    if _missing(x):
        return "—"
    return _pattern(lang, "money", decimals).apply(x, _locale(lang), currency=currency,
                                                   currency_digits=decimals != 0)


def fmt_percent(x, lang: str | None = None, decimals: int = 0) -> str:
    """``x`` is a share (0.25 -> 25 %)."""
    if _missing(x):
        return "—"
    return _pattern(lang, "percent", decimals).apply(x, _locale(lang))


def fmt_date(d, lang: str | None = None, format: str = "medium") -> str:
    """A date in the language's convention. ``format``: Babel's ``short``/``medium``/``long``, or
    ``numeric`` (day, two-digit month, year from CLDR's ``yMMdd`` skeleton: 31/03/2024 in en,
    31.03.2024. in bcms)."""
    if _missing(d):
        return "—"
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    if isinstance(d, datetime):
        d = d.date()
    if hasattr(d, "to_pydatetime"):
        d = d.to_pydatetime().date()
    if format == "numeric":
        return _bdates.format_skeleton("yMMdd", d, locale=_loc(lang))
    return _bdates.format_date(d, format=format, locale=_loc(lang))


# --- names across scripts -----------------------------------------------------------
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ѓ": "gj", "ђ": "dj", "е": "e", "ж": "z",
    "з": "z", "ѕ": "dz", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ќ": "kj", "ћ": "c", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "c", "џ": "dz", "ш": "s", "ё": "e", "й": "j", "ы": "y",
    "э": "e", "ю": "ju", "я": "ja", "ь": "", "ъ": "",
}
_LATIN_EXTRA = {"đ": "dj", "ß": "ss", "æ": "ae", "ø": "o", "ł": "l", "ë": "e", "ç": "c"}


def fold(text: str | None) -> str:
    """Fold a name for matching and sorting: script, case and diacritics ignored.

    ``fold("Čair") == fold("Cair") == fold("Чаир") == "cair"``.
    """
    if not text:
        return ""
    s = unicodedata.normalize("NFC", str(text)).lower()
    s = "".join(_CYRILLIC.get(ch, _LATIN_EXTRA.get(ch, ch)) for ch in s)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(s.replace("-", " ").split())


def sort_key(name) -> tuple:
    """How a name sorts, everywhere in the app (never the database's collation, which differs
    between SQLite, PostgreSQL and their locales).

    First by ``fold`` (script, case and diacritics ignored, so Čair, Cair and Чаир sit together,
    Ć with C, Đ with D, Š with S, Ž with Z: the root collation's first level, with Cyrillic read
    in Latin); ties broken by the case-folded name and then the name itself, so the order is total
    and the same on every machine. Missing names (None, NaN, "") sort last.
    """
    if name is None or (isinstance(name, float) and name != name) or name == "":
        return (1, "", "", "")
    s = unicodedata.normalize("NFC", str(name))
    return (0, fold(s), s.casefold(), s)


def sorted_names(items, key=None) -> list:
    """``items`` in name order (``sort_key``); ``key`` picks the name of an item."""
    return sorted(items, key=(lambda x: sort_key(key(x))) if key else sort_key)


def name_order(values):
    """A ``pandas`` ``sort_values(key=...)`` for name columns: text columns by ``sort_key``,
    any other column (numbers, dates) left as it is."""
    if getattr(values, "dtype", None) is None or values.dtype.kind in "biufcmM":
        return values
    rank = {v: i for i, v in enumerate(sorted_names(set(values)))}
    return values.map(rank)


# Serbian and Macedonian Cyrillic to the Latin alphabets people there use.
_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ѓ": "gj", "ђ": "đ", "е": "e", "ж": "ž",
    "з": "z", "ѕ": "dz", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ќ": "kj", "ћ": "ć", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
}


# Gaj's Latin alphabet (BCMS) in Macedonian Cyrillic: how a Macedonian text writes Bosnian, Montenegrin
# or Serbian names (Bihać -> Бихаќ, Nikšić -> Никшиќ, Đakovica -> Ѓаковица, Bijelo Polje -> Бијело Поље).
_DIGRAPHS_TO_MK = {"dž": "џ", "lj": "љ", "nj": "њ"}
_LETTERS_TO_MK = {
    "a": "а", "b": "б", "c": "ц", "č": "ч", "ć": "ќ", "d": "д", "đ": "ѓ", "e": "е", "f": "ф", "g": "г",
    "h": "х", "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р",
    "s": "с", "š": "ш", "t": "т", "u": "у", "v": "в", "z": "з", "ž": "ж",
}


def to_macedonian_cyrillic(text: str | None) -> str | None:
    """A name in Gaj's Latin (BCMS) written in Macedonian Cyrillic (``Banja Luka`` -> ``Бања Лука``);
    None when it has a letter that alphabet does not have (``Tiranë``, ``Shkodër``), so the caller keeps
    the name as written."""
    src = unicodedata.normalize("NFC", text or "")
    out, i = [], 0
    while i < len(src):
        pair, ch = src[i:i + 2], src[i]
        if pair.lower() in _DIGRAPHS_TO_MK:
            cyr = _DIGRAPHS_TO_MK[pair.lower()]
            out.append(cyr.upper() if ch.isupper() else cyr)
            i += 2
            continue
        if ch.isalpha():
            cyr = _LETTERS_TO_MK.get(ch.lower())
            if cyr is None:
                return None
            out.append(cyr.upper() if ch.isupper() else cyr)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def to_latin(text: str | None) -> str:
    """Transliterate Serbian/Macedonian Cyrillic to Latin (``Нови Пазар`` -> ``Novi Pazar``)."""
    out = []
    for ch in text or "":
        lat = _TO_LATIN.get(ch.lower())
        if lat is None:
            out.append(ch)
        else:
            out.append(lat.capitalize() if ch.isupper() else lat)
    return "".join(out)


def is_cyrillic(text: str | None) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text or "")


def place_name(name: str, name_local: str | None, lang: str | None, country: str | None = None) -> str:
    """The name people there write: the local name when the UI language is the place's own
    (Куманово in mk), in the UI's script (a Cyrillic local name in Latin-script BCMS is
    transliterated); in Macedonian any Cyrillic local name (Нови Пазар), so lists keep one script
    where they can; ``name`` (Latin) otherwise."""
    lang = normalise_language(lang)
    if isinstance(name_local, float):   # NaN: a missing local name read into a DataFrame
        name_local = None
    if name_local and lang == LOCAL_LANGUAGE.get(country or ""):
        if lang != "mk" and is_cyrillic(name_local):
            return to_latin(name_local)
        return name_local
    if name_local and lang == "mk" and is_cyrillic(name_local):
        return name_local       # a Macedonian list keeps one script where a Cyrillic name exists (Нови Пазар)
    if lang == "mk" and (country or "") in BCMS_COUNTRIES:
        # ... and writes a Bosnian or Montenegrin name in Cyrillic too (Tuzla -> Тузла); Albanian names
        # (Albania, Kosovo) have letters Cyrillic spelling cannot carry over and stay as written
        return to_macedonian_cyrillic(name_local or name) or name
    return name


BCMS_COUNTRIES = ("RS", "BA", "ME")   # local names in Gaj's Latin or Serbian Cyrillic
# The UI language in which a place's local name is shown.
LOCAL_LANGUAGE = {"MK": "mk", "AL": "sq", "XK": "sq", "RS": "bcms", "BA": "bcms", "ME": "bcms"}


def pick_text(texts: dict[str, str | None], lang: str | None) -> str:
    """Per-language text (``{"en": ..., "sq": ..., "bcms": ..., "mk": ...}``) in ``lang``; else English;
    else the first language that has it; "" when none does. Blank or NaN values count as missing."""
    def ok(v) -> bool:
        return isinstance(v, str) and bool(v.strip())
    lang = normalise_language(lang)
    for candidate in (lang, DEFAULT_LANGUAGE, *LANGUAGES):
        v = texts.get(candidate)
        if ok(v):
            return v.strip()
    return ""
