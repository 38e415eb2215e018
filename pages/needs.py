"""Needs and priorities (hub management): the need ranking with rank intervals, a heat map of
cities × dimensions, priority themes, and a what-if over dimension weights that never touches
the stored scores."""
import ui

viewer = ui.require_viewer("needs")

import math  # noqa: E402

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from hub import i18n  # noqa: E402
from hub.charts import needs as charts  # noqa: E402
from hub.charts.needs import dimension_label, theme_label  # noqa: E402
from hub.labels import COUNTRIES, city_names, country_name, country_names  # noqa: E402
from hub.queries import needs as q  # noqa: E402
from hub.queries.overview import periods as period_list  # noqa: E402

lang = ui.lang()
PAGE_SIZE = 50
MOVERS = 10


ui.page_header(ui.t("needs.title"), ui.t("needs.intro"))

periods = list(ui.cached_query(period_list, viewer)["period"])
period = ui.filters.select("period", ui.t("needs.filter.period"), periods[::-1],
                           default=periods[-1] if periods else None)
countries = ui.filters.multiselect("country", ui.t("needs.filter.economy"), list(COUNTRIES),
                                   format_func=lambda c: country_name(c, lang))
dims = list(ui.cached_query(q.dimensions, viewer)["dimension"])
dimension = ui.filters.select("dimension", ui.t("needs.filter.dimension"), dims,
                              format_func=lambda d: dimension_label(d, lang), all_label=ui.t("needs.filter.all_dimensions"))

rank = ui.cached_query(q.ranking, viewer, period=period, countries=tuple(countries), dimension=dimension)
# The ranking's page (its number box, in the ranking tab) also picks the heat map's cities.
pages = max(1, math.ceil(len(rank) / PAGE_SIZE))
page = min(int(st.session_state.get("rank-page") or 1), pages)
page_rows = rank.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
tab_rank, tab_heat, tab_prio, tab_whatif = ui.tabs(
    ["needs.tab.ranking", "needs.tab.heatmap", "needs.tab.priorities", "needs.tab.whatif"], key="tab")

# --- ranking -------------------------------------------------------------------------------------
with tab_rank:
    if tab_rank.open:   # only the open tab runs and is sent
        if not ui.empty_state(rank):
            st.caption(ui.t("needs.ranking_summary", n=len(rank), uncertain=int(rank["rank_uncertain"].sum()),
                            incomplete=int(rank["flagged"].sum()), period=period))
            if pages > 1:
                page = int(st.number_input(ui.t("needs.page", pages=pages), min_value=1, max_value=pages, value=1,
                                           step=1, key="rank-page"))
            page_rows = rank.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
            shown_dims = [dimension] if dimension else [d for d in dims if d in rank.columns]
            table = pd.DataFrame({
                ui.t("needs.col.rank"): page_rows["rank"].astype("Int64"),
                ui.t("needs.col.city"): city_names(page_rows, lang),
                ui.t("needs.col.economy"): country_names(page_rows["country"], lang),
                ui.t("needs.col.score"): page_rows["score"],
                ui.t("needs.col.interval"): [
                    f"{i18n.fmt_number(a, lang)}–{i18n.fmt_number(b, lang)}" if pd.notna(a) and pd.notna(b) else "—"
                    for a, b in zip(page_rows["rank_p05"], page_rows["rank_p95"])],
                ui.t("needs.col.uncertain"): [ui.t("needs.rank_uncertain") if u else "" for u in page_rows["rank_uncertain"]],
                ui.t("needs.col.coverage"): page_rows["coverage"],
                ui.t("needs.col.flag"): [ui.t("needs.incomplete") if f else "" for f in page_rows["flagged"]],
            })
            for d in shown_dims:
                table[dimension_label(d, lang)] = page_rows[d]
            ui.table(table, kinds={ui.t("needs.col.score"): "score", ui.t("needs.col.coverage"): "percent",
                                   **{dimension_label(d, lang): "score" for d in shown_dims}})
            st.caption(ui.t("needs.ranking_legend"))
            ui.kosovo_caption(page_rows["country"], lang)
            ui.download_buttons(rank, f"need_ranking_{period}")

# --- heat map ----------------------------------------------------------------------------------------
with tab_heat:
    if tab_heat.open:   # only the open tab runs and is sent
        hdims = [d for d in dims if d in page_rows.columns]
        if not ui.empty_state(page_rows if hdims else None):
            st.caption(ui.t("needs.heatmap_caption", n=len(page_rows)))
            st.plotly_chart(charts.heatmap(page_rows, hdims, city_names(page_rows, lang), lang),
                            key="chart-heatmap")
            ui.kosovo_caption(page_rows["country"], lang)

# --- priority themes -----------------------------------------------------------------------------------
with tab_prio:
    if tab_prio.open:   # only the open tab runs and is sent
        st.subheader(ui.t("needs.section.themes"))
        themes = ui.cached_query(q.theme_firsts, viewer, period=period, countries=tuple(countries))
        if not ui.empty_state(themes):
            st.plotly_chart(charts.theme_firsts(themes, lang), key="chart-themes")
            ui.table(pd.DataFrame({
                ui.t("needs.col.theme"): [theme_label(x, lang) for x in themes["theme"]],
                ui.t("needs.col.stated_first"): themes["stated_first"],
                ui.t("needs.col.scored_first"): themes["scored_first"],
            }))
            ui.download_buttons(themes, f"priority_themes_{period}")
        st.subheader(ui.t("needs.section.city_priorities"))
        if not ui.empty_state(rank):
            names = dict(zip(rank["municipality_code"], city_names(rank, lang)))
            order = i18n.sorted_names(names, key=names.get)
            code = ui.filters.select("city", ui.t("needs.filter.city"), order, default=rank["municipality_code"].iloc[0],
                                     format_func=lambda c: names.get(c, c), sidebar=False)
            prio = ui.cached_query(q.city_priorities, viewer, period=period, municipality_code=code)
            if not ui.empty_state(prio):
                st.plotly_chart(charts.city_priorities(prio, lang, names.get(code, code)), key="chart-city-priorities")
                ui.table(pd.DataFrame({
                    ui.t("needs.col.theme"): [theme_label(x, lang) for x in prio["theme"]],
                    ui.t("needs.col.stated_rank"): prio["stated_rank"].astype("Int64"),
                    ui.t("needs.col.measured_need"): prio["need"],
                    ui.t("needs.col.priority"): prio["score"],
                    ui.t("needs.col.priority_rank"): prio["rank"].astype("Int64"),
                }), kinds={ui.t("needs.col.measured_need"): "percent", ui.t("needs.col.priority"): "score"})
                ui.download_buttons(prio, f"priorities_{code}_{period}")

# --- what-if ------------------------------------------------------------------------------------------------
with tab_whatif:
    if tab_whatif.open:   # only the open tab runs and is sent
        st.caption(ui.t("needs.whatif_intro"))
        defaults = ui.cached_query(q.default_weights, viewer)
        defaults = defaults[defaults["dimension"].isin(dims)]
        if not ui.empty_state(defaults if len(rank) else None):
            cols = st.columns(min(3, len(defaults)))
            weights = []
            for i, r in enumerate(defaults.itertuples()):
                w = cols[i % len(cols)].slider(dimension_label(r.dimension, lang), min_value=0.0, max_value=3.0,
                                               value=float(r.weight), step=0.25, key=f"w-{r.dimension}")
                weights.append((r.dimension, float(w)))
            if sum(w for _, w in weights) <= 0:
                st.warning(ui.t("needs.whatif_zero"))
            else:
                wi = ui.cached_query(q.what_if, viewer, period=period, weights=tuple(weights), countries=tuple(countries))
                if not ui.empty_state(wi):
                    moved = wi[wi["shift"].fillna(0) != 0]
                    st.metric(ui.t("needs.metric.moved"), i18n.fmt_number(len(moved), lang))
                    top = moved.reindex(moved["shift"].abs().sort_values(ascending=False).index).head(MOVERS)
                    if len(top):
                        st.plotly_chart(charts.movers(top, city_names(top, lang), lang),
                                        key="chart-movers")
                    shown = wi.head(PAGE_SIZE)
                    ui.table(pd.DataFrame({
                        ui.t("needs.col.city"): city_names(shown, lang),
                        ui.t("needs.col.economy"): country_names(shown["country"], lang),
                        ui.t("needs.col.rank_old"): shown["rank"].astype("Int64"),
                        ui.t("needs.col.rank_new"): shown["rank_new"].astype("Int64"),
                        ui.t("needs.col.shift"): shown["shift"].astype("Int64"),
                        ui.t("needs.col.score"): shown["score"],
                        ui.t("needs.col.score_new"): shown["score_new"],
                    }), kinds={ui.t("needs.col.score"): "score", ui.t("needs.col.score_new"): "score"})
                    if len(wi) > PAGE_SIZE:
                        st.caption(ui.t("needs.whatif_more", shown=PAGE_SIZE, n=len(wi)))
                    ui.kosovo_caption(wi["country"], lang)
                    ui.download_buttons(wi, f"what_if_{period}")
