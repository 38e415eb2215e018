"""The recommendation tables shared by the city profile and the help desk (stream know, issue 16)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.session import t
from ui.widgets import download_buttons


def recommendation_tables(recs: pd.DataFrame, name: str) -> None:
    """Practices (with their city), then partners: what, why, whom to contact; CSV/Excel of each."""
    if recs is None or recs.empty:
        st.info(t("recommend.none"))
        return
    for kind, title in (("practice", "recommend.practices"), ("actor", "recommend.actors")):
        part = recs[recs["kind"] == kind]
        if part.empty:
            continue
        st.markdown(f"**{t(title)}**")
        shown = pd.DataFrame({
            t("recommend.col_item"): part["title"],
            **({t("recommend.col_city"): part["city"]} if kind == "practice" else {}),
            t("recommend.col_why"): part["reason"],
            t("recommend.col_contact"): part["contact"],
        })
        st.dataframe(shown, hide_index=True, width="stretch")
        download_buttons(shown, f"{name}-{kind}s", key=f"{name}-{kind}")
