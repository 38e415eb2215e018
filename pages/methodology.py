"""Methodology: how the need and priority scores are made, generated from data/methodology.toml,
with the quality and freshness of the data behind them. Open to every role; nothing city-level."""
import ui

viewer = ui.require_viewer("methodology")

from pathlib import Path  # noqa: E402

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from hub import display, i18n  # noqa: E402
from hub.queries import methodology as q  # noqa: E402
from hub.queries import survey as survey_q  # noqa: E402

lang = ui.lang()


def pct(x, decimals: int = 0) -> str:
    return i18n.fmt_percent(x, lang, decimals)


def num(x, decimals: int = 0) -> str:
    return i18n.fmt_number(None if x is None or pd.isna(x) else x, lang, decimals)


dataset_label = ui.labels.labeller(("methodology.dataset", "data.dataset"), lang, fallback=display.text)
outcome_label = ui.labels.labeller("methodology.outcome", lang)     # ok, refused (other values as they are)


def dim_label(d: str) -> str:
    return i18n.t(f"city.dimension.{d}", lang)   # bound to the page's language (also used as a format_func)


ui.page_header(ui.t("methodology.title"))

settings = ui.cached_query(q.method_settings, viewer).iloc[0]
st.markdown(ui.t("methodology.intro", scale=num(settings["scale"])))
st.caption(ui.t("methodology.source", file=ui.md(Path(settings["source"]).name or "—"),
                 name=ui.md(settings["name"])))

ui.metrics(settings, [
    ui.Figure("dimensions", ui.t("methodology.dimensions_n")),
    ui.Figure("indicators", ui.t("methodology.indicators_n")),
    ui.Figure("coverage_threshold", ui.t("methodology.coverage_threshold"), "percent"),
    ui.Figure("draws", ui.t("methodology.draws")),
])

# --- formulae ---------------------------------------------------------------------------------
st.subheader(ui.t("methodology.formulae"))
st.markdown(ui.t("methodology.normalise_text"))
st.latex(r"x' = \frac{\min(x,\,\mathrm{cap}) - \mathrm{min}}{\mathrm{max} - \mathrm{min}}"
         r"\quad\text{" + ui.t("methodology.latex_clipped") + r"}\ [0, 1]")
st.latex(r"x' = \frac{\ln x - \ln \mathrm{min}}{\ln \mathrm{max} - \ln \mathrm{min}}"
         r"\qquad (\mathrm{transform} = \log)")
measures = settings["measures"]
st.markdown(ui.t(f"methodology.orient_text_{measures}"))
st.latex(r"x'' = \begin{cases} x' & \text{" + ui.t("methodology.latex_kept") + r"} \\ "
         r"1 - x' & \text{" + ui.t("methodology.latex_inverted") + r"} \end{cases}")
st.markdown(ui.t("methodology.aggregate_text", aggregation=ui.t(f"methodology.aggregation.{settings['aggregation']}")))
st.latex(r"D_d = \frac{\sum_{i \in d} w_i\, x''_i}{\sum_{i \in d,\ \mathrm{obs}} w_i}"
         r"\qquad I = " + num(settings["scale"]) + r" \cdot \frac{\sum_d W_d\, D_d}{\sum_d W_d}")
st.latex(r"D_d = \prod_{i \in d} (x''_i)^{\,w_i / \sum w} \qquad (\mathrm{geometric})")
st.markdown(ui.t("methodology.contribution_text"))
st.latex(r"c_i = " + num(settings["scale"]) + r" \cdot \tilde w_i \, x''_i \qquad \sum_i c_i = I")

# --- coverage, priority, Monte Carlo -----------------------------------------------------------
st.subheader(ui.t("methodology.coverage"))
st.markdown(ui.t("methodology.coverage_text", threshold=pct(settings["coverage_threshold"])))
st.latex(r"\mathrm{coverage} = \frac{\sum_{\mathrm{obs}} w}{\sum w}")

st.subheader(ui.t("methodology.priority"))
st.markdown(ui.t("methodology.priority_text", alpha=num(settings["alpha"], 2), themes=num(settings["themes"])))
st.latex(r"P = " + num(settings["scale"]) + r" \cdot s^{\alpha}\, g^{\,1-\alpha}, \qquad s = \frac{T - r + 1}{T},"
         r"\qquad \alpha = " + num(settings["alpha"], 2))
themes = ui.cached_query(q.method_themes, viewer)
if not ui.empty_state(themes):
    shown = pd.DataFrame({ui.t("methodology.col.theme"): [ui.t(f"city.theme.{x}") for x in themes["theme"]],
                          ui.t("methodology.col.dimension"): [dim_label(d) for d in themes["dimension"]]})
    ui.table(shown)

st.subheader(ui.t("methodology.montecarlo"))
st.markdown(ui.t("methodology.montecarlo_text", draws=num(settings["draws"]),
                 perturbation=pct(settings["weight_perturbation"]),
                 width=pct(settings["rank_uncertain_width"]), seed=str(settings["seed"])))

# --- dimensions and indicators ----------------------------------------------------------------
st.subheader(ui.t("methodology.dimensions"))
dims = ui.cached_query(q.method_dimensions, viewer)
if not ui.empty_state(dims):
    shown = pd.DataFrame({
        ui.t("methodology.col.dimension"): [dim_label(d) for d in dims["dimension"]],
        ui.t("methodology.col.weight"): dims["weight"],
        ui.t("methodology.col.share"): [pct(x, 1) for x in dims["share"]],
        ui.t("methodology.col.aggregation"): [ui.t(f"methodology.aggregation.{a}") for a in dims["aggregation"]],
        ui.t("methodology.col.indicators"): dims["indicators"],
    })
    ui.table(shown, kinds={ui.t("methodology.col.weight"): "decimal"})
    ui.download_buttons(shown, "methodology-dimensions", key="dims")

st.subheader(ui.t("methodology.indicators"))
st.caption(ui.t("methodology.indicators_help"))
inds = ui.cached_query(q.method_indicators, viewer)
dim_filter = ui.filters.select("dimension", ui.t("methodology.filter_dimension"), list(dims["dimension"]),
                               format_func=dim_label, all_label=ui.t("methodology.all_dimensions"))
if dim_filter:
    inds = inds[inds["dimension"] == dim_filter]
if not ui.empty_state(inds):
    shown = pd.DataFrame({
        ui.t("methodology.col.indicator"): inds["name"],
        ui.t("methodology.col.code"): inds["indicator"],
        ui.t("methodology.col.dimension"): [dim_label(d) for d in inds["dimension"]],
        ui.t("methodology.col.unit"): [display.unit_label(u, lang) for u in inds["unit"]],
        ui.t("methodology.col.polarity"): [ui.t(f"methodology.polarity.{p}") for p in inds["polarity"]],
        ui.t("methodology.col.min"): inds["min"],
        ui.t("methodology.col.max"): inds["max"],
        ui.t("methodology.col.cap"): inds["cap"],
        ui.t("methodology.col.transform"): [ui.t(f"methodology.transform.{x}") for x in inds["transform"]],
        ui.t("methodology.col.weight"): inds["weight"],
        ui.t("methodology.col.effective_weight"): [pct(x, 1) for x in inds["effective_weight"]],
        ui.t("methodology.col.sensitive"): [ui.t("methodology.yes") if s else ui.t("methodology.no")
                                            for s in inds["sensitive"]],
        ui.t("methodology.col.source"): inds["source"],
    })
    ui.table(shown, kinds={ui.t(f"methodology.col.{k}"): "decimal" for k in ("min", "max", "cap", "weight")})
    ui.download_buttons(shown, "methodology-indicators", key="inds")

# --- data quality -------------------------------------------------------------------------------
st.subheader(ui.t("methodology.quality"))
st.caption(ui.t("methodology.quality_help"))
quality = ui.cached_query(q.data_quality, viewer)
if dim_filter:
    quality = quality[quality["domain"] == dim_filter]
if not ui.empty_state(quality):
    wide = quality.pivot_table(index=["name", "indicator"], columns="period", values="missing",
                               aggfunc="sum").reset_index()
    wide.columns = [str(c) for c in wide.columns]
    wide = wide.rename(columns={"name": ui.t("methodology.col.indicator"),
                                "indicator": ui.t("methodology.col.code")})
    total = int(quality["missing"].sum())
    q1, q2 = st.columns(2)
    q1.metric(ui.t("methodology.missing_total"), num(total))
    q2.metric(ui.t("methodology.missing_share"),
              pct(total / quality["assessed"].sum() if quality["assessed"].sum() else None, 1))
    ui.table(wide)
    ui.download_buttons(wide, "methodology-data-quality", key="quality")

# --- freshness and loads --------------------------------------------------------------------------
st.subheader(ui.t("methodology.freshness"))
st.caption(ui.t("methodology.freshness_help"))
surveyed = ui.cached_query(survey_q.survey_freshness, viewer)  # survey stream: "assessed on ... via survey"
if len(surveyed) and surveyed.iloc[0]["submissions"] and pd.notna(surveyed.iloc[0]["assessed_on"]):
    st.caption(ui.t("survey.survey_freshness", date=i18n.fmt_date(surveyed.iloc[0]["assessed_on"], lang),
                    submissions=i18n.fmt_number(surveyed.iloc[0]["submissions"], lang),
                    cities=i18n.fmt_number(surveyed.iloc[0]["cities"], lang)))
fresh = ui.cached_query(q.freshness, viewer)
icons = {"up_to_date": "🟢", "due": "🟡", "overdue": "🔴", "never_loaded": "⚪"}
shown = pd.DataFrame({
    ui.t("methodology.col.dataset"): [dataset_label(d) for d in fresh["dataset"]],
    ui.t("methodology.col.status"): [f"{icons[s]} {ui.t(f'methodology.status.{s}')}" for s in fresh["status"]],
    ui.t("methodology.col.file"): fresh["file_name"],
    ui.t("methodology.col.loaded_at"): fresh["loaded_at"],
    ui.t("methodology.col.age_days"): fresh["age_days"],
    ui.t("methodology.col.interval_days"): fresh["interval_days"],
    ui.t("methodology.col.rows"): fresh["rows_inserted"],
    ui.t("methodology.col.sha256"): fresh["sha256"],
})
ui.table(shown)
ui.download_buttons(shown, "methodology-freshness", key="fresh")

with st.expander(ui.t("methodology.history")):
    history = ui.cached_query(q.load_history, viewer)
    if not ui.empty_state(history):
        shown = pd.DataFrame({
            ui.t("methodology.col.dataset"): [dataset_label(d) for d in history["dataset"]],
            ui.t("methodology.col.file"): history["file_name"],
            ui.t("methodology.col.loaded_at"): history["loaded_at"],
            ui.t("methodology.col.outcome"): [outcome_label(o) for o in history["outcome"]],
            ui.t("methodology.col.rows"): history["rows_inserted"],
            ui.t("methodology.col.rows_updated"): history["rows_updated"],
        })
        ui.table(shown)
        ui.download_buttons(shown, "methodology-load-history", key="history")
