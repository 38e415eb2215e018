"""Events and participation: the roundtables and workshops, who came, and which cities keep coming."""
import ui

viewer = ui.require_viewer("events")

import streamlit as st  # noqa: E402

from hub import display, i18n  # noqa: E402
from hub.charts import events as charts  # noqa: E402
from hub.labels import city_names, country_name  # noqa: E402
from hub.queries import events as q  # noqa: E402

lang = ui.lang()

st.title(ui.t("nav.events"))  # the page is called what the menu calls it
ui.demo_notice()
st.caption(ui.t("events.intro"))


def label(kind: str, value) -> str:
    return display.code_label(f"events.{kind}", value, lang)


opts = ui.cached_query(q.filter_options, viewer)


def _values(kind: str) -> list[str]:
    return opts.loc[opts["kind"] == kind, "value"].tolist()


st.sidebar.header(ui.t("events.filters"))
filters = {
    "kinds": ui.filters.multiselect("kind", ui.t("events.filter.kind"), _values("kind"),
                                    format_func=lambda v: label("kind", v)),
    "years": ui.filters.multiselect("year", ui.t("events.filter.year"), _values("year")),
    "languages": ui.filters.multiselect("language", ui.t("events.filter.language"), _values("language"),
                                        format_func=lambda v: label("language", v)),
}
filters = {k: v for k, v in filters.items() if v}

head = ui.cached_query(q.headline, viewer, **filters)
if ui.empty_state(head if int(head.at[0, "events"]) else None):
    st.stop()
h = head.iloc[0]

c = st.columns(5)
c[0].metric(ui.t("events.metric.events"), i18n.fmt_number(int(h["events"]), lang))
c[1].metric(ui.t("events.metric.participants"), i18n.fmt_number(int(h["participants"]), lang))
c[2].metric(ui.t("events.metric.mayors_engaged"), i18n.fmt_number(int(h["mayors_engaged"]), lang),
            help=ui.t("events.help.mayors_engaged"))
c[3].metric(ui.t("events.metric.cities_reached"), i18n.fmt_number(int(h["cities_reached"]), lang))
c[4].metric(ui.t("events.metric.repeat_cities"), i18n.fmt_number(int(h["repeat_cities"]), lang),
            help=ui.t("events.help.repeat_cities"))

# --- the events -------------------------------------------------------------------
st.subheader(ui.t("events.section.events"))
ev = ui.cached_query(q.events, viewer, **filters)
if not ui.empty_state(ev):
    st.plotly_chart(charts.over_time(ev, lambda k: label("kind", k), lang), width="stretch")
    table = ev.assign(kind=[label("kind", k) for k in ev["kind"]],
                      language=[label("language", v) for v in ev["language"]],
                      virtual=ev["virtual"].astype(bool))
    table = table.rename(columns={k: ui.t(f"events.col.{k}") for k in table.columns})
    ui.table(table, page="events")
    ui.download_buttons(table, "events")

# --- participants by role and language ---------------------------------------------
st.subheader(ui.t("events.section.participants"))
pb = ui.cached_query(q.participants_by, viewer, **filters)
if not ui.empty_state(pb):
    st.plotly_chart(charts.participants(pb, lambda r: label("role", r), lambda v: label("language", v), lang),
                    width="stretch")
    wide = pb.assign(role=[label("role", r) for r in pb["role"]],
                     language=[label("language", v) for v in pb["language"]])
    wide = wide.pivot_table(index="role", columns="language", values="participants", aggfunc="sum",
                            fill_value=0)
    wide[ui.t("events.col.total")] = wide.sum(axis=1)
    wide = wide.sort_values(ui.t("events.col.total"), ascending=False).rename_axis(None, axis=1)
    table = wide.reset_index().rename(columns={"role": ui.t("events.col.role")})
    ui.table(table)
    ui.download_buttons(table, "events_participants")

# --- cities reached and repeat participation ----------------------------------------
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
        country=[country_name(c, lang) for c in cities["country"]],
        mayor_present=cities["mayor_present"].astype(bool),
    ).drop(columns=["municipality_local", "municipality_code"])
    table = table.rename(columns={k: ui.t(f"events.col.{k}") for k in table.columns})
    ui.table(table, page="cities")
    ui.download_buttons(table, "events_cities")
    ui.kosovo_caption(cities["country"], lang)
