"""Data (hub management): load a file through the loaders, see the load log and the audit log,
download each dataset's template."""
import ui

viewer = ui.require_viewer("data")

import streamlit as st  # noqa: E402

import pandas as pd  # noqa: E402

from hub import display, i18n  # noqa: E402
from hub.queries import data as q  # noqa: E402
from loaders.uploads import (ERROR_COLUMNS, assessment_form, handle_assessment, handle_upload,  # noqa: E402
                             template_bytes, datasets as loader_datasets)

lang = ui.lang()

ui.page_header(ui.t("nav.data"), ui.t("data.intro"))  # the page is called what the menu calls it

datasets = ui.cached_query(loader_datasets, viewer)
names = datasets["dataset"].tolist()


ds_label = ui.labels.labeller("data.dataset", lang)
outcome_label = ui.labels.labeller("data.outcome", lang)     # ok, refused (other values as they are)


def problems_table(df):
    return df.rename(columns={c: ui.t(f"data.col.{c}") for c in ERROR_COLUMNS})


tab_load, tab_survey, tab_log, tab_audit = ui.tabs(["data.tab.load", "survey.section", "data.tab.log", "data.tab.audit"],
                                                   key="tab")

# --- load a file and download templates --------------------------------------------------
with tab_load:
    if tab_load.open:   # only the open tab runs and is sent
        dataset = ui.filters.select("dataset", ui.t("data.dataset_label"), names, format_func=ds_label, sidebar=False)
        if dataset:
            # The file's columns one per line (in the overview table they were cut off), required ones marked.
            spec = datasets.set_index("dataset").loc[dataset]
            required = {c.strip() for c in str(spec["required"]).split(",") if c.strip()}
            file_cols = [c.strip() for c in str(spec["columns"]).split(",") if c.strip()]
            ui.table(pd.DataFrame({ui.t("data.col.column"): file_cols,
                                   ui.t("display.required"): [c in required for c in file_cols]}),
                     kinds={ui.t("data.col.column"): "code"})
            st.download_button(ui.t("data.template", dataset=ds_label(dataset)), template_bytes(dataset),
                               file_name=f"{dataset}.csv", mime="text/csv", key="template")
            with st.form("upload", clear_on_submit=True):
                upload = st.file_uploader(ui.t("data.file"), type=["csv", "xlsx"], key="upload-file")
                sheet = st.text_input(ui.t("data.sheet"), key="upload-sheet")
                submitted = st.form_submit_button(ui.t("data.load"))
            if submitted and upload is None:
                st.warning(ui.t("data.no_file"))
            elif submitted:
                out = handle_upload(viewer, dataset, upload, file_name=upload.name, sheet=sheet or None)
                if out.ok:
                    ui.clear_caches()
                    st.success(ui.t("data.loaded", file=ui.md(out.file_name), rows=i18n.fmt_number(out.rows, lang),
                                    inserted=i18n.fmt_number(out.inserted, lang),
                                    updated=i18n.fmt_number(out.updated, lang),
                                    unchanged=i18n.fmt_number(out.unchanged, lang)))
                    if len(out.warnings):
                        st.warning(ui.t("data.warnings"))
                        ui.table(problems_table(out.warnings))
                else:
                    st.error(ui.t("data.refused", file=ui.md(out.file_name), n=len(out.errors)))
                    ui.table(problems_table(out.errors))
                    ui.download_buttons(problems_table(out.errors), f"refused_{dataset}")
        st.subheader(ui.t("data.datasets"))
        table = datasets.assign(label=[ds_label(n) for n in datasets["dataset"]])[
            ["label", "dataset", "description"]]
        table = ui.labels.headed(table, "data.col", lang)
        ui.table(table)

# --- survey exports (KoboToolbox / ODK): the form out, submissions in ------------------------------
with tab_survey:
    if tab_survey.open:   # only the open tab runs and is sent
        form_bytes, version = ui.cached_query(assessment_form, viewer)
        st.caption(ui.t("survey.form_help", version=version))
        st.download_button(ui.t("survey.download_form"), form_bytes, file_name=f"city_needs_assessment_{version}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="survey-form")
        exports = st.file_uploader(ui.t("survey.files"), type=["csv", "xlsx"], accept_multiple_files=True,
                                   key="survey-files")
        unapproved = st.checkbox(ui.t("survey.include_unapproved"), key="survey-unapproved")
        files = [(f.getvalue(), f.name) for f in exports or []]
        checked_key = (tuple((n, len(b)) for b, n in files), unapproved)

        def survey_tables(out):
            cols = {c: ui.t(f"survey.col.{c}") for c in ("municipality_code", "municipality", "period", "submission",
                                                          "submitted_at", "new", "changed", "unchanged", "priorities",
                                                          "initiatives")}
            if len(out.submissions):
                ui.table(out.submissions.rename(columns=cols), hide_index=True, width="stretch")
            if len(out.skipped):
                st.warning(ui.t("survey.skipped"))
                ui.table(out.skipped.rename(columns={"file": ui.t("survey.col.file"), "row": ui.t("survey.col.row"),
                                                         "uuid": ui.t("survey.col.uuid"),
                                                         "reason": ui.t("survey.col.reason")}),
                             hide_index=True, width="stretch")
            if len(out.warnings):
                st.warning(ui.t("data.warnings"))
                ui.table(problems_table(out.warnings))

        if st.button(ui.t("survey.preview"), key="survey-preview"):
            if not files:
                st.warning(ui.t("survey.no_files"))
            else:
                st.session_state["survey-checked"] = (checked_key, handle_assessment(viewer, files, dry_run=True,
                                                                                      approved_only=not unapproved))
        checked = st.session_state.get("survey-checked")
        if checked and checked[0] == checked_key and files:
            preview = checked[1]
            if not preview.ok:
                st.error(ui.t("survey.refused", file=ui.md(", ".join(preview.files)), n=len(preview.errors)))
                ui.table(problems_table(preview.errors))
                ui.download_buttons(problems_table(preview.errors), "refused_assessment", key="survey-refused")
            else:
                st.info(ui.t("survey.preview_ok"))
                survey_tables(preview)
                if len(preview.submissions) and st.button(ui.t("survey.confirm"), type="primary", key="survey-confirm"):
                    out = handle_assessment(viewer, files, dry_run=False, approved_only=not unapproved)
                    st.session_state.pop("survey-checked", None)
                    if out.ok:
                        ui.clear_caches()
                        st.success(ui.t("survey.loaded", files=ui.md(", ".join(out.files)),
                                        submissions=i18n.fmt_number(len(out.submissions), lang),
                                        inserted=i18n.fmt_number(out.inserted, lang),
                                        updated=i18n.fmt_number(out.updated, lang),
                                        unchanged=i18n.fmt_number(out.unchanged, lang)))
                    else:
                        st.error(ui.t("survey.refused", file=ui.md(", ".join(out.files)), n=len(out.errors)))
                        ui.table(problems_table(out.errors))

# --- load log ----------------------------------------------------------------------------
with tab_log:
    if tab_log.open:   # only the open tab runs and is sent
        log = ui.cached_query(q.load_log, viewer)
        if not ui.empty_state(log):
            table = log.assign(outcome=[outcome_label(o) for o in log["outcome"]],
                               dataset=[ds_label(d) for d in log["dataset"]])
            table = ui.labels.headed(table, "data.col", lang)
            ui.table(table)
            ui.download_buttons(table, "load_log")

# --- audit log ----------------------------------------------------------------------------
with tab_audit:
    if tab_audit.open:   # only the open tab runs and is sent
        actions = ui.cached_query(q.audit_actions, viewer)["action"].tolist()
        action = ui.filters.select("action", ui.t("data.filter.action"), actions, all_label=ui.t("data.all_actions"),
                                   format_func=lambda a: display.action_label(a, lang), sidebar=False)
        audit = ui.cached_query(q.audit_log, viewer, action=action)
        if not ui.empty_state(audit):
            table = ui.labels.headed(audit.assign(action=[display.action_label(a, lang) for a in audit["action"]]),
                                     "data.col", lang)
            ui.table(table)
            ui.download_buttons(table, "audit_log")
