"""How figures and table cells read in each UI language: one home for table formatting.

Every table a page shows goes through ``format_frame(df, lang, kinds)`` (via ``ui.tables.show``):
numeric columns become text in the language's convention (Babel's symbols and currency pattern),
with the same decimals for the same kind of figure everywhere; missing values read "—"; yes/no
columns are words; dates keep a date type (``date_pattern`` gives the column's display pattern) so
they still sort. Downloads are built from the raw frame, never from this one.

Kinds (``KINDS``): ``count`` (0 decimals), ``money`` (EUR, 0 decimals), ``money_cents`` (EUR, 2),
``percent`` (a share: 0.25 -> 25.0 %), ``percent_points`` (already in %: 25 -> 25.0 %),
``score`` (1 decimal), ``decimal`` (2 decimals), ``precise`` (3 decimals), ``year``/``code``
(as written, no grouping), ``figure`` (already formatted, shown as a figure), ``bool`` (yes/no),
``date``, ``month`` (month and year, in the language's order), ``text``.

Hub code only: no Streamlit here.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime
from functools import lru_cache

import pandas as pd
from babel import dates as _bdates
from babel import numbers as _bnum

from hub.i18n import BABEL_LOCALE, normalise_language, t

DASH = "—"
DECIMALS = {"count": 0, "money": 0, "money_cents": 2, "percent": 1, "percent_points": 1, "score": 1,
            "decimal": 2, "precise": 3}
KINDS = (*DECIMALS, "figure", "year", "code", "bool", "date", "month", "text")
DATE_SKELETONS = {"date": "yMMdd", "month": "yMM"}    # CLDR skeletons: 31/03/2024, 03/2024 in en
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
_MISSING_TEXT = {"none", "nan", "nat", "null", "<na>"}


def is_missing(x) -> bool:
    """None, NaN, NaT, pd.NA, or a string that only says so ("None", "nan")."""
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    if isinstance(x, float):
        return math.isnan(x)
    if isinstance(x, str):
        return x.strip().lower() in _MISSING_TEXT
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def text(x) -> str:
    """A value as text for a caption or metric: "—" when missing."""
    return DASH if is_missing(x) else str(x)


# --- numbers ------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _symbols(lang: str) -> tuple[str, str, str]:
    loc = BABEL_LOCALE[normalise_language(lang)]
    return (_bnum.get_decimal_symbol(loc), _bnum.get_group_symbol(loc), _bnum.get_minus_sign_symbol(loc))


@lru_cache(maxsize=None)
def _affixes(lang: str, kind: str) -> tuple[str, str]:
    """The text before and after the digits of a positive money or percent figure (Babel's pattern)."""
    loc = BABEL_LOCALE[normalise_language(lang)]
    if kind in ("money", "money_cents"):
        pattern = _bnum.Locale.parse(loc).currency_formats["standard"].pattern.split(";")[0]
        symbol = _bnum.get_currency_symbol("EUR", loc)
    else:
        pattern = _bnum.Locale.parse(loc).percent_formats[None].pattern.split(";")[0]
        symbol = _bnum.Locale.parse(loc).number_symbols["latn"]["percentSign"]
    m = re.search(r"[#0,.]+", pattern)
    before, after = pattern[:m.start()], pattern[m.end():]
    return before.replace("¤", symbol).replace("%", symbol), after.replace("¤", symbol).replace("%", symbol)


def fmt_value(x, lang: str | None, kind: str = "score") -> str:
    """One figure of ``kind`` in ``lang``'s convention ("—" when missing). Fast (no Babel call per
    value) and equal to Babel's own formatting (tests/unit/test_display.py compares them)."""
    lang = normalise_language(lang)
    if is_missing(x):
        return DASH
    if kind == "bool":
        return yes_no(x, lang)
    if kind in DATE_SKELETONS:
        return fmt_date_cell(x, lang, DATE_SKELETONS[kind])
    if kind in ("year", "code", "text", "figure"):
        if isinstance(x, float) and x.is_integer():
            return str(int(x))
        return str(x)
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isinf(v):
        return DASH
    decimals = DECIMALS.get(kind, 1)
    if kind == "percent":
        v *= 100
    dec, group, minus = _symbols(lang)
    digits = f"{abs(v):,.{decimals}f}"
    negative = v < 0 and float(digits.replace(",", "")) != 0
    digits = digits.translate(str.maketrans({",": group, ".": dec}))
    if kind in ("money", "money_cents", "percent", "percent_points"):
        before, after = _affixes(lang, "percent" if kind.startswith("percent") else kind)
        digits = f"{before}{digits}{after}"
    return f"{minus}{digits}" if negative else digits


def yes_no(x, lang: str | None) -> str:
    if is_missing(x):
        return DASH
    if isinstance(x, str):
        x = x.strip().lower() in ("1", "true", "yes", "y")
    return t("display.yes" if bool(x) else "display.no", lang)


def fmt_date_cell(x, lang: str | None, skeleton: str = "yMMdd") -> str:
    if is_missing(x):
        return DASH
    if isinstance(x, str):
        x = date.fromisoformat(x[:10])
    if isinstance(x, pd.Timestamp):
        x = x.to_pydatetime()
    if isinstance(x, datetime):
        x = x.date()
    return _bdates.format_skeleton(skeleton, x, locale=BABEL_LOCALE[normalise_language(lang)])


@lru_cache(maxsize=None)
def date_pattern(lang: str | None, skeleton: str = "yMMdd") -> str:
    """The day-month-year pattern of ``lang`` (CLDR ``yMMdd``; ``yMM`` for month-year) in moment.js
    tokens, for a date column (31/03/2024 in en, 31.03.2024. in bcms; 03/2024, 3.2024 г. in mk)."""
    loc = BABEL_LOCALE[normalise_language(lang)]
    cldr = _bdates.match_skeleton(skeleton, _bdates.Locale.parse(loc).datetime_skeletons) or skeleton
    pattern = str(_bdates.Locale.parse(loc).datetime_skeletons[cldr].pattern)
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "'":                       # quoted literal
            j = pattern.find("'", i + 1)
            j = len(pattern) if j < 0 else j
            lit = pattern[i + 1:j]
            out.append(f"[{lit}]" if lit else "'")
            i = j + 1
            continue
        run = 1
        while i + run < len(pattern) and pattern[i + run] == ch:
            run += 1
        if ch == "d":
            out.append("DD" if run >= 2 else "D")
        elif ch in "ML":
            out.append("MM" if run == 2 else "M" if run == 1 else "MMM" if run == 3 else "MMMM")
        elif ch == "y":
            out.append("YY" if run == 2 else "YYYY")
        elif ch.isalpha():
            out.append(f"[{ch * run}]")
        else:
            out.append(ch * run)
        i += run
    return "".join(out)


# --- frames --------------------------------------------------------------------------------------
def _looks_like_dates(s: pd.Series) -> bool:
    vals = s.dropna()
    if not len(vals):
        return False
    sample = vals.head(50)
    return all(isinstance(v, (date, datetime, pd.Timestamp)) or (isinstance(v, str) and _ISO_DATE.match(v))
               for v in sample)


_PERCENT_CODES = {"absorption", "achieved", "progress", "share", "share_of_approved", "contribution_share",
                  "coverage", "effective_weight"}


def kind_for_code(name) -> str | None:
    """The kind a column's code name implies (the query layer's naming): ``*_eur`` and ``*_cum`` are
    money, shares are percent, ``period``/``year`` as written, ``*_id`` codes."""
    name = str(name).lower()
    if name.endswith("_eur") or name.endswith("_cum") or name.endswith("cost_per_result"):
        return "money"
    if name in _PERCENT_CODES or name.endswith("_share"):
        return "percent"
    if name in ("period", "year", "round"):
        return "year"
    if name.endswith("_id"):
        return "code"
    return None


def infer_kind(s: pd.Series) -> str:
    """The kind of a column nobody named: from its code name (``kind_for_code``), else from its
    values: bool, date, count (whole numbers; years as written), score (other numbers), text."""
    by_name = kind_for_code(s.name)
    if by_name:
        return by_name
    if (pd.api.types.is_object_dtype(s) and len(s.dropna())
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in s.dropna().head(200))):
        s = pd.to_numeric(s, errors="coerce")       # numbers with None among them
    if pd.api.types.is_bool_dtype(s):
        return "bool"
    if pd.api.types.is_datetime64_any_dtype(s):
        return "date"
    if pd.api.types.is_numeric_dtype(s):
        vals = s.dropna()
        whole = len(vals) == 0 or bool((vals == vals.round()).all())
        if whole and len(vals) and vals.between(1990, 2100).all() and str(s.name).lower() in (
                "year", "period", "round"):
            return "year"
        return "count" if whole else "score"
    if pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s):
        vals = s.dropna()
        if len(vals) and all(isinstance(v, (bool,)) for v in vals.head(50)):
            return "bool"
        if _looks_like_dates(s):
            return "date"
    return "text"


def column_kinds(df: pd.DataFrame, kinds: dict | None = None) -> dict[str, str]:
    kinds = kinds or {}
    return {c: kinds.get(c) or infer_kind(df[c]) for c in df.columns}


def format_frame(df: pd.DataFrame, lang: str | None, kinds: dict | None = None) -> pd.DataFrame:
    """A copy of ``df`` for display in ``lang``: numbers as the language writes them (per kind),
    dates as datetime64 (shown with ``date_pattern``), yes/no as words, every missing cell "—".
    Column names and row order are kept."""
    lang = normalise_language(lang)
    out = {}
    for col, kind in column_kinds(df, kinds).items():
        s = df[col]
        if kind in DATE_SKELETONS:
            out[col] = pd.to_datetime(s.map(lambda v: None if is_missing(v) else v), errors="coerce")
            continue
        if kind in ("text", "figure"):
            out[col] = [DASH if is_missing(v) else str(v) for v in s]
            continue
        cache: dict = {}
        vals = []
        for v in s:
            key = (type(v), v) if not is_missing(v) else None
            if key not in cache:
                cache[key] = fmt_value(v, lang, kind)
            vals.append(cache[key])
        out[col] = vals
    res = pd.DataFrame(out, index=df.index)
    res.columns = df.columns
    return res


def numeric_like(kind: str) -> bool:
    """Kinds shown right-aligned (figures)."""
    return kind in DECIMALS or kind == "figure"


# --- data codes and English data words, in the UI language -----------------------------------------
def slug(value) -> str:
    """A data value as a catalog key: ``"Korçë County"`` -> ``korce_county``, ``"youth council set-up"``
    -> ``youth_council_set_up``, ``"%"`` -> ``percent``."""
    from hub.i18n import fold
    return re.sub(r"[^a-z0-9]+", "_", fold(str(value).replace("%", " percent "))).strip("_")


def code_label(prefix: str, value, lang: str | None) -> str:
    """The catalog's word for a data code or English data value (``<prefix>.<slug>``), e.g.
    ``code_label("helpdesk.topic", "youth council set-up", "mk")``; a value the catalog does not
    know is shown as written (the data's own text is the fallback), a missing one as "—"."""
    if is_missing(value):
        return DASH
    from hub.i18n import has_key
    key = f"{prefix}.{slug(value)}"
    return t(key, lang) if has_key(key, "en") else str(value)


def unit_label(unit, lang: str | None) -> str:
    """An indicator's unit (``per 10,000``, ``cases/yr``) in ``lang``; "" when there is none."""
    return "" if is_missing(unit) or not str(unit).strip() else code_label("display.unit", unit, lang)


def region_label(region, lang: str | None) -> str:
    return code_label("display.region", region, lang)


def result_label(text, lang: str | None) -> str:
    """A fund result's indicator text (``officials trained``) in ``lang``."""
    return code_label("display.result", text, lang)


def action_label(action, lang: str | None) -> str:
    """An audit action code (``sign_in_ok``) as words."""
    return code_label("display.action", action, lang)


def fmt_indicator(value, unit, lang: str | None, decimals: int = 1) -> str:
    """An indicator value with its unit's convention: a 0/1 indicator reads yes/no, not "1,0"."""
    if not is_missing(unit) and slug(unit) == "0_1":
        return yes_no(value, lang)
    return fmt_value(value, lang, "score" if decimals == 1 else "count" if decimals == 0 else "decimal")
