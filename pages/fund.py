"""Technical Support Fund: where the applications stand, what was approved and paid, and what it achieved."""
import ui

viewer = ui.require_viewer("fund")

import streamlit as st  # noqa: E402

from hub import exports as hub_exports  # noqa: E402
from hub import i18n  # noqa: E402
from hub.charts import fund as charts  # noqa: E402
from hub.labels import city_names, country_name, country_names  # noqa: E402
from hub.queries import fund as q  # noqa: E402
from hub.queries.alerts import application_page  # noqa: E402

PAGE_SIZE = 50
lang = ui.lang()

ui.page_header(ui.t("nav.fund"), ui.t("fund.intro"))  # the page is called what the menu calls it

# --- filters (sidebar + URL) ---------------------------------------------------
theme_label = ui.labels.labeller("fund.theme", lang)
status_label = ui.labels.labeller("fund.status", lang)
result_label = ui.labels.labeller("donors.result", lang)
filters = ui.filters.sidebar(ui.t("fund.filters"), ui.cached_query(q.filter_options, viewer), [
    ("countries", "country", ui.t("fund.filter.country"), lambda c: country_name(c, lang)),
    ("themes", "theme", ui.t("fund.filter.theme"), theme_label),
    ("donors", "donor", ui.t("fund.filter.donor"), lambda d: d or ui.t("fund.no_donor")),
    ("years", "year", ui.t("fund.filter.year")),
    ("statuses", "status", ui.t("fund.filter.status"), status_label),
])

head = ui.cached_query(q.headline, viewer, **filters)
if ui.empty_state(head if int(head.at[0, "applications"]) else None):
    st.stop()
h = head.iloc[0]


DONOR_WORDS = {"": ui.t("fund.no_donor"), q.OTHER_DONORS: ui.t("donors.other_donors")}


def donor_label(name: str) -> str:
    return DONOR_WORDS.get(name, name)


# --- headline figures: my contribution (donors; the hub with a donor filter) and the whole fund ----
mine = h["contribution_of"]
if mine:
    st.subheader(ui.t("donors.my_contribution" if viewer.is_donor else "donors.contribution_of", donors=ui.md(mine)))
    st.caption(ui.t("donors.help.pro_rata"))
    ui.metrics(h, [
        ui.Figure("contribution_projects", ui.t("donors.metric.projects")),
        ui.Figure("contribution_approved_eur", ui.t("fund.metric.approved"), "money"),
        ui.Figure("contribution_disbursed_eur", ui.t("fund.metric.disbursed"), "money"),
        ui.Figure("contribution_absorption", ui.t("fund.metric.absorption"), "percent", 1),
    ])
    st.subheader(ui.t("donors.whole_fund"))
ui.metrics(h, [   # two rows of three: six in a row cut "1.002.500 €" short
    ui.Figure("applications", ui.t("fund.metric.applications")),
    ui.Figure("requested_eur", ui.t("fund.metric.requested"), "money"),
    ui.Figure("approved_eur", ui.t("fund.metric.approved"), "money"),
    ui.Figure("disbursed_eur", ui.t("fund.metric.disbursed"), "money"),
    ui.Figure("absorption", ui.t("fund.metric.absorption"), "percent", 1, help=ui.t("fund.help.absorption")),
    ui.Figure("median_days_to_first_tranche", ui.t("fund.metric.days_to_first_tranche"),
              help=ui.t("fund.help.days_to_first_tranche")),
], columns=3)

# ?app=ID (e.g. from the action list) opens the applications tab on the page that lists it.
requested_app = st.query_params.get("app")
tab_flow, tab_projects, tab_pipe, tab_time, tab_apps, tab_results, tab_exports = ui.tabs(
    ["donors.tab.flow", "donors.tab.projects", "fund.tab.pipeline", "fund.tab.time", "fund.tab.applications",
     "fund.tab.results", "donors.tab.exports"], key="tab", default="fund.tab.applications" if requested_app else None)

donors_col = ui.labels.heading("donors.col", lang)
fund_heading = ui.labels.heading("fund.col", lang)


def fund_col(k: str) -> str:
    return (donors_col if k.startswith("contribution") else fund_heading)(k)


result_text = ui.labels.data_labeller("display.result", lang)


# --- the flow: contribution -> round -> theme -> project (municipality) -> result --------------------
with tab_flow:
    if tab_flow.open:   # only the open tab runs and is sent
        mine_label = ui.t("donors.my_contribution" if viewer.is_donor else "donors.contribution_of", donors=mine or "")
        whole = bool(mine) and ui.filters.select(
            "flow", ui.t("donors.flow_view"), ["mine", "fund"], sidebar=False,
            format_func=lambda v: mine_label if v == "mine" else ui.t("donors.whole_fund")) == "fund"
        in_mine = bool(mine) and not whole
        st.caption(ui.t("donors.flow_intro_mine" if in_mine else "donors.flow_intro_fund"))
        fl = ui.cached_query(q.flow, viewer, lang=lang, whole=whole, **filters)
        if not ui.empty_state(fl):
            places = city_names(fl, lang, "municipality", "municipality_local")
            labels = {"donor": [donor_label(d) for d in fl["donor"]], "round": list(fl["round"]),
                      "theme": [theme_label(v) for v in fl["theme"]], "place": places,
                      "result": list(fl["result"].map({r: result_label(r) for r in fl["result"].unique()}))}
            raw = fl.assign(donor=labels["donor"], theme=labels["theme"], municipality=places,
                            country=country_names(fl["country"], lang), result=labels["result"],
                            ).drop(columns=["municipality_local", "municipality_code"])
            table = raw.rename(columns=donors_col)
            ui.chart(charts.flow_sankey(fl, labels, lang, ui.t("donors.chart.flow")), "fund-flow", table)
            ui.table(raw, labels=donors_col, page="flow")   # 3,904 projects at 100×: a page at a time
            st.caption(ui.t("donors.flow_total", approved=i18n.fmt_money(
                h["contribution_approved_eur"] if in_mine else h["approved_eur"], lang, decimals=2),
                disbursed=i18n.fmt_money(h["contribution_disbursed_eur"] if in_mine else h["disbursed_eur"], lang,
                                         decimals=2)))
            ui.kosovo_caption(fl["country"], lang)

# --- projects with names: dates, money, tranches on a timeline, results against target ------------
with tab_projects:
    if tab_projects.open:   # only the open tab runs and is sent
        pr = ui.cached_query(q.projects, viewer, lang=lang, **filters)
        if not ui.empty_state(pr):
            places = city_names(pr, lang, "municipality", "municipality_local")
            raw = pr.assign(municipality=places, country=country_names(pr["country"], lang),
                            theme=[theme_label(v) for v in pr["theme"]], status=[status_label(v) for v in pr["status"]],
                            result=[result_label(r) for r in pr["result"]],
                            ).drop(columns=["municipality_local", "municipality_code"])
            table = raw.rename(columns=donors_col)
            ui.table(raw, labels=donors_col, page="projects")
            ui.download_buttons(table, "fund_projects")
            ui.kosovo_caption(pr["country"], lang)

            titles = dict(zip(pr["application_id"], pr["title"]))
            pid = ui.filters.select("project", ui.t("donors.select_project"), pr["application_id"].tolist(),
                                    format_func=lambda a: f"{titles[a]} · {a}", sidebar=False)
            one = pr[pr["application_id"] == pid].iloc[0]
            st.subheader(ui.md(one["title"]))
            st.caption(ui.md(" · ".join([places[pr.index[pr["application_id"] == pid][0]], country_name(one["country"], lang),
                                   theme_label(one["theme"]), status_label(one["status"]),
                                   ui.t("donors.decided_on", date=i18n.fmt_date(one["decided_on"], lang))])))
            ui.metrics(one, [
                ui.Figure("approved_eur", ui.t("fund.metric.approved"), "money"),
                ui.Figure("disbursed_eur", ui.t("fund.metric.disbursed"), "money"),
                ui.Figure("absorption", ui.t("fund.metric.absorption"), "percent", 1),
                ui.Figure("contribution_share", ui.t("donors.metric.my_share"), "percent",
                          help=ui.t("donors.help.pro_rata")) if "contribution_share" in pr.columns else None,
            ], columns=4)
            tr = ui.cached_query(q.tranches, viewer, application_id=pid)
            if len(tr):
                ttable = tr.rename(columns=fund_heading)
                ui.chart(charts.tranche_timeline(tr, one["approved_eur"], lang, ui.t("donors.chart.tranches")),
                         f"fund-tranches-{pid}", ttable)
            pres = ui.cached_query(q.results, viewer, application_id=pid, **filters)
            if len(pres):
                pres = pres.assign(indicator=[result_text(x) for x in pres["indicator"]])
                rtable = pres.drop(columns=["municipality", "municipality_local", "country"]).rename(columns=fund_heading)
                ui.chart(charts.project_results(pres, lang, ui.t("donors.chart.project_results")),
                         f"fund-results-{pid}", rtable)

# --- pipeline and amounts -------------------------------------------------------
with tab_pipe:
    if tab_pipe.open:   # only the open tab runs and is sent
        pipe = ui.cached_query(q.pipeline, viewer, **filters)
        ui.chart(charts.pipeline(pipe, lang), "fund-pipeline",
                 pipe.assign(status=[status_label(v) for v in pipe["status"]]).rename(
                     columns={"status": ui.t("fund.filter.status"), "applications": ui.t("fund.col.applications"),
                              "requested_eur": ui.t("fund.col.requested_eur")}))
        by = ui.filters.select("by", ui.t("fund.group_by"), list(q.GROUPINGS), default="country",
                               format_func=lambda g: i18n.t(f"fund.by.{g}", lang), sidebar=False)
        amounts = ui.cached_query(q.amounts_by, viewer, by=by, **filters)
        if not ui.empty_state(amounts):
            fmt = {"country": lambda v: country_name(v, lang), "theme": theme_label,
                   "donor": donor_label, "year": str}[by]
            labels = [fmt(v) for v in amounts["group"]]
            names = {"group": ui.t(f"fund.by.{by}"), "applications": ui.t("fund.col.applications"),
                     "requested_eur": ui.t("fund.col.requested_eur"), "approved_eur": ui.t("fund.col.approved_eur"),
                     "disbursed_eur": ui.t("fund.col.disbursed_eur"),
                     **{c: donors_col(c) for c in ("contribution_approved_eur", "contribution_disbursed_eur")}}
            table = amounts.assign(group=labels).rename(columns=names)
            ui.chart(charts.amounts(amounts, labels, lang, ui.t(f"fund.by.{by}")), f"fund-amounts-by-{by}", table)
            ui.table(amounts.assign(group=labels), labels=names, kinds={"group": "text"})
            ui.download_buttons(table, f"fund_by_{by}")
            if by == "country":
                ui.kosovo_caption(amounts["group"], lang)

# --- commitments vs disbursements ----------------------------------------------
with tab_time:
    if tab_time.open:   # only the open tab runs and is sent
        tl = ui.cached_query(q.timeline, viewer, **filters)
        if not ui.empty_state(tl):
            raw = tl.assign(month=tl["month"].dt.strftime("%Y-%m"))
            table = raw.rename(columns=fund_heading)
            ui.chart(charts.commitments(tl, lang), "fund-commitments", table)
            ui.table(tl, {"month": "month"}, labels=fund_heading)
            ui.download_buttons(table, "fund_timeline")

# --- applications (paged) and their tranches ----------------------------------
with tab_apps:
    if tab_apps.open:   # only the open tab runs and is sent
        total = ui.cached_query(q.applications_count, viewer, **filters)
        pages = max(1, -(-total // PAGE_SIZE))
        app_page = (ui.cached_query(application_page, viewer, application_id=requested_app, page_size=PAGE_SIZE,
                                    **filters) if requested_app else None)
        if requested_app and app_page is None:
            st.warning(ui.t("alerts.app_not_in_view", app=ui.md(requested_app)))
        page = ui.filters.select("page", ui.t("fund.page_selector", pages=pages), [str(p) for p in range(1, pages + 1)],
                                 default=str(app_page or 1), sidebar=False)
        apps = ui.cached_query(q.applications, viewer, page=int(page or 1), page_size=PAGE_SIZE, **filters)
        st.caption(ui.t("fund.showing", first=(int(page or 1) - 1) * PAGE_SIZE + 1,
                        last=(int(page or 1) - 1) * PAGE_SIZE + len(apps), total=i18n.fmt_number(total, lang)))
        if not ui.empty_state(apps):
            raw = apps.assign(
                municipality=city_names(apps, lang, "municipality", "municipality_local"),
                country=country_names(apps["country"], lang),
                theme=[theme_label(v) for v in apps["theme"]],
                status=[status_label(v) for v in apps["status"]],
            ).drop(columns=["municipality_local", "municipality_code"])
            if "donor" in raw.columns:          # hub only: donors do not see other donors' names
                raw["donor"] = [donor_label(d) if isinstance(d, str) else d for d in raw["donor"]]
            table = raw.rename(columns=fund_col)
            ui.table(raw, labels=fund_col)
            ui.download_buttons(table, f"fund_applications_p{page}")
            ui.kosovo_caption(apps["country"], lang)

            st.subheader(ui.t("fund.tranches"))
            app_places = dict(zip(apps["application_id"], table[ui.t("fund.col.municipality")]))
            # Open on an application that has tranches (most on a page have none yet).
            paid = apps.loc[apps["disbursed_eur"].fillna(0) > 0, "application_id"]
            app_id = ui.filters.select("app", ui.t("fund.select_application"), apps["application_id"].tolist(),
                                       default=paid.iloc[0] if len(paid) else None,
                                       format_func=lambda a: f"{a} · {app_places[a]}",
                                       sidebar=False)
            tr = ui.cached_query(q.tranches, viewer, application_id=app_id)
            if not ui.empty_state(tr):
                table = tr.rename(columns=fund_heading)
                ui.table(tr, labels=fund_heading, kinds={"tranche": "count"})
                ui.download_buttons(table, f"fund_tranches_{app_id}")

# --- results against baseline and target --------------------------------------
with tab_results:
    if tab_results.open:   # only the open tab runs and is sent
        agg = ui.cached_query(q.results_by_indicator, viewer, **filters)
        agg = agg.assign(indicator=[result_text(x) for x in agg["indicator"]])
        if len(agg):
            st.subheader(ui.t("donors.results_by_indicator"))
            for r in agg.head(3).itertuples(index=False):
                st.markdown(ui.t("donors.result_sentence", indicator=ui.md(r.indicator),
                                 actual=i18n.fmt_number(r.actual, lang), target=i18n.fmt_number(r.target, lang),
                                 projects=i18n.fmt_number(r.projects, lang)))
            table = agg.rename(columns=donors_col)
            ui.chart(charts.results_by_indicator(agg, list(agg["indicator"]), lang), "fund-results-by-indicator", table)
            ui.table(agg, labels=donors_col, kinds={k: "count" for k in ("baseline", "target", "actual")})
            st.caption(ui.t("donors.help.cost_per_result"))
        nq = ui.cached_query(q.need_quartile_share, viewer, **filters).iloc[0]
        st.subheader(ui.t("donors.need_quartile"))
        ui.metrics(nq, [
            ui.Figure("share_top", ui.t("donors.metric.share_top_fund"), "percent", 1,
                      help=ui.t("donors.help.need_quartile", period=nq["period"] or "—",
                                cities=i18n.fmt_number(nq["cities_top_quartile"], lang),
                                scored=i18n.fmt_number(nq["cities_scored"], lang))),
            ui.Figure("contribution_share_top", ui.t("donors.metric.share_top_mine"), "percent", 1)
            if "contribution_share_top" in nq.index else None,
        ], columns=2)
        st.subheader(ui.t("donors.results_by_project"))
        st.caption(ui.t("fund.results_intro"))
        res = ui.cached_query(q.results, viewer, **filters)
        res = res.assign(indicator=[result_text(x) for x in res["indicator"]])
        if not ui.empty_state(res):
            shown = res.dropna(subset=["progress"]).head(40)
            if len(shown):
                places = city_names(shown, lang, "municipality", "municipality_local")
                ui.chart(charts.progress(shown, [f"{p} · {i}" for p, i in zip(places, shown["indicator"])], lang),
                         "fund-progress", shown.drop(columns=["municipality_local"]).rename(columns=fund_heading))
            raw = res.assign(
                municipality=city_names(res, lang, "municipality", "municipality_local"),
                country=country_names(res["country"], lang),
            ).drop(columns=["municipality_local"])
            table = raw.rename(columns=fund_heading)
            ui.table(raw, labels=fund_heading, kinds={k: "count" for k in ("baseline", "target", "actual")},
                     page="results")
            ui.download_buttons(table, "fund_results")
            ui.kosovo_caption(res["country"], lang)

# --- exports to reporting standards, for exactly the rows shown here ------------------------------
with tab_exports:
    if tab_exports.open:   # only the open tab runs and is sent
        st.caption(ui.t("donors.exports_intro_mine" if mine else "donors.exports_intro_fund"))

        from functools import partial  # noqa: E402
        for kind in hub_exports.KINDS:
            _, fname, mime = hub_exports.FILES[kind]
            st.download_button(ui.t(f"donors.export.{kind}"),
                               partial(hub_exports.download, kind, viewer, lang=lang, **filters),
                               file_name=fname, mime=mime, key=f"export-{kind}", icon=":material/download:",
                               help=ui.t(f"donors.export_help.{kind}"), on_click="ignore")
