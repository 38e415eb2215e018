"""Youth engagement: youth indicators by city and economy, their trend, and what a youth council goes with."""
import ui

viewer = ui.require_viewer("youth")

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from hub import i18n  # noqa: E402
from hub.charts import youth as charts  # noqa: E402
from hub.labels import COUNTRIES, city_names, country_name, country_names  # noqa: E402
from hub.queries import youth as q  # noqa: E402

lang = ui.lang()
COUNCIL = q.COUNCIL

ui.page_header(ui.t("nav.youth"), ui.t("youth.intro"))  # the page is called what the menu calls it


ind = ui.labels.labeller("youth.ind", lang)


periods = ui.cached_query(q.periods, viewer)["period"].astype(str).tolist()
st.sidebar.header(ui.t("youth.filters"))
period = ui.filters.select("period", ui.t("youth.filter.period"), periods[::-1],
                           default=periods[-1] if periods else None)
countries = ui.filters.multiselect("country", ui.t("youth.filter.country"), list(COUNTRIES),
                                   format_func=lambda c: country_name(c, lang))
filters = {"countries": countries} if countries else {}

if not period:
    ui.empty_state(None)
    st.stop()

trend = ui.cached_query(q.trend, viewer, **filters)
now = trend[trend["period"].astype(str) == period].set_index("indicator_code")
if ui.empty_state(now):
    st.stop()


# --- headline: averages across the selected cities --------------------------------
st.caption(ui.t("youth.headline_note", period=ui.md(period)))
ui.metrics(now["mean"], [
    ui.Figure(COUNCIL, ui.t("youth.metric.council"), "percent", 1),
    ui.Figure("youth_share", ui.t("youth.metric.share"), decimals=1),
    ui.Figure("youth_reached", ui.t("youth.metric.reached"), decimals=1),
    ui.Figure("youth_in_decision_making", ui.t("youth.metric.decision"), decimals=1),
    ui.Figure("youth_unemployment", ui.t("youth.metric.unemployment"), decimals=1),
])

indicator = ui.filters.select("indicator", ui.t("youth.filter.indicator"), list(q.YOUTH_INDICATORS),
                              default=COUNCIL, format_func=ind)
percent = indicator == COUNCIL

# --- four views, each built and sent only while open (ui.tabs) -------------------------------------
tab_economies, tab_trend, tab_council, tab_cities = ui.tabs(
    ["youth.tab.economies", "youth.tab.trend", "youth.tab.council", "youth.tab.cities"], key="tab")

# --- economies side by side ---------------------------------------------------------
with tab_economies:
    if tab_economies.open:   # only the open tab runs and is sent
        st.subheader(ui.t("youth.section.economies"))
        eco = ui.cached_query(q.by_economy, viewer, period=period, **filters)
        if not ui.empty_state(eco):
            one = eco[eco["indicator_code"] == indicator].dropna(subset=["mean"])
            if len(one):
                st.plotly_chart(charts.economies(one, country_names(one["country"], lang), ind(indicator),
                                                 lang, percent=percent), width="stretch")
            wide = eco.pivot_table(index="country", columns="indicator_code", values="mean", aggfunc="first")
            wide = wide.reindex(columns=[c for c in q.YOUTH_INDICATORS if c in wide.columns])
            if COUNCIL in wide.columns:
                wide[COUNCIL] = wide[COUNCIL] * 100   # share of cities, in %
            n = eco.groupby("country")["cities"].max().rename(ui.t("youth.col.cities"))
            table = pd.concat([n, wide.round(1)], axis=1).reset_index()
            table["country"] = country_names(table["country"], lang)
            table = table.rename(columns={"country": ui.t("youth.col.country"),
                                          **{k: ind(k) for k in q.YOUTH_INDICATORS}})
            ui.table(table, kinds={ind(k): "percent_points" if k == COUNCIL else "score" for k in q.YOUTH_INDICATORS})
            ui.download_buttons(table, f"youth_economies_{period}")
            ui.kosovo_caption(eco["country"], lang)

# --- trend ------------------------------------------------------------------------------
with tab_trend:
    if tab_trend.open:   # only the open tab runs and is sent
        st.subheader(ui.t("youth.section.trend"))
        one = trend[trend["indicator_code"] == indicator].assign(series="__region__")
        eco_all = pd.concat([ui.cached_query(q.by_economy, viewer, period=p, **filters).assign(period=p)
                             for p in periods])
        per_eco = eco_all[eco_all["indicator_code"] == indicator].rename(columns={"country": "series"}) \
            if len(eco_all) else eco_all
        lines = pd.concat([one, per_eco[["period", "series", "mean", "cities"]] if len(per_eco) else per_eco])
        if not ui.empty_state(one):
            st.plotly_chart(charts.trend(lines.dropna(subset=["mean"]),
                                         lambda s: (ui.t("youth.all_selected") if s == "__region__"
                                                    else country_name(s, lang)),
                                         ind(indicator), lang, percent=percent), width="stretch")
            scaled = one[["period", "cities", "mean"]].assign(mean=one["mean"] * (100 if percent else 1))
            table = scaled.rename(columns={
                "period": ui.t("youth.col.period"), "cities": ui.t("youth.col.cities"), "mean": ind(indicator)})
            ui.table(table, kinds={ui.t("youth.col.period"): "year",
                                   ind(indicator): "percent_points" if percent else "score"})
            ui.download_buttons(table, f"youth_trend_{indicator}")

# --- with a youth council against without ---------------------------------------------
with tab_council:
    if tab_council.open:   # only the open tab runs and is sent
        st.subheader(ui.t("youth.section.council"))
        st.caption(ui.t("youth.council_note"))
        cc = ui.cached_query(q.council_comparison, viewer, period=period, **filters)
        if not ui.empty_state(cc):
            st.plotly_chart(charts.council(cc, ind, lang), width="stretch")
            wide = cc.pivot_table(index="indicator_code", columns="has_council", values=["mean", "cities"],
                                  aggfunc="first")
            table = pd.DataFrame({
                ui.t("youth.col.indicator"): [ind(c) for c in wide.index],
                ui.t("youth.with_council"): wide[("mean", True)].round(1).values if ("mean", True) in wide else None,
                ui.t("youth.without_council"): (wide[("mean", False)].round(1).values if ("mean", False) in wide
                                                else None),
                ui.t("youth.col.cities_with"): wide[("cities", True)].values if ("cities", True) in wide else 0,
                ui.t("youth.col.cities_without"): wide[("cities", False)].values if ("cities", False) in wide else 0,
            })
            ui.table(table, kinds={ui.t("youth.with_council"): "score", ui.t("youth.without_council"): "score",
                                   ui.t("youth.col.cities_with"): "count", ui.t("youth.col.cities_without"): "count"})
            ui.download_buttons(table, f"youth_council_{period}")

# --- by city ---------------------------------------------------------------------------
with tab_cities:
    if tab_cities.open:   # only the open tab runs and is sent
        st.subheader(ui.t("youth.section.cities"))
        cities = ui.cached_query(q.by_city, viewer, period=period, **filters)
        if not ui.empty_state(cities):
            search = st.text_input(ui.t("youth.search"), key="youth-search")
            names = city_names(cities, lang, "municipality", "municipality_local")
            table = cities.assign(municipality=names, country=country_names(cities["country"], lang),
                                  youth_council=cities[COUNCIL].map(lambda v: None if pd.isna(v) else bool(v >= 0.5)))
            if search:
                needle = i18n.fold(search)
                keep = [needle in i18n.fold(n) or needle in i18n.fold(nl) for n, nl in
                        zip(cities["municipality"], cities["municipality_local"].fillna(""))]
                table = table[keep]
            table = table.drop(columns=["municipality_code", "municipality_local"])
            table = table.sort_values("municipality", key=i18n.name_order, kind="stable")
            table = table.rename(columns={"municipality": ui.t("youth.col.municipality"),
                                          "country": ui.t("youth.col.country"),
                                          **{k: ind(k) for k in q.YOUTH_INDICATORS},
                                          COUNCIL: ui.t("youth.col.council")})
            ui.table(table, kinds={ind(k): "score" for k in q.YOUTH_INDICATORS if k != COUNCIL},
                     page="cities")
            ui.download_buttons(table, f"youth_cities_{period}")
            ui.kosovo_caption(cities["country"], lang)
