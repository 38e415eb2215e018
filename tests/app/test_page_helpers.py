"""The page helpers: words for codes (ui.labels), headline figures (ui.metrics), the filter sidebar
(ui.filters.sidebar)."""
from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from hub import i18n


# --- ui.labels -------------------------------------------------------------------------------------
def test_label_is_the_catalog_word_or_the_fallback():
    from ui import labels
    assert labels.label("fund.theme", "youth_engagement", "mk") == i18n.t("fund.theme.youth_engagement", "mk")
    assert labels.label("fund.theme", "no_such_theme", "mk") == "no_such_theme"
    assert labels.label("data.outcome", None, "en") is None              # a value as it is, not "None"
    assert labels.label("city.theme", "no_such_theme", "en", fallback=labels.humanise) == "no such theme"
    # several prefixes: the first that has the code
    assert labels.label(("methodology.dataset", "data.dataset"), "events", "sq") == \
        i18n.t("methodology.dataset.events" if i18n.has_key("methodology.dataset.events", "en")
               else "data.dataset.events", "sq")


def test_labellers_are_bound_to_their_language():
    from ui import labels
    theme = labels.labeller("fund.theme", "bcms")
    assert theme("social_cohesion") == i18n.t("fund.theme.social_cohesion", "bcms")
    kind = labels.data_labeller("events.kind", "sq")
    assert kind("workshop") == i18n.t("events.kind.workshop", "sq")
    assert kind(None) == "—"
    df = pd.DataFrame({"events": [1], "participants": [2]})
    assert list(labels.headed(df, "events.col", "mk").columns) == [
        i18n.t("events.col.events", "mk"), i18n.t("events.col.participants", "mk")]


# --- ui.metrics ------------------------------------------------------------------------------------
def _metrics_script() -> None:
    import ui
    row = {"n": 1234, "eur": 1500.0, "share": 0.531, "days": 12.25, "none": None}
    ui.metrics(row, [
        ui.Figure("n", "Count"),
        ui.Figure("eur", "Money", "money"),
        ui.Figure("share", "Share", "percent", 1, help="of all"),
        None,                                        # a figure this viewer does not get
        ui.Figure("days", "Days", decimals=1),
        ui.Figure("none", "Missing"),
        ui.Figure("absent", "Absent"),
    ], columns=3)


def test_metrics_formats_each_figure_and_fills_rows():
    at = AppTest.from_function(_metrics_script, default_timeout=30)
    at.query_params["lang"] = "mk"
    at.run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert shown == {"Count": i18n.fmt_number(1234, "mk"), "Money": i18n.fmt_money(1500.0, "mk"),
                     "Share": i18n.fmt_percent(0.531, "mk", 1), "Days": i18n.fmt_number(12.25, "mk", 1),
                     "Missing": "—", "Absent": "—"}
    assert [m.label for m in at.metric] == ["Count", "Money", "Share", "Days", "Missing", "Absent"]
    assert at.metric[2].help == "of all"
    assert len(at.columns) == 6                      # two rows of three


def test_a_row_holds_only_figures_that_fit_whole():
    from ui.figures import per_row
    short = [("Events", "43", False)] * 6
    assert per_row(short) == 6 and per_row(short, 3) == 3
    # the youth page's five figures in Albanian (labels of ~33 characters) were cut short five to a
    # row ("Pjesa e të rinjve në popullsi …"): three and two now
    youth = [(i18n.t(f"youth.metric.{k}", "sq"), "52,1", False)
             for k in ("council", "share", "reached", "decision", "unemployment")]
    assert per_row(youth) == 3
    assert per_row([("Pjesa e të rinjve në popullsi (mosha 15–29, %)", "1", True)] * 4) == 2
    assert per_row([("Approved", "100.002.500,00 €", False)] * 6, 4) == 3     # a long value, too
    assert per_row([("x" * 200, "1", False)] * 3) == 1 and per_row([]) == 1


def _long_labels_script() -> None:
    import ui
    ui.metrics({"a": 1}, [ui.Figure("a", f"Pjesa e të rinjve në popullsi (mosha 15–29, %) {i}") for i in range(5)])


def test_metrics_with_long_labels_wrap_to_more_rows():
    at = AppTest.from_function(_long_labels_script, default_timeout=30)
    at.run()
    assert not at.exception and len(at.metric) == 5
    assert len(at.columns) == 6                      # three rows of two (the last one half empty), not one of five


# --- ui.filters.sidebar ----------------------------------------------------------------------------
def _sidebar_script() -> None:
    import pandas as pd
    import streamlit as st

    import ui
    options = pd.DataFrame({"kind": ["kind", "kind", "year", "actor_kind"],
                            "value": ["workshop", "visit", "2024", "cso"]})
    chosen = ui.filters.sidebar("Filters", options, [
        ("kinds", "kind", "Kind", str.upper),
        ("years", "year", "Year"),
        ("actors", "actor", "Actor", None, "actor_kind"),
    ])
    st.write(repr(sorted(chosen.items())))


def test_sidebar_reads_the_url_and_leaves_empty_filters_out():
    at = AppTest.from_function(_sidebar_script, default_timeout=30)
    at.query_params["lang"] = "en"
    at.query_params["kind"] = "visit"
    at.run()
    assert not at.exception
    assert at.sidebar.header[0].value == "Filters"
    kind, year, actor = at.sidebar.multiselect
    assert kind.options == ["WORKSHOP", "VISIT"] and kind.value == ["visit"]
    assert year.options == ["2024"] and actor.options == ["cso"]
    assert at.markdown[0].value == repr([("kinds", ["visit"])])
    actor.set_value(["cso"]).run()
    assert at.markdown[0].value == repr([("actors", ["cso"]), ("kinds", ["visit"])])
    assert at.query_params["actor"] in ("cso", ["cso"])
