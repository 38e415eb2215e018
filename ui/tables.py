"""Long tables a page at a time: the browser gets the rows a person reads, not thousands.

``paged_dataframe(df, key)`` draws ``st.dataframe`` of one page of ``df`` (``PAGE_SIZE`` rows) with a
page picker bound to ``?<key>_page=`` (a shared link opens the same page) and a caption saying which
rows are shown; tables that fit on one page are drawn as they are. The page picker reruns only the
table (``st.fragment``). The page's download buttons keep the whole table.

Measured (bench/notes.md): the fund results (3,904 rows) were ~0.5 MB of Arrow on every load of the
fund page and the events table (2,000 rows) ~0.29 MB.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from hub import i18n
from ui import filters
from ui.session import lang, t

PAGE_SIZE = 100


def paged_dataframe(df: pd.DataFrame, key: str, *, page_size: int = PAGE_SIZE, **kwargs) -> None:
    """``st.dataframe(df, **kwargs)``, ``page_size`` rows at a time."""
    if len(df) <= page_size:
        st.dataframe(df, **kwargs)
        return
    _paged(df, key, page_size, kwargs)


@st.fragment
def _paged(df: pd.DataFrame, key: str, page_size: int, kwargs: dict) -> None:
    pages = -(-len(df) // page_size)
    page = int(filters.select(f"{key}_page", t("tables.page", pages=pages), [str(p) for p in range(1, pages + 1)],
                              default="1", sidebar=False) or 1)
    first = (page - 1) * page_size
    shown = df.iloc[first:first + page_size]
    st.dataframe(shown, **kwargs)
    language = lang()
    st.caption(t("tables.showing", first=i18n.fmt_number(first + 1, language),
                 last=i18n.fmt_number(first + len(shown), language), total=i18n.fmt_number(len(df), language)))
