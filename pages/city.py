"""City profile: one municipality in full, against anonymous medians; a one-page PDF of it.

``?city=CODE`` opens a city directly. A mayor sees their own city only (any other code is
refused by the query layer and audited); hub management picks any city.
"""
import ui

viewer = ui.require_viewer("city")

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from hub import display, i18n, labels  # noqa: E402
from hub.charts import city as charts  # noqa: E402
from hub.charts import compare as compare_charts  # noqa: E402
from hub.queries import city as q  # noqa: E402
from ui import city_profile  # noqa: E402
from ui.knowledge import recommendation_tables  # noqa: E402

lang = ui.lang()
md = ui.md      # data and ?city= shown through Markdown elements, as literal text


def indicator(code: str, name) -> str:
    return charts.indicator_label(code, name, lang)


topic_label = ui.labels.data_labeller("helpdesk.topic", lang)
channel_label = ui.labels.data_labeller("helpdesk.channel", lang)
language_label = ui.labels.data_labeller("events.language", lang)


def num(x, decimals: int = 0) -> str:
    return i18n.fmt_number(None if x is None or pd.isna(x) else float(x), lang, decimals)


ui.page_header(ui.t("city.title"))

# --- which city -------------------------------------------------------------------------
requested = st.query_params.get("city")
if requested:
    status = q.check_city(viewer, requested)   # refusals are audited by the query layer
    if status == "refused":
        st.warning(ui.t("city.not_available"))
        if viewer.is_mayor and viewer.municipality_code:
            if st.button(ui.t("city.open_own")):
                st.query_params["city"] = viewer.municipality_code
                st.rerun()
        st.stop()
    if status == "unknown":
        st.warning(ui.t("city.unknown_city", code=md(requested)))

options = ui.cached_query(q.city_options, viewer)
if options.empty:
    st.info(ui.t("city.no_city"))
    st.stop()
options = options.set_index("code")


# Every option's label, built once per run: a row lookup per city (550 at scale, twice each
# for sorting and the picker) cost over a second.
CITY_LABELS = {
    code: f"{i18n.place_name(n, nl, lang, c)} ({labels.country_name(c, lang)})"
    for code, n, nl, c in zip(options.index, options["name"], options["name_local"], options["country"])
}


def city_label(code: str) -> str:
    return CITY_LABELS[code]


if viewer.is_mayor:
    city = viewer.municipality_code
    if st.query_params.get("city") != city:
        st.query_params["city"] = city      # the address is always a shareable link
else:
    search = st.sidebar.text_input(ui.t("city.search"), key="city-search", help=ui.t("city.search_help"))
    codes = list(options.index)
    if search.strip():
        needle = i18n.fold(search)
        hay = {c: " ".join(i18n.fold(v) for v in (c, options.at[c, "name"], options.at[c, "name_local"]))
               for c in codes}
        matches = [c for c in codes if needle in hay[c]]
        if not matches:
            st.sidebar.caption(ui.t("city.no_match"))
        current = st.query_params.get("city")
        codes = matches + ([current] if current in options.index and current not in matches else [])
    codes = i18n.sorted_names(codes, key=city_label)
    city = ui.filters.select("city", ui.t("city.select_city"), codes, format_func=city_label)
    if city is None:
        st.info(ui.t("city.no_city"))
        st.stop()

header = city_profile.header(viewer, city)
if header.empty:
    st.info(ui.t("city.no_city"))
    st.stop()
h = header.iloc[0]
name = i18n.place_name(h["name"], h["name_local"], lang, h["country"])

periods = city_profile.periods(viewer, city)
period = ui.filters.select("period", ui.t("city.period"), periods[::-1],
                           default=periods[-1] if periods else None)
# what the profile shows, read once (the PDF is built from the same frames, and the comparison)
profile = city_profile.read(viewer, city, period, lang, header)
scores, trend, rank, drivers, priorities = profile.scores, profile.trend, profile.rank, profile.drivers, profile.priorities
youth, fund, helpdesk, events = profile.youth, profile.fund, profile.helpdesk, profile.events

st.header(md(name))
facts = [labels.country_name(h["country"], lang)]
if pd.notna(h["region"]) and h["region"]:
    facts.append(display.region_label(h["region"], lang))
if pd.notna(h["population"]):
    facts.append(ui.t("city.population", n=num(h["population"])))
if pd.notna(h["youth_population"]):
    facts.append(ui.t("city.youth_population", n=num(h["youth_population"])))
st.caption(md(" · ".join(facts)))
if profile.assessed_on:  # survey stream: where this period's values came from (the page and the PDF say it)
    st.caption(ui.t("survey.assessed_via_survey", date=i18n.fmt_date(profile.assessed_on, lang)))


# --- the one-page PDF, at the top where people look for it ------------------------------------
def build_pdf() -> bytes:
    from hub.pdf import city_profile_pdf
    return city_profile_pdf(city_profile.complete(profile, viewer, lang), lang)


sections = (scores, trend, drivers, priorities, youth, fund, helpdesk, events)
if all(len(x) == 0 for x in sections):
    # A city outside the network (or without any data yet): one clear sentence, not seven empty boxes.
    member = pd.notna(h.get("member_since")) and bool(h.get("member_since"))
    st.info(ui.t("display.no_city_data" if member else "display.not_member", city=md(name)))
    ui.kosovo_caption([h["country"]], lang)
    st.stop()

pdf_name = f"city-profile-{city}-{period or 'all'}.pdf"
from hub.audit import audit  # noqa: E402

st.download_button(ui.t("city.download_pdf"), data=build_pdf, file_name=pdf_name, mime="application/pdf",
                   key="dl-pdf", icon=":material/picture_as_pdf:", on_click=audit,
                   args=(viewer.username, "download", pdf_name))

# --- key figures ------------------------------------------------------------------------
if scores.empty:
    st.info(ui.t("city.no_scores"))
else:
    idx = scores[scores["dimension"] == q.INDEX].iloc[0]
    previous = trend[trend["period"] < period]["score"].dropna()
    delta = (float(idx["score"]) - float(previous.iloc[-1])
             if len(previous) and pd.notna(idx["score"]) else None)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(ui.t("city.need_index"), num(idx["score"], 1),
              delta=None if delta is None else num(delta, 1), delta_color="inverse",
              help=ui.t("city.need_index_help"))
    c2.metric(ui.t("city.coverage"), i18n.fmt_percent(idx["coverage"], lang))
    if len(rank):
        r = rank.iloc[0]
        c3.metric(ui.t("city.rank"), ui.t("city.rank_of", rank=num(r["rank"]), of=num(r["of"])),
                  help=ui.t("city.rank_help"))
        c4.metric(ui.t("city.rank_interval"), f"{num(r['rank_p05'])}–{num(r['rank_p95'])}",
                  help=ui.t("city.rank_interval_help"))
        if bool(r["flagged"]):
            st.warning(ui.t("city.flagged"))
        if bool(r["rank_uncertain"]):
            st.caption(ui.t("city.rank_uncertain"))
        if pd.notna(r["top_mover"]) and r["top_mover"]:
            mover = drivers.loc[drivers["indicator_code"] == r["top_mover"], "indicator"] if len(drivers) else []
            st.caption(ui.t("city.top_mover", indicator=md(indicator(r["top_mover"], mover.iloc[0] if len(mover)
                                                                          else r["top_mover"]))))

# The profile in tabs: one screen each instead of a 7,000 px scroll on a phone.
tab_scores, tab_drivers, tab_prio, tab_compare, tab_recs, tab_youth, tab_fund, tab_help, tab_events = ui.tabs(
    [f"display.city_tab.{k}" for k in ("scores", "drivers", "priorities")] + ["compare.title", "recommend.title"]
    + [f"display.city_tab.{k}" for k in ("youth", "fund", "helpdesk", "events")], key="tab")

# --- against the medians ---------------------------------------------------------------
with tab_scores:
    if tab_scores.open:   # only the open tab runs and is sent
        st.subheader(ui.t("city.scores"))
        band = q.peer_band(h["population"])
        if band:
            low, high = band
            st.caption(ui.t("city.peer_band", low=num(low), high=num(high)) if high
                       else ui.t("city.peer_band_open", low=num(low)))
        if not ui.empty_state(scores):
            st.plotly_chart(charts.scores_vs_medians(scores, lang, name), key="chart-scores")
            shown = pd.DataFrame({
                ui.t("city.col.dimension"): [charts.dimension_label(d, lang) for d in scores["dimension"]],
                name: scores["score"],
                ui.t("city.compare.economy_median"): scores["economy_median"],
                ui.t("city.compare.region_median"): scores["region_median"],
                ui.t("city.compare.peer_median"): scores["peer_median"],
            })
            ui.table(shown, kinds={c: "score" for c in shown.columns[1:]})
            st.caption(ui.t("city.medians_note"))
            ui.download_buttons(shown, f"city-{city}-scores-{period}", key="scores")

        st.subheader(ui.t("city.trend"))
        if not ui.empty_state(trend):
            st.plotly_chart(charts.trend(trend, lang, name), key="chart-trend")
            shown = pd.DataFrame({
                ui.t("city.col.period"): trend["period"],
                ui.t("city.need_index"): trend["score"],
                ui.t("city.rank"): trend["rank"],
                ui.t("city.col.rank_p05"): trend["rank_p05"],
                ui.t("city.col.rank_p95"): trend["rank_p95"],
                ui.t("city.compare.economy_median"): trend["economy_median"],
                ui.t("city.compare.region_median"): trend["region_median"],
            })
            ui.table(shown, kinds={ui.t("city.col.period"): "year", ui.t("city.need_index"): "score",
                                   ui.t("city.compare.economy_median"): "score",
                                   ui.t("city.compare.region_median"): "score",
                                   **{ui.t(k): "count" for k in ("city.rank", "city.col.rank_p05", "city.col.rank_p95")}})
            ui.download_buttons(shown, f"city-{city}-trend", key="trend")

# --- what drives the score ---------------------------------------------------------------
with tab_drivers:
    if tab_drivers.open:   # only the open tab runs and is sent
        st.subheader(ui.t("city.drivers"))
        st.caption(ui.t("city.drivers_help"))
        if not ui.empty_state(drivers):
            st.plotly_chart(charts.drivers(drivers, lang), key="chart-drivers")
            shown = pd.DataFrame({
                ui.t("city.col.indicator"): [indicator(c, n) for c, n in zip(drivers["indicator_code"], drivers["indicator"])],
                ui.t("city.col.dimension"): [charts.dimension_label(d, lang) for d in drivers["dimension"]],
                ui.t("city.col.value"): [display.fmt_indicator(v, u, lang) for v, u in zip(drivers["value"], drivers["unit"])],
                ui.t("city.col.unit"): [display.unit_label(u, lang) for u in drivers["unit"]],
                ui.t("city.col.normalised"): drivers["normalised"],
                ui.t("city.col.weight"): drivers["weight"],
                ui.t("city.col.points"): drivers["contribution"],
            })
            ui.table(shown, kinds={ui.t("city.col.value"): "figure", ui.t("city.col.normalised"): "decimal",
                                   ui.t("city.col.weight"): "decimal", ui.t("city.col.points"): "score"})
            ui.download_buttons(shown.assign(**{ui.t("city.col.value"): drivers["value"].to_numpy()}),
                                f"city-{city}-drivers-{period}", key="drivers")

# --- priorities --------------------------------------------------------------------------
with tab_prio:
    if tab_prio.open:   # only the open tab runs and is sent
        st.subheader(ui.t("city.priorities"))
        st.caption(ui.t("city.priorities_help"))
        if not ui.empty_state(priorities):
            shown = pd.DataFrame({
                ui.t("city.col.theme"): [ui.t(f"city.theme.{x}") for x in priorities["theme"]],
                ui.t("city.col.stated_rank"): priorities["stated_rank"],
                ui.t("city.col.need"): priorities["need"],
                ui.t("city.col.priority_score"): priorities["score"],
                ui.t("city.col.priority_rank"): priorities["priority_rank"],
            })
            ui.table(shown, kinds={ui.t("city.col.stated_rank"): "count", ui.t("city.col.need"): "decimal",
                                   ui.t("city.col.priority_score"): "score", ui.t("city.col.priority_rank"): "count"})
            ui.download_buttons(shown, f"city-{city}-priorities-{period}", key="priorities")

# --- how does my city compare (stream know, issue 16) -------------------------------------
with tab_compare:
    if tab_compare.open:   # only the open tab runs and is sent
        st.subheader(ui.t("compare.title"))
        st.caption(ui.t("compare.intro"))
        positions, strengths, dim_trend = city_profile.compare(viewer, city, period, lang)
        if positions.empty or positions["position"].isna().all():
            st.info(ui.t("compare.no_positions"))
        else:
            st.caption(ui.t("compare.period_note", period=period))
            st.plotly_chart(compare_charts.positions(positions, lang, name), key="chart-positions")
            best, worst = st.columns(2)
            for col, side, title in ((best, "best", "compare.strengths"), (worst, "worst", "compare.weaknesses")):
                col.markdown(f"**{ui.t(title)}**")
                for sentence in strengths.loc[strengths["side"] == side, "sentence"]:
                    col.markdown(f"- {md(sentence)}")
            shown = pd.DataFrame({
                ui.t("compare.col.indicator"): [indicator(c, n) for c, n in zip(positions["indicator_code"],
                                                                                 positions["indicator"])],
                ui.t("compare.col.dimension"): [charts.dimension_label(d, lang) for d in positions["domain"]],
                ui.t("compare.col.value"): [display.fmt_indicator(v, u, lang) for v, u in zip(positions["value"], positions["unit"])],
                ui.t("compare.col.unit"): [display.unit_label(u, lang) for u in positions["unit"]],
                ui.t("compare.col.position"): positions["position"].round(0),
                ui.t("compare.col.median"): positions["median"],
                ui.t("compare.col.q1"): positions["q1"],
                ui.t("compare.col.q3"): positions["q3"],
                ui.t("compare.col.peer_position"): positions["peer_position"].round(0),
                ui.t("compare.col.peer_median"): positions["peer_median"],
            })
            ui.table(shown, kinds={ui.t("compare.col.value"): "figure",
                                   **{ui.t(f"compare.col.{k}"): "count" for k in ("position", "peer_position")},
                                   **{ui.t(f"compare.col.{k}"): "decimal" for k in ("median", "q1", "q3", "peer_median")}})
            ui.download_buttons(shown, f"city-{city}-compare-{period}", key="compare")
        st.markdown(f"**{ui.t('compare.dimension_trend')}**")
        st.caption(ui.t("compare.dimension_trend_help"))
        if not ui.empty_state(dim_trend):
            st.plotly_chart(compare_charts.dimension_trends(dim_trend, lang, name), key="chart-dimension-trends")

# --- recommended practices and partners (stream know, issue 16) -----------------------------
with tab_recs:
    if tab_recs.open:   # only the open tab runs and is sent
        st.subheader(ui.t("recommend.title"))
        st.caption(ui.t("recommend.intro"))
        recommendation_tables(city_profile.recommendations(viewer, city, period, lang), f"city-{city}-recommended")

# --- youth -------------------------------------------------------------------------------
with tab_youth:
    if tab_youth.open:   # only the open tab runs and is sent
        st.subheader(ui.t("city.youth"))
        if not ui.empty_state(youth):
            names = [indicator(c, n) for c, n in zip(youth["indicator_code"], youth["indicator"])]
            units = [display.unit_label(u, lang) for u in youth["unit"]]
            cells = youth.assign(label=[n + (f" ({u})" if u else "") for n, u in zip(names, units)],
                                 shown=[display.fmt_indicator(v, u, lang) for v, u in zip(youth["value"], youth["unit"])])
            shown = (cells.pivot_table(index="label", columns="period", values="shown", aggfunc="first")
                     .reset_index().rename(columns={"label": ui.t("city.col.indicator")}))
            shown.columns = [str(c) for c in shown.columns]
            ui.table(shown, kinds={c: "figure" for c in shown.columns[1:]})
            raw = (cells.pivot_table(index="label", columns="period", values="value", aggfunc="first")
                   .reset_index().rename(columns={"label": ui.t("city.col.indicator")}))
            raw.columns = [str(c) for c in raw.columns]
            ui.download_buttons(raw, f"city-{city}-youth", key="youth")

# --- Technical Support Fund --------------------------------------------------------------
with tab_fund:
    if tab_fund.open:   # only the open tab runs and is sent
        st.subheader(ui.t("city.fund"))
        if not ui.empty_state(fund):
            ui.metrics(fund[["requested_eur", "approved_eur", "disbursed_eur"]].fillna(0).sum(), [
                ui.Figure("requested_eur", ui.t("city.fund_requested"), "money"),
                ui.Figure("approved_eur", ui.t("city.fund_approved"), "money"),
                ui.Figure("disbursed_eur", ui.t("city.fund_disbursed"), "money"),
            ])
            shown = pd.DataFrame({
                ui.t("city.col.application"): fund["application_id"],
                ui.t("city.col.title"): fund["title"],
                ui.t("city.col.theme"): [ui.t(f"city.theme.{x}") for x in fund["theme"]],
                ui.t("city.col.submitted_on"): fund["submitted_on"],
                ui.t("city.col.status"): [ui.t(f"city.status.{x}") for x in fund["status"]],
                ui.t("city.col.requested_eur"): fund["requested_eur"],
                ui.t("city.col.approved_eur"): fund["approved_eur"],
                ui.t("city.col.disbursed_eur"): fund["disbursed_eur"],
                ui.t("city.col.tranches"): fund["tranches"],
            })
            ui.table(shown, kinds={ui.t(f"city.col.{k}"): "money"
                                   for k in ("requested_eur", "approved_eur", "disbursed_eur")})
            ui.download_buttons(shown, f"city-{city}-fund", key="fund")
            tranches = ui.cached_query(q.city_tranches, viewer, city=city)
            st.markdown(f"**{ui.t('city.tranches')}**")
            if not ui.empty_state(tranches):
                shown = pd.DataFrame({
                    ui.t("city.col.application"): tranches["application_id"],
                    ui.t("city.col.title"): tranches["title"],
                    ui.t("city.col.tranche"): tranches["tranche"],
                    ui.t("city.col.paid_on"): tranches["paid_on"],
                    ui.t("city.col.amount_eur"): tranches["amount_eur"],
                })
                ui.table(shown, kinds={ui.t("city.col.amount_eur"): "money"})
                ui.download_buttons(shown, f"city-{city}-tranches", key="tranches")

# --- help desk ---------------------------------------------------------------------------
with tab_help:
    if tab_help.open:   # only the open tab runs and is sent
        st.subheader(ui.t("city.helpdesk"))
        if not ui.empty_state(helpdesk):
            ui.metrics({"requests": len(helpdesk), "open": int((helpdesk["status"] != "resolved").sum()),
                        "days": helpdesk["days_to_resolve"].median()}, [
                ui.Figure("requests", ui.t("city.helpdesk_requests")),
                ui.Figure("open", ui.t("city.helpdesk_open")),
                ui.Figure("days", ui.t("city.helpdesk_days"), decimals=1),
            ])
            shown = pd.DataFrame({
                ui.t("city.col.request"): helpdesk["request_id"],
                ui.t("city.col.opened_on"): helpdesk["opened_on"],
                ui.t("city.col.topic"): [topic_label(x) for x in helpdesk["topic"]],
                ui.t("city.col.channel"): [channel_label(x) for x in helpdesk["channel"]],
                ui.t("city.col.status"): [ui.t(f"city.status.{x}") for x in helpdesk["status"]],
                ui.t("city.col.resolved_on"): helpdesk["resolved_on"],
                ui.t("city.col.days"): helpdesk["days_to_resolve"],
            })
            ui.table(shown, kinds={ui.t("city.col.days"): "count"})
            ui.download_buttons(shown, f"city-{city}-helpdesk", key="helpdesk")

# --- events ------------------------------------------------------------------------------
with tab_events:
    if tab_events.open:   # only the open tab runs and is sent
        st.subheader(ui.t("city.events"))
        if not ui.empty_state(events):
            shown = pd.DataFrame({
                ui.t("city.col.held_on"): events["held_on"],
                ui.t("city.col.kind"): [ui.t(f"city.kind.{x}") for x in events["kind"]],
                ui.t("city.col.title"): events["title"],
                ui.t("city.col.language"): [language_label(v) for v in events["language"]],
                ui.t("city.col.location"): events["location"],
                ui.t("city.col.participants"): events["participants"],
            })
            ui.table(shown)
            ui.download_buttons(shown, f"city-{city}-events", key="events")

ui.kosovo_caption([h["country"]], lang)
