"""The overview's action list and change markers: the signed-in user's last visit and the item
tables (formatting only; the items come from ``hub.queries.alerts``)."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from hub import i18n
from hub.access import Viewer
from hub.alerts import text
from ui.tables import table


def last_visit(viewer: Viewer, page: str) -> datetime | None:
    """The user's visit before this session (None on a first visit), recorded once per session,
    so the markers stay put while the user works on the page."""
    key = f"_last_visit_{page}"
    if key not in st.session_state:
        from hub.alerts.visits import touch
        st.session_state[key] = touch(viewer.username, page)
    return st.session_state[key]


def overview_items(viewer: Viewer) -> tuple[datetime | None, pd.DataFrame, pd.DataFrame | None]:
    """(the user's last visit, change items, action items or None for a donor), each marked
    ``new`` for this user. The items are cached per scope, day and data version, not per visit:
    every new session has a new last visit, and keying on it recomputed both lists each time."""
    from hub.queries import alerts as qa
    visited = last_visit(viewer, "overview")
    changes, actions = overview_lists(viewer)
    return visited, qa.mark_new(changes, visited), (qa.mark_new(actions, visited) if actions is not None else None)


def overview_lists(viewer: Viewer) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The overview's change items and (hub staff) action items, through the cache; called from a
    page run, or from ``ui.prefetch`` right after a sign-in."""
    from hub.queries import alerts as qa
    from ui.cache import cached_query
    changes = cached_query(qa.change_items, viewer)
    return changes, (cached_query(qa.action_list, viewer, today=qa.utc_today().isoformat()) if viewer.is_hub else None)


def item_table(items: pd.DataFrame, lang: str, t, *, action: bool = True, marker: bool | None = None) -> pd.DataFrame:
    """Rows for ``st.dataframe``: the new marker (when any row is new, or ``marker``: any row of the
    whole list, when ``items`` is one page of it), the relative link that opens the page on the
    item, the sentence, the place, when it fell due and days overdue (action items)."""
    rows = items.to_dict("records")
    out = {}
    if marker if marker is not None else any(r.get("new") for r in rows):   # the marker column only where something is new
        out[t("alerts.col.new")] = ["●" if r.get("new") else "" for r in rows]
    out[t("alerts.col.open")] = [text.link(r, lang, base="") for r in rows]   # first: visible on a phone
    out[t("alerts.col.item")] = [text.describe(r, lang) for r in rows]
    out[t("alerts.col.place")] = [text.place(r, lang) for r in rows]
    if action:
        out[t("alerts.col.due_on")] = [i18n.fmt_date(r["due_on"], lang) for r in rows]
        out[t("alerts.col.days")] = [int(r["days_overdue"]) for r in rows]
    return pd.DataFrame(out)


def show_items(items: pd.DataFrame, rules, lang: str, t, *, action: bool = True, key: str = "alerts") -> None:
    """One expander per rule with items (opened when it holds something new), each a table a page
    at a time (``?<key>_<rule>_page=``), its rows built for the page shown only. The counts come from
    one pass over ``items``; a rule's rows are picked out only when its expander is open."""
    counts = items.groupby("rule", sort=False)["new"].agg(["size", "sum"])
    for rule in rules:
        if rule not in counts.index:
            continue
        size, fresh = (int(n) for n in counts.loc[rule])
        label = f"{text.rule_title(rule, lang)} ({i18n.fmt_number(size, lang)})"
        if fresh:
            label += f" · {t('alerts.new_marker')}: {i18n.fmt_number(fresh, lang)}"
        # Opened only on demand: a closed expander's table is neither built nor sent (15,413 items at 100×).
        box = st.expander(label, expanded=bool(fresh), key=f"open-{key}-{rule}", on_change="rerun")
        with box:
            if not box.open:
                continue
            table(items[items["rule"] == rule], kinds={t("alerts.col.open"): "text"},
                  rows=lambda part, marker=bool(fresh): item_table(part, lang, t, action=action, marker=marker),
                  key=f"{key}-{rule}", page=f"{key}_{rule}", column_config={
                             t("alerts.col.new"): st.column_config.TextColumn(width="small"),
                             t("alerts.col.item"): st.column_config.TextColumn(width="large"),
                             t("alerts.col.open"): st.column_config.LinkColumn(
                                 display_text=t("alerts.col.open_link"), width="small")})
