"""Regional overview: where the hub stands, for hub management and donors.

Donors get what the query layer gives them: need scores only as economy medians (the quadrant
and the change table at economy level), city-level fund money and non-sensitive layers.
"""
import ui

viewer = ui.require_viewer("overview")

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from hub import i18n  # noqa: E402
from hub.access import MIN_GROUP_SIZE  # noqa: E402
from hub.charts import overview as charts  # noqa: E402
from hub.labels import city_names, country_names  # noqa: E402
from hub.queries import alerts as qa  # noqa: E402
from hub.queries import overview as q  # noqa: E402
from ui import alerts as ui_alerts  # noqa: E402
from ui import map as ui_map  # noqa: E402

lang = ui.lang()
TOP = 10


def layer_label(layer: str) -> str:
    return ui_map.layer_label(layer, lang)


ui.page_header(ui.t("overview.title"), ui.t("overview.intro" if viewer.is_hub else "overview.intro_donor"))

periods = list(ui.cached_query(q.periods, viewer)["period"])
period = ui.filters.select("period", ui.t("overview.filter.period"), periods[::-1],
                           default=periods[-1] if periods else None)

# --- headline figures ---------------------------------------------------------------
head = ui.cached_query(q.headline, viewer, period=period).iloc[0]
absorbed = head["fund_disbursed_eur"] / head["fund_approved_eur"] if head["fund_approved_eur"] else None
ui.metrics(head, [
    ui.Figure("members", ui.t("overview.metric.members")),
    ui.Figure("assessed", ui.t("overview.metric.assessed", period=ui.md(period or "—"))),
    ui.Figure("open_requests", ui.t("overview.metric.open_requests")),
    ui.Figure("median_days_to_resolve", ui.t("overview.metric.median_days"), decimals=1),
    ui.Figure("fund_approved_eur", ui.t("overview.metric.fund_approved"), "money"),
    ui.Figure("fund_disbursed_eur", ui.t("overview.metric.fund_disbursed"), "money",
              help=ui.t("overview.help.absorption", share=i18n.fmt_percent(absorbed, lang))),
], columns=3)

# --- action list (hub management) and changes worth a look, with "new since your last visit" ----------
visited, changes_found, actions = ui_alerts.overview_items(viewer)
if viewer.is_hub or len(changes_found):
    st.subheader(ui.t("alerts.section") if viewer.is_hub else ui.t("alerts.changes_title"))
    st.caption(ui.t("alerts.intro"))
    fresh = int(changes_found["new"].sum()) + (int(actions["new"].sum()) if actions is not None else 0)
    if visited is None:
        st.caption(ui.t("alerts.first_visit"))
    elif fresh:
        st.info(ui.t("alerts.new_since", n=i18n.fmt_number(fresh, lang), date=i18n.fmt_date(visited, lang)),
                icon=":material/fiber_new:")
    if actions is not None:
        if len(actions):
            ui_alerts.show_items(actions, qa.ACTION_RULES, lang, ui.t, key="actions")
        else:
            st.success(ui.t("alerts.none"))
        st.markdown(f"**{ui.t('alerts.changes_title')}**")
    if len(changes_found):
        ui_alerts.show_items(changes_found, qa.CHANGE_RULES, lang, ui.t, action=False, key="changes")
    else:
        st.caption(ui.t("alerts.no_changes"))
    ui.kosovo_caption(pd.concat([changes_found["country"]] + ([actions["country"]] if actions is not None else [])),
                      lang)

# --- the region in four views, each built and sent only while open (ui.tabs) ------------------------
tab_map, tab_economies, tab_changes, tab_quadrant = ui.tabs(
    ["overview.tab.map", "overview.tab.economies", "overview.tab.changes", "overview.tab.quadrant"], key="tab")

# --- regional map ----------------------------------------------------------------------------
with tab_map:
    if tab_map.open:   # only the open tab runs and is sent
        st.subheader(ui.t("overview.section.map"))
        layers = list(ui.cached_query(q.map_layers, viewer)["layer"])
        layer = ui.filters.select("layer", ui.t("overview.filter.layer"), layers, default=ui_map.DEFAULT_LAYER,
                                  format_func=layer_label) or ui_map.DEFAULT_LAYER
        # the map, cached per data, language, boundaries and Kosovo setting
        values, layer_map = ui_map.layer_map(viewer, period, layer, lang)
        if not ui.empty_state(values):
            if (values["level"] == "economy").any():
                st.caption(ui.t("overview.map_economy_level"))
            ui_map.show_map(layer_map, key=f"overview-map-{layer}", open_city=viewer.is_hub)
            ui.kosovo_caption(values["country"], lang)

# --- economies side by side --------------------------------------------------------------------
with tab_economies:
    if tab_economies.open:   # only the open tab runs and is sent
        st.subheader(ui.t("overview.section.economies"))
        eco = ui.cached_query(q.economies, viewer, period=period)
        eco_names = country_names(eco["country"], lang)
        ui.table(pd.DataFrame({
            ui.t("overview.col.economy"): eco_names,
            ui.t("overview.col.members"): eco["members"],
            ui.t("overview.col.assessed"): eco["assessed"],
            ui.t("overview.col.median_need"): eco["median_need"],
            ui.t("overview.col.fund_approved_eur"): eco["fund_approved_eur"],
            ui.t("overview.col.fund_disbursed_eur"): eco["fund_disbursed_eur"],
            ui.t("overview.col.requests"): eco["requests"],
            ui.t("overview.col.open_requests"): eco["open_requests"],
        }), kinds={ui.t("overview.col.median_need"): "score", ui.t("overview.col.fund_approved_eur"): "money",
                   ui.t("overview.col.fund_disbursed_eur"): "money"})
        if not viewer.is_hub:
            st.caption(ui.t("overview.suppressed_note", n=MIN_GROUP_SIZE))
        ui.kosovo_caption(eco["country"], lang)
        ui.download_buttons(eco, "economies")
        if eco["fund_approved_eur"].sum() > 0 or eco["fund_disbursed_eur"].sum() > 0:
            st.plotly_chart(charts.economies_fund(eco, eco_names, lang), key="chart-economies")

# --- what changed since the previous period ---------------------------------------------------------
with tab_changes:
    if tab_changes.open:   # only the open tab runs and is sent
        st.subheader(ui.t("overview.section.changes"))
        if viewer.is_hub:
            ch = ui.cached_query(q.changes, viewer, period=period)
            if not ui.empty_state(ch):
                st.caption(ui.t("overview.changes_caption", previous=ui.md(ch["previous_period"].iloc[0]),
                                period=ui.md(period)))
                rose = ch[ch["delta"] > 0].head(TOP)
                fell = ch[ch["delta"] < 0].sort_values("delta").head(TOP)

                def change_table(df):
                    return pd.DataFrame({
                        ui.t("overview.col.city"): city_names(df, lang),
                        ui.t("overview.col.economy"): country_names(df["country"], lang),
                        ui.t("overview.col.score_previous"): df["score_previous"],
                        ui.t("overview.col.score"): df["score"],
                        ui.t("overview.col.delta"): df["delta"],
                        ui.t("overview.col.rank_change"): [
                            f"{int(a)} → {int(b)}" if pd.notna(a) and pd.notna(b) else "—"
                            for a, b in zip(df["rank_previous"], df["rank"])],
                    })
                # One above the other, full width: side by side, half the columns were cut off.
                change_kinds = {ui.t(f"overview.col.{k}"): "score" for k in ("score_previous", "score", "delta")}
                tab_rose, tab_fell = st.tabs([ui.t("overview.changes_rose"), ui.t("overview.changes_fell")])
                with tab_rose:
                    if not ui.empty_state(rose):
                        ui.table(change_table(rose), kinds=change_kinds)
                with tab_fell:
                    if not ui.empty_state(fell):
                        ui.table(change_table(fell), kinds=change_kinds)
                movers = pd.concat([rose, fell.iloc[::-1]])
                if len(movers):
                    st.plotly_chart(charts.changes(movers, city_names(movers, lang), lang),
                                    key="chart-changes")
                ui.kosovo_caption(movers["country"], lang)
                ui.download_buttons(ch, "need_changes")
        else:
            ech = ui.cached_query(q.economy_changes, viewer, period=period)
            if not ui.empty_state(ech):
                ui.table(pd.DataFrame({
                    ui.t("overview.col.economy"): country_names(ech["country"], lang),
                    ui.t("overview.col.cities"): ech["cities"],
                    ui.t("overview.col.median_previous"): ech["median_previous"],
                    ui.t("overview.col.median_need"): ech["median"],
                    ui.t("overview.col.delta"): ech["delta"],
                }), kinds={ui.t(f"overview.col.{k}"): "score" for k in ("median_previous", "median_need", "delta")})
                ui.kosovo_caption(ech["country"], lang)
                ui.download_buttons(ech, "need_changes_by_economy")

# --- need versus support ------------------------------------------------------------------------------
with tab_quadrant:
    if tab_quadrant.open:   # only the open tab runs and is sent
        st.subheader(ui.t("overview.section.quadrant"))
        st.caption(ui.t("overview.quadrant_caption"))
        if viewer.is_hub:
            quad = ui.cached_query(q.quadrant, viewer, period=period)
            if not ui.empty_state(quad):
                names = city_names(quad, lang)
                st.plotly_chart(charts.quadrant(quad, names, lang), key="chart-quadrant")
                under = quad[quad["underserved"]]
                st.markdown(f"**{ui.t('overview.underserved_title', n=len(under))}**")
                if not ui.empty_state(under):
                    ui.table(pd.DataFrame({
                        ui.t("overview.col.city"): city_names(under, lang),
                        ui.t("overview.col.economy"): country_names(under["country"], lang),
                        ui.t("overview.col.need"): under["need"],
                        ui.t("overview.col.fund_per_1000"): under["fund_per_1000"],
                        ui.t("overview.col.resolved_requests"): under["resolved_requests"],
                        ui.t("overview.col.need_pct"): under["need_pct"],
                        ui.t("overview.col.support_pct"): under["support_pct"],
                        ui.t("overview.col.gap"): under["gap"],
                    }), kinds={ui.t("overview.col.need"): "score", ui.t("overview.col.fund_per_1000"): "money",
                               **{ui.t(f"overview.col.{k}"): "count" for k in ("need_pct", "support_pct", "gap")}})
                    ui.kosovo_caption(under["country"], lang)
                ui.download_buttons(quad, "need_vs_support")
        else:
            equad = ui.cached_query(q.economy_quadrant, viewer, period=period)
            shown = equad.dropna(subset=["need_pct"])
            if not ui.empty_state(shown):
                names = country_names(shown["country"], lang)
                st.plotly_chart(charts.quadrant(shown, names, lang, economies=True), key="chart-quadrant")
            if len(equad):
                ui.table(pd.DataFrame({
                    ui.t("overview.col.economy"): country_names(equad["country"], lang),
                    ui.t("overview.col.median_need"): equad["need"],
                    ui.t("overview.col.fund_per_1000"): equad["fund_per_1000"],
                    ui.t("overview.col.resolved_per_city"): equad["resolved_per_city"],
                    ui.t("overview.col.gap"): equad["gap"],
                }), kinds={ui.t("overview.col.median_need"): "score", ui.t("overview.col.fund_per_1000"): "money",
                           ui.t("overview.col.resolved_per_city"): "score", ui.t("overview.col.gap"): "count"})
                ui.kosovo_caption(equad["country"], lang)
                ui.download_buttons(equad, "need_vs_support_by_economy")
