"""The recommendation lists shared by the city profile and the help desk (stream know, issue 16)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.session import t
from ui.session import md
from ui.widgets import download_buttons


def recommendation_tables(recs: pd.DataFrame, name: str) -> None:
    """Practices (with their city), then partners: each with its reason as readable text, and the
    list as a CSV/Excel download."""
    if recs is None or recs.empty:
        st.info(t("recommend.none"))
        return
    for kind, title in (("practice", "recommend.practices"), ("actor", "recommend.actors")):
        part = recs[recs["kind"] == kind]
        if part.empty:
            continue
        st.markdown(f"**{t(title)}**")
        with st.container(border=True):
            for r in part.itertuples(index=False):
                head = r.title + (f" — {r.city}" if isinstance(r.city, str) and r.city else "")
                st.markdown(f"**{md(head)}**")
                extra = " · ".join(x for x in (r.contact, r.link) if isinstance(x, str) and x)
                st.caption(md(r.reason) + (f"  \n{md(extra)}" if extra else ""))
        shown = pd.DataFrame({
            t("recommend.col_item"): part["title"],
            **({t("recommend.col_city"): part["city"]} if kind == "practice" else {}),
            t("recommend.col_why"): part["reason"],
            t("recommend.col_contact"): part["contact"],
        })
        download_buttons(shown, f"{name}-{kind}s", key=f"{name}-{kind}")
