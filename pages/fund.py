"""Technical Support Fund: where the applications stand, what was approved and paid, and what it achieved."""
import ui

viewer = ui.require_viewer("fund")

import streamlit as st  # noqa: E402

from hub import i18n  # noqa: E402
from hub.charts import fund as charts  # noqa: E402
from hub.labels import city_names, country_name  # noqa: E402
from hub.queries import fund as q  # noqa: E402

PAGE_SIZE = 50
lang = ui.lang()

st.title(ui.t("nav.fund"))  # the page is called what the menu calls it
ui.demo_notice()
st.caption(ui.t("fund.intro"))

# --- filters (sidebar + URL) ---------------------------------------------------
opts = ui.cached_query(q.filter_options, viewer)


def _values(kind: str) -> list[str]:
    return opts.loc[opts["kind"] == kind, "value"].tolist()


def theme_label(code: str) -> str:
    return i18n.t(f"fund.theme.{code}", lang) if i18n.has_key(f"fund.theme.{code}", "en") else code


def status_label(code: str) -> str:
    return i18n.t(f"fund.status.{code}", lang) if i18n.has_key(f"fund.status.{code}", "en") else code


st.sidebar.header(ui.t("fund.filters"))
filters = {
    "countries": ui.filters.multiselect("country", ui.t("fund.filter.country"), _values("country"),
                                        format_func=lambda c: country_name(c, lang)),
    "themes": ui.filters.multiselect("theme", ui.t("fund.filter.theme"), _values("theme"), format_func=theme_label),
    "donors": ui.filters.multiselect("donor", ui.t("fund.filter.donor"), _values("donor")),
    "years": ui.filters.multiselect("year", ui.t("fund.filter.year"), _values("year")),
    "statuses": ui.filters.multiselect("status", ui.t("fund.filter.status"), _values("status"),
                                       format_func=status_label),
}
filters = {k: v for k, v in filters.items() if v}

head = ui.cached_query(q.headline, viewer, **filters)
if ui.empty_state(head if int(head.at[0, "applications"]) else None):
    st.stop()
h = head.iloc[0]

# --- headline figures ----------------------------------------------------------
c = st.columns(6)
c[0].metric(ui.t("fund.metric.applications"), i18n.fmt_number(int(h["applications"]), lang))
c[1].metric(ui.t("fund.metric.requested"), i18n.fmt_money(h["requested_eur"], lang))
c[2].metric(ui.t("fund.metric.approved"), i18n.fmt_money(h["approved_eur"], lang))
c[3].metric(ui.t("fund.metric.disbursed"), i18n.fmt_money(h["disbursed_eur"], lang))
c[4].metric(ui.t("fund.metric.absorption"), i18n.fmt_percent(h["absorption"], lang, decimals=1),
            help=ui.t("fund.help.absorption"))
c[5].metric(ui.t("fund.metric.days_to_first_tranche"),
            i18n.fmt_number(h["median_days_to_first_tranche"], lang, decimals=0),
            help=ui.t("fund.help.days_to_first_tranche"))

tab_pipe, tab_time, tab_apps, tab_results = st.tabs(
    [ui.t("fund.tab.pipeline"), ui.t("fund.tab.time"), ui.t("fund.tab.applications"), ui.t("fund.tab.results")])

# --- pipeline and amounts -------------------------------------------------------
with tab_pipe:
    pipe = ui.cached_query(q.pipeline, viewer, **filters)
    st.plotly_chart(charts.pipeline(pipe, lang), width="stretch")
    by = ui.filters.select("by", ui.t("fund.group_by"), list(q.GROUPINGS), default="country",
                           format_func=lambda g: i18n.t(f"fund.by.{g}", lang), sidebar=False)
    amounts = ui.cached_query(q.amounts_by, viewer, by=by, **filters)
    if not ui.empty_state(amounts):
        fmt = {"country": lambda v: country_name(v, lang), "theme": theme_label,
               "donor": lambda v: v or ui.t("fund.no_donor"), "year": str}[by]
        labels = [fmt(v) for v in amounts["group"]]
        st.plotly_chart(charts.amounts(amounts, labels, lang, ui.t(f"fund.by.{by}")), width="stretch")
        table = amounts.assign(group=labels).rename(columns={
            "group": ui.t(f"fund.by.{by}"), "applications": ui.t("fund.col.applications"),
            "requested_eur": ui.t("fund.col.requested_eur"), "approved_eur": ui.t("fund.col.approved_eur"),
            "disbursed_eur": ui.t("fund.col.disbursed_eur")})
        st.dataframe(table, hide_index=True, width="stretch", column_config={
            ui.t(f"fund.col.{k}"): st.column_config.NumberColumn(format="localized")
            for k in ("requested_eur", "approved_eur", "disbursed_eur")})
        ui.download_buttons(table, f"fund_by_{by}")
        if by == "country":
            ui.kosovo_caption(amounts["group"], lang)

# --- commitments vs disbursements ----------------------------------------------
with tab_time:
    tl = ui.cached_query(q.timeline, viewer, **filters)
    if not ui.empty_state(tl):
        st.plotly_chart(charts.commitments(tl, lang), width="stretch")
        table = tl.assign(month=tl["month"].dt.strftime("%Y-%m")).rename(
            columns={k: ui.t(f"fund.col.{k}") for k in tl.columns})
        st.dataframe(table, hide_index=True, width="stretch")
        ui.download_buttons(table, "fund_timeline")

# --- applications (paged) and their tranches ----------------------------------
with tab_apps:
    total = ui.cached_query(q.applications_count, viewer, **filters)
    pages = max(1, -(-total // PAGE_SIZE))
    page = ui.filters.select("page", ui.t("fund.page_selector", pages=pages), [str(p) for p in range(1, pages + 1)],
                             default="1", sidebar=False)
    apps = ui.cached_query(q.applications, viewer, page=int(page or 1), page_size=PAGE_SIZE, **filters)
    st.caption(ui.t("fund.showing", first=(int(page or 1) - 1) * PAGE_SIZE + 1,
                    last=(int(page or 1) - 1) * PAGE_SIZE + len(apps), total=i18n.fmt_number(total, lang)))
    if not ui.empty_state(apps):
        table = apps.assign(
            municipality=city_names(apps, lang, "municipality", "municipality_local"),
            country=[country_name(c, lang) for c in apps["country"]],
            theme=[theme_label(v) for v in apps["theme"]],
            status=[status_label(v) for v in apps["status"]],
        ).drop(columns=["municipality_local", "municipality_code"])
        table = table.rename(columns={k: ui.t(f"fund.col.{k}") for k in table.columns})
        st.dataframe(table, hide_index=True, width="stretch", column_config={
            ui.t(f"fund.col.{k}"): st.column_config.NumberColumn(format="localized")
            for k in ("requested_eur", "approved_eur", "disbursed_eur")})
        ui.download_buttons(table, f"fund_applications_p{page}")
        ui.kosovo_caption(apps["country"], lang)

        st.subheader(ui.t("fund.tranches"))
        app_places = dict(zip(apps["application_id"], table[ui.t("fund.col.municipality")]))
        app_id = ui.filters.select("app", ui.t("fund.select_application"), apps["application_id"].tolist(),
                                   format_func=lambda a: f"{a} · {app_places[a]}",
                                   sidebar=False)
        tr = ui.cached_query(q.tranches, viewer, application_id=app_id)
        if not ui.empty_state(tr):
            table = tr.rename(columns={k: ui.t(f"fund.col.{k}") for k in tr.columns})
            st.dataframe(table, hide_index=True, width="stretch", column_config={
                ui.t("fund.col.share_of_approved"): st.column_config.NumberColumn(format="percent")})
            ui.download_buttons(table, f"fund_tranches_{app_id}")

# --- results against baseline and target --------------------------------------
with tab_results:
    st.caption(ui.t("fund.results_intro"))
    res = ui.cached_query(q.results, viewer, **filters)
    if not ui.empty_state(res):
        shown = res.dropna(subset=["progress"])
        if len(shown):
            st.plotly_chart(charts.progress(shown.head(40), [f"{a} · {i}" for a, i in
                                                             zip(shown["application_id"].head(40),
                                                                 shown["indicator"].head(40))], lang),
                            width="stretch")
        table = res.assign(
            municipality=city_names(res, lang, "municipality", "municipality_local"),
            country=[country_name(c, lang) for c in res["country"]],
        ).drop(columns=["municipality_local"])
        table = table.rename(columns={k: ui.t(f"fund.col.{k}") for k in table.columns})
        ui.paged_dataframe(table, "results", hide_index=True, width="stretch", column_config={
            ui.t("fund.col.progress"): st.column_config.NumberColumn(format="percent")})
        ui.download_buttons(table, "fund_results")
        ui.kosovo_caption(res["country"], lang)
