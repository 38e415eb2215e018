"""Small shared widgets: demo notice, empty state, table downloads."""
from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from hub.exports import to_csv_bytes, to_xlsx_bytes
from ui.session import current_viewer, t


MD_SPECIAL = set("\\`*_{}[]()#+-.!<>|~$")


def page_header(title: str, intro: str | None = None) -> None:
    """The top of every page: its title, the demo and stale-score notices, then its one-line intro."""
    st.title(title)
    demo_notice()
    if intro:
        st.caption(intro)


def demo_notice() -> None:
    """Under every page title: the demo notice, and a notice while scores lag behind a load."""
    from hub.queries.meta import is_demo
    from ui.cache import scores_stale
    if is_demo():
        st.info(t("common.demo_notice"), icon=":material/science:")
    if scores_stale():
        st.warning(t("freshness.scores_stale"), icon=":material/update:")


def empty_state(df: pd.DataFrame | None) -> bool:
    """Say plainly that there is nothing to show; True when the frame is empty."""
    if df is None or len(df) == 0:
        st.info(t("common.no_data"))
        return True
    return False


def _audit_download(filename: str) -> None:
    """Audit one download as the viewer of the run the click starts (resolved then, not on every
    draw: a viewer lookup per pair of buttons was a fifth of the city page's rerun)."""
    from hub.audit import audit
    viewer = current_viewer()
    audit(viewer.username if viewer else None, "download", filename)


def download_buttons(df: pd.DataFrame, name: str, key: str | None = None) -> None:
    """CSV and Excel downloads of a table, formulas neutralised, each download audited."""
    key = key or name
    c1, c2 = st.columns(2)
    c1.download_button(
        # Built only when clicked, like the Excel file: a 5,000-row CSV costs ~0.1 s per rerun.
        t("common.download_csv"), partial(to_csv_bytes, df), file_name=f"{name}.csv", mime="text/csv",
        key=f"dl-csv-{key}", on_click=_audit_download, args=(f"{name}.csv",),
    )
    c2.download_button(
        # Built only when clicked: an Excel file of a 500-row table takes over a second to write.
        t("common.download_xlsx"), partial(to_xlsx_bytes, df, name), file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"dl-xlsx-{key}", on_click=_audit_download, args=(f"{name}.xlsx",),
    )


def kosovo_caption(countries, lang: str) -> None:
    """The Kosovo footnote under a map or table whose ``countries`` name it (none when the
    designation setting is plain)."""
    from hub.labels import kosovo_footnote, mentions_kosovo
    if mentions_kosovo(countries):
        note = kosovo_footnote(lang)
        if note:
            st.caption(note)


def chart(fig, name: str, data: pd.DataFrame | None = None) -> None:
    """A Plotly chart whose modebar downloads it as ``<name>.png`` (2x scale), and the CSV of the data
    behind it (formulas neutralised, audited) right under it."""
    from hub.audit import audit
    st.plotly_chart(fig, width="stretch", key=f"chart-{name}", config={
        "displaylogo": False, "displayModeBar": True,
        "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
    })
    if data is not None:
        viewer = current_viewer()
        st.download_button(t("common.download_csv"), partial(to_csv_bytes, data), file_name=f"{name}.csv",
                           mime="text/csv", key=f"dl-chart-{name}", icon=":material/download:",
                           on_click=audit, args=(viewer.username if viewer else None, "download", f"{name}.csv"))


def tabs(names: list[str], key: str, default: str | None = None) -> list:
    """``st.tabs`` whose hidden tabs do not run: each tab's ``.open`` says whether it is the one shown
    (wrap its content in ``if tab.open:``), switching tabs reruns the page, and the open tab is kept
    in the URL (``?<key>=<label>``, so a shared link opens on it). ``names`` (and ``default``) are the
    tabs' catalog keys: a label of another language (a link shared by someone reading another
    language, or a language switched on this page) opens the same tab in this one. A page of nine
    tabs otherwise builds and sends all nine on every run."""
    from hub import i18n
    from ui.session import lang
    here = lang()
    labels = [i18n.t(name, here) for name in names]
    asked = st.query_params.get(key) or st.session_state.get(key)   # the URL's (a link's) first
    if asked is not None and asked not in labels:
        same = next((label for name, label in zip(names, labels)
                     if any(i18n.t(name, other) == asked for other in i18n.LANGUAGES)), None)
        if same is not None:
            st.session_state[key] = same      # the widget's value (the URL follows it; it may not be set)
    return st.tabs(labels, key=key, default=i18n.t(default, here) if default else None, on_change="rerun",
                   bind="query-params")
