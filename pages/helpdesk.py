"""Help desk: what cities ask the hub for, how fast it answers, and what is still open."""
import ui

viewer = ui.require_viewer("helpdesk")

import streamlit as st  # noqa: E402

from hub import i18n  # noqa: E402
from hub.charts import helpdesk as charts  # noqa: E402
from hub.labels import country_name  # noqa: E402
from hub.queries import helpdesk as q  # noqa: E402
from hub.queries import recommend as qr  # noqa: E402
from ui.knowledge import recommendation_tables  # noqa: E402

lang = ui.lang()

ui.page_header(ui.t("nav.helpdesk"), ui.t("helpdesk.intro"))  # the page is called what the menu calls it


# A request's economy, topic, channel or status in words, by grouping (filters, groups, the request picker).
LABELS = {"country": lambda c: country_name(c, lang),
          **{kind: ui.labels.data_labeller(f"helpdesk.{kind}", lang) for kind in ("topic", "channel", "status")}}
filters = ui.filters.sidebar(ui.t("helpdesk.filters"), ui.cached_query(q.filter_options, viewer), [
    ("countries", "country", ui.t("helpdesk.by.country"), LABELS["country"]),
    ("topics", "topic", ui.t("helpdesk.by.topic"), LABELS["topic"]),
    ("channels", "channel", ui.t("helpdesk.by.channel"), LABELS["channel"]),
    ("statuses", "status", ui.t("helpdesk.by.status"), LABELS["status"]),
    ("years", "year", ui.t("helpdesk.filter.year")),
])

head = ui.cached_query(q.headline, viewer, **filters)
if ui.empty_state(head if int(head.at[0, "requests"]) else None):
    st.stop()
ui.metrics(head.iloc[0], [
    ui.Figure("requests", ui.t("helpdesk.metric.requests")),
    ui.Figure("open", ui.t("helpdesk.metric.open")),
    ui.Figure("resolved", ui.t("helpdesk.metric.resolved")),
    ui.Figure("median_days_to_resolve", ui.t("helpdesk.metric.median_days"), help=ui.t("helpdesk.help.median_days")),
])

# --- requests by topic / channel / economy / status -------------------------------
st.subheader(ui.t("helpdesk.section.by_group"))
by = ui.filters.select("by", ui.t("helpdesk.group_by"), list(q.GROUPINGS), default="topic",
                       format_func=lambda g: i18n.t(f"helpdesk.by.{g}", lang), sidebar=False)
groups = ui.cached_query(q.counts_by, viewer, by=by, **filters)
if not ui.empty_state(groups):
    labels = [LABELS[by](v) for v in groups["group"]]
    st.plotly_chart(charts.by_group(groups, labels, lang, ui.t(f"helpdesk.by.{by}")), width="stretch")
    table = groups.assign(group=labels).rename(columns={
        "group": ui.t(f"helpdesk.by.{by}"), "requests": ui.t("helpdesk.col.requests"),
        "open": ui.t("helpdesk.col.open"), "median_days_to_resolve": ui.t("helpdesk.col.median_days")})
    ui.table(table, kinds={ui.t("helpdesk.col.median_days"): "count"})
    ui.download_buttons(table, f"helpdesk_by_{by}")
    if by == "country":
        ui.kosovo_caption(groups["group"], lang)

# --- time to resolve --------------------------------------------------------------
left, right = st.columns(2)
with left:
    st.subheader(ui.t("helpdesk.section.resolution"))
    dist = ui.cached_query(q.resolution_times, viewer, **filters)
    if not ui.empty_state(dist):
        st.plotly_chart(charts.resolution(dist, lang), width="stretch")
        table = dist.rename(columns={"days": ui.t("helpdesk.col.days"), "requests": ui.t("helpdesk.col.requests")})
        ui.download_buttons(table, "helpdesk_time_to_resolve")

# --- backlog ----------------------------------------------------------------------
with right:
    st.subheader(ui.t("helpdesk.section.backlog"))
    bl = ui.cached_query(q.backlog, viewer, **filters)
    if not ui.empty_state(bl):
        st.plotly_chart(charts.backlog(bl, lang), width="stretch")
        table = ui.labels.headed(bl.assign(month=bl["month"].dt.strftime("%Y-%m")), "helpdesk.col", lang)
        ui.table(ui.labels.headed(bl, "helpdesk.col", lang), kinds={ui.t("helpdesk.col.month"): "month"})
        ui.download_buttons(table, "helpdesk_backlog")

# --- practices and partners for one request (stream know, issue 16) -----------------------------
st.subheader(ui.t("recommend.request_title"))
requests = ui.cached_query(qr.request_list, viewer, **filters)
if requests.empty:
    st.info(ui.t("recommend.request_none"))
    st.stop()
request_city = {r: i18n.place_name(n, nl, lang, c) for r, n, nl, c in zip(
    requests["request_id"], requests["name"], requests["name_local"], requests["country"])}
request_label = {r: f"{r} · {request_city[r]} · {LABELS['topic'](tp)} · {LABELS['status'](s)}"
                 for r, tp, s in zip(requests["request_id"], requests["topic"], requests["status"])}
rid = ui.filters.select("request", ui.t("recommend.request_pick"), list(request_label),
                        format_func=request_label.get, sidebar=False)
req = requests[requests["request_id"] == rid].iloc[0]
st.caption(ui.t("recommend.request_intro", id=rid, city=request_city[rid], date=i18n.fmt_date(req["opened_on"], lang),
                topic=LABELS["topic"](req["topic"]), status=LABELS["status"](req["status"])))
matches = ui.cached_query(qr.request_matches, viewer, request_id=rid, lang=lang)
recommendation_tables(matches, f"helpdesk-{rid}")


def answer_pack() -> bytes:
    from hub.pdf_compare import answer_pack_pdf
    from hub.queries.meta import is_demo
    needs = ui.cached_query(qr.city_needs, viewer, city=req["municipality_code"])
    return answer_pack_pdf(requests[requests["request_id"] == rid], needs, matches, lang, demo=is_demo(viewer))


pack_name = f"answer-pack-{rid}.pdf"
from hub.audit import audit  # noqa: E402

st.download_button(ui.t("recommend.answer_pack"), data=answer_pack, file_name=pack_name, mime="application/pdf",
                   key="dl-answer-pack", icon=":material/picture_as_pdf:", on_click=audit,
                   args=(viewer.username, "download", pack_name))
