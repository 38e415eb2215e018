"""Events and participation: the roundtables and workshops, who came, and which cities keep coming."""
import ui

viewer = ui.require_viewer("events")

import streamlit as st  # noqa: E402

from hub.charts import events as charts  # noqa: E402
from hub.labels import city_names, country_names  # noqa: E402
from hub.queries import events as q  # noqa: E402

lang = ui.lang()

ui.page_header(ui.t("nav.events"), ui.t("events.intro"))  # the page is called what the menu calls it

kind_label = ui.labels.data_labeller("events.kind", lang)
language_label = ui.labels.data_labeller("events.language", lang)
role_label = ui.labels.data_labeller("events.role", lang)

filters = ui.filters.sidebar(ui.t("events.filters"), ui.cached_query(q.filter_options, viewer), [
    ("kinds", "kind", ui.t("events.filter.kind"), kind_label),
    ("years", "year", ui.t("events.filter.year")),
    ("languages", "language", ui.t("events.filter.language"), language_label),
])

head = ui.cached_query(q.headline, viewer, **filters)
if ui.empty_state(head if int(head.at[0, "events"]) else None):
    st.stop()
ui.metrics(head.iloc[0], [
    ui.Figure("events", ui.t("events.metric.events")),
    ui.Figure("participants", ui.t("events.metric.participants")),
    ui.Figure("mayors_engaged", ui.t("events.metric.mayors_engaged"), help=ui.t("events.help.mayors_engaged")),
    ui.Figure("cities_reached", ui.t("events.metric.cities_reached")),
    ui.Figure("repeat_cities", ui.t("events.metric.repeat_cities"), help=ui.t("events.help.repeat_cities")),
])

# --- three views, each built and sent only while open (ui.tabs) ------------------------------------
tab_events, tab_participants, tab_cities = ui.tabs(
    ["events.tab.events", "events.tab.participants", "events.tab.cities"], key="tab")

# --- the events -------------------------------------------------------------------
with tab_events:
    if tab_events.open:   # only the open tab runs and is sent
        st.subheader(ui.t("events.section.events"))
        ev = ui.cached_query(q.events, viewer, **filters)
        if not ui.empty_state(ev):
            st.plotly_chart(charts.over_time(ev, kind_label, lang), width="stretch")
            table = ev.assign(kind=[kind_label(k) for k in ev["kind"]],
                              language=[language_label(v) for v in ev["language"]],
                              virtual=ev["virtual"].astype(bool))
            table = ui.labels.headed(table, "events.col", lang)
            ui.table(table, page="events")
            if lang != "en":    # the one title an event has, in whatever language it was entered: say so
                st.caption(ui.t("events.titles_as_entered"))
            ui.download_buttons(table, "events")

# --- participants by role and language ---------------------------------------------
with tab_participants:
    if tab_participants.open:   # only the open tab runs and is sent
        st.subheader(ui.t("events.section.participants"))
        pb = ui.cached_query(q.participants_by, viewer, **filters)
        if not ui.empty_state(pb):
            st.plotly_chart(charts.participants(pb, role_label, language_label, lang), width="stretch")
            wide = pb.assign(role=[role_label(r) for r in pb["role"]],
                             language=[language_label(v) for v in pb["language"]])
            wide = wide.pivot_table(index="role", columns="language", values="participants", aggfunc="sum",
                                    fill_value=0)
            wide[ui.t("events.col.total")] = wide.sum(axis=1)
            wide = wide.sort_values(ui.t("events.col.total"), ascending=False).rename_axis(None, axis=1)
            table = wide.reset_index().rename(columns={"role": ui.t("events.col.role")})
            ui.table(table)
            ui.download_buttons(table, "events_participants")

# --- cities reached and repeat participation ----------------------------------------
with tab_cities:
    if tab_cities.open:   # only the open tab runs and is sent
        st.subheader(ui.t("events.section.cities"))
        repeat_only = st.toggle(ui.t("events.repeat_only"), value=st.query_params.get("repeat") == "1", key="repeat")
        if repeat_only:
            st.query_params["repeat"] = "1"
        elif "repeat" in st.query_params:
            del st.query_params["repeat"]
        cities = ui.cached_query(q.city_reach, viewer, min_events=2 if repeat_only else 1, **filters)
        if not ui.empty_state(cities):
            table = cities.assign(
                municipality=city_names(cities, lang, "municipality", "municipality_local"),
                country=country_names(cities["country"], lang),
                mayor_present=cities["mayor_present"].astype(bool),
            ).drop(columns=["municipality_local", "municipality_code"])
            table = ui.labels.headed(table, "events.col", lang)
            ui.table(table, page="cities")
            ui.download_buttons(table, "events_cities")
            ui.kosovo_caption(cities["country"], lang)
