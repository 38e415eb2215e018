"""Practices and partners: the Help Desk's knowledge, searchable in any language and script.

Hub staff see every entry; mayors and donors the public ones (the query layer decides). ``?q=``
holds the search and the sidebar filters live in the URL too, so a search can be shared as a link.
"""
import ui

viewer = ui.require_viewer("practices")

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from hub import i18n  # noqa: E402
from hub.labels import country_name  # noqa: E402
from hub.queries import knowledge as q  # noqa: E402

lang = ui.lang()

ui.page_header(ui.t("practices.title"), ui.t("practices.intro"))

theme_label = ui.labels.labeller("city.theme", lang, fallback=ui.labels.humanise)


def themes_text(cell) -> str:
    return ", ".join(theme_label(x) for x in q.split(cell))


def labels_text(cell, area: str) -> str:
    return ", ".join(ui.t(f"practices.{area}.{x}") for x in q.split(cell))


st.sidebar.header(ui.t("practices.filters"))
search = ui.filters.text("q", ui.t("practices.search"), help=ui.t("practices.search_help"))
chosen = ui.filters.multiselects(ui.cached_query(q.filter_options, viewer), [
    ("themes", "theme", ui.t("practices.filter_theme"), theme_label),
    ("countries", "economy", ui.t("practices.filter_economy"), lambda c: country_name(c, lang), "country"),
    ("stages", "stage", ui.t("practices.filter_stage"), lambda s: ui.t(f"practices.stage.{s}")),
    ("kinds", "kind", ui.t("practices.filter_kind"), lambda k: ui.t(f"practices.kind.{k}"), "actor_kind"),
    ("offers", "offer", ui.t("practices.filter_offer"), lambda o: ui.t(f"practices.offer.{o}")),
])
themes, countries = chosen["themes"], chosen["countries"]

found = ui.cached_query(q.practices, viewer, search=search, themes=themes, countries=countries,
                        stages=chosen["stages"], lang=lang)
partners = ui.cached_query(q.actors, viewer, search=search, themes=themes, countries=countries,
                           kinds=chosen["kinds"], offers=chosen["offers"], lang=lang)

tab_p, tab_a = st.tabs([f"{ui.t('practices.practices')} ({i18n.fmt_number(len(found), lang)})",
                        f"{ui.t('practices.actors')} ({i18n.fmt_number(len(partners), lang)})"])

with tab_p:
    if found.empty:
        st.info(ui.t("practices.none_found"))
    else:
        shown = pd.DataFrame({
            ui.t("practices.col.title"): found["title"],
            ui.t("practices.col.city"): found["city"].fillna("—"),
            ui.t("practices.col.economy"): [country_name(c, lang) if isinstance(c, str) else "—"
                                            for c in found["country"]],
            ui.t("practices.col.themes"): [themes_text(c) for c in found["themes"]],
            ui.t("practices.col.stage"): [ui.t(f"practices.stage.{s}") for s in found["stage"]],
            ui.t("practices.col.year"): found["year_started"].astype("Int64"),
            ui.t("practices.col.contact"): found["contact_organisation"],
            ui.t("practices.col.public"): found["public"],
        })
        ui.table(shown, kinds={ui.t("practices.col.year"): "year", ui.t("practices.col.public"): "bool"})
        ui.download_buttons(shown, "practices", key="practices")
        ui.kosovo_caption(found["country"].dropna(), lang)

        st.subheader(ui.t("practices.details"))
        ids = found["practice_id"].tolist()
        titles = dict(zip(ids, found["title"]))
        pick = st.selectbox(ui.t("practices.pick_practice"), ids, format_func=lambda i: titles.get(i, i),
                            key="practice-pick")
        row = found[found["practice_id"] == pick].iloc[0]
        with st.container(border=True):
            st.markdown(f"**{ui.md(row['title'])}**")
            facts = [x for x in (row["city"], ui.t(f"practices.stage.{row['stage']}"),
                                 None if pd.isna(row["year_started"]) else str(int(row["year_started"])),
                                 themes_text(row["themes"])) if x]
            st.caption(ui.md(" · ".join(facts)))
            if row["summary"]:
                st.text(row["summary"])
            if isinstance(row["contact_organisation"], str):
                st.caption(ui.md(f"{ui.t('practices.col.contact')}: {row['contact_organisation']}"))
            for i, link in enumerate(q.split(row["links"])):
                st.link_button(f"{ui.t('practices.links')} {i + 1}", link, icon=":material/description:")
            if not row["public"]:
                st.caption(ui.t("practices.not_public"))

with tab_a:
    if partners.empty:
        st.info(ui.t("practices.none_found"))
    else:
        shown = pd.DataFrame({
            ui.t("practices.col.name"): partners["name"],
            ui.t("practices.col.kind"): [ui.t(f"practices.kind.{k}") for k in partners["kind"]],
            ui.t("practices.col.economies"): [", ".join(country_name(c, lang) for c in q.split(e))
                                              or ui.t("practices.region_wide") for e in partners["economies"]],
            ui.t("practices.col.themes"): [themes_text(c) for c in partners["themes"]],
            ui.t("practices.col.offers"): [labels_text(c, "offer") for c in partners["offers"]],
            ui.t("practices.col.contact"): partners["contact"],
            ui.t("practices.col.website"): partners["website"],
        })
        ui.table(shown, kinds={ui.t("practices.col.website"): "text"},
                 column_config={ui.t("practices.col.website"): st.column_config.LinkColumn()})
        ui.download_buttons(shown, "partners", key="partners")
        ui.kosovo_caption([c for e in partners["economies"] for c in q.split(e)], lang)
