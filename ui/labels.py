"""Words for codes on a page, in the page's language.

- ``label(prefix, code, lang)``: the catalog's ``<prefix>.<code>`` (the first of several prefixes that
  has it), else ``fallback(code)`` — the code as it is unless the page says otherwise (``humanise``).
- ``labeller(prefix, lang)``: the same as a function of the code, for a ``format_func``, a chart or a
  column (``theme_label = ui.labels.labeller("fund.theme", lang)``).
- ``data_labeller(prefix, lang)``: English data values (help-desk topics, event kinds) through
  ``hub.display.code_label`` (keys from the value's slug, "—" when missing).
- ``heading(prefix, lang)`` and ``headed(df, prefix, lang)``: a table's column codes as its headings
  (``<prefix>.<column>``, e.g. ``events.col``).

The language is passed, not read: a ``format_func`` may be called between script runs.
"""
from __future__ import annotations

from typing import Callable, Iterable

import pandas as pd

from hub import display, i18n


def humanise(code: str) -> str:
    """A code the catalog does not know, readable: ``youth_share`` -> ``youth share``."""
    return code.replace("_", " ")


def label(prefix: str | Iterable[str], code, lang: str, *, fallback: Callable | None = None):
    """The catalog's word for ``code`` under ``prefix`` (a prefix or several, tried in order) in ``lang``;
    ``fallback(code)`` where no catalog has it (default: ``code`` as it is)."""
    for p in (prefix,) if isinstance(prefix, str) else prefix:
        key = f"{p}.{code}"
        if i18n.has_key(key, "en"):
            return i18n.t(key, lang)
    return code if fallback is None else fallback(code)


def labeller(prefix: str | Iterable[str], lang: str, *, fallback: Callable | None = None) -> Callable:
    """``label`` bound to a prefix and a language: a function of the code."""
    prefix = prefix if isinstance(prefix, str) else tuple(prefix)
    return lambda code: label(prefix, code, lang, fallback=fallback)


def data_labeller(prefix: str, lang: str) -> Callable[[object], str]:
    """A function of a data value: its catalog word under ``prefix`` (``hub.display.code_label``)."""
    return lambda value: display.code_label(prefix, value, lang)


def heading(prefix: str, lang: str) -> Callable[[str], str]:
    """A function of a column code: its heading ``<prefix>.<code>`` in ``lang`` (for ``ui.table(labels=)``)."""
    return lambda column: i18n.t(f"{prefix}.{column}", lang)


def headed(df: pd.DataFrame, prefix: str, lang: str) -> pd.DataFrame:
    """``df`` with every column renamed to its heading ``<prefix>.<code>`` (a download's or a chart's table)."""
    return df.rename(columns=heading(prefix, lang))
