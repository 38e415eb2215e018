"""The fund page for a donor account (my contribution next to the whole fund) and for the hub
(every donor, a donor filter), on the demo store (issue 15)."""
from __future__ import annotations

from hub.accounts import load_viewer
from hub.db import get_engine
from hub import i18n
from hub.i18n import fmt_money
from hub.queries import fund as q
from tests.app.helpers import app_as, each_tab, numeric, open_tab, table_with, texts

PAGE = "pages/fund.py"


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_donor_sees_my_contribution_and_the_whole_fund(demo_env):
    at = app_as("donor.demo", PAGE)
    assert not at.exception
    shown = texts(at)
    assert "My contribution (Switzerland)" in shown and "The whole fund" in shown
    viewer = load_viewer("donor.demo", get_engine(demo_env))
    h = q.headline(viewer).iloc[0]
    approved = [m.value for m in at.metric if m.label == "Approved"]
    assert approved[:2] == [fmt_money(h["contribution_approved_eur"], "en"), fmt_money(h["approved_eur"], "en")]
    # the flow table adds up to the contribution to the cent, and names no other donor
    flow = numeric(table_with(at, "Round"))
    assert round(flow["Approved (EUR)"].sum(), 2) == h["contribution_approved_eur"]
    assert set(flow["Donor"]) == {"Switzerland"}
    # the same flow for the whole fund: other donors as one combined row per project, the fund's totals
    at.selectbox(key=next(w.key for w in at.selectbox if w.label == "Figures for")).set_value("fund").run()
    assert not at.exception
    whole = numeric(table_with(at, "Round"))
    assert set(whole["Donor"]) == {"Switzerland", "Other donors (combined)"}
    assert round(whole["Approved (EUR)"].sum(), 2) == h["approved_eur"]
    # amounts by economy: the contribution beside the whole fund, each adding up to its headline
    by = numeric(table_with(at, "Contribution, approved (EUR)", "Requested (EUR)"))
    assert round(by["Contribution, approved (EUR)"].sum(), 2) == h["contribution_approved_eur"]
    assert round(by["Contribution, disbursed (EUR)"].sum(), 2) == h["contribution_disbursed_eur"]
    assert round(by["Approved (EUR)"].sum(), 2) == h["approved_eur"]
    # commitments and disbursements by month: the contribution's cumulative figures end at its headline
    tl = numeric(table_with(at, "Contribution disbursed, cumulative (EUR)"))
    assert tl["Contribution committed, cumulative (EUR)"].iloc[-1] == h["contribution_approved_eur"]
    assert tl["Contribution disbursed, cumulative (EUR)"].iloc[-1] == h["contribution_disbursed_eur"]
    # the donor filter offers only the donor's own name
    donor_filter = next(w for w in at.multiselect if w.label == "Donor")
    assert donor_filter.options == ["Switzerland"]
    # no table in any tab carries another donor's name (each tab runs only when open: ui.tabs)
    for _ in each_tab(at):
        for df in at.dataframe:
            cells = {str(v) for v in df.value.astype(str).to_numpy().ravel()}
            assert not cells & {"Norway", "European Union", "United Kingdom"}, df.value.columns


def test_donor_is_offered_each_export(demo_env):
    from hub import exports
    at = app_as("donor.demo", PAGE)
    open_tab(at, i18n.t("donors.tab.exports", "en"))
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    for kind in exports.KINDS:
        label = i18n.t(f"donors.export.{kind}", "en")
        assert label in buttons, label
        assert buttons[label].url or buttons[label].deferred_file_id     # a file behind it (built on click)


def test_hub_sees_every_donor_and_filters_by_donor(demo_env):
    at = app_as("hub.admin", PAGE)
    assert not at.exception
    donor_filter = next(w for w in at.multiselect if w.label == "Donor")
    assert donor_filter.options == ["European Union", "Norway", "Switzerland", "United Kingdom"]
    assert "My contribution" not in texts(at)
    flow = numeric(table_with(at, "Round"))
    assert set(flow["Donor"]) == {"European Union", "Norway", "Switzerland", "United Kingdom"}
    donor_filter.set_value(["Norway"]).run()
    assert not at.exception
    assert "Contribution of Norway" in texts(at)
    flow = numeric(table_with(at, "Round"))
    assert set(flow["Donor"]) == {"Norway"}


def test_every_chart_downloads_png_and_csv(demo_env):
    at = app_as("donor.demo", PAGE)
    charts = at.get("plotly_chart")
    assert charts
    import json
    for c in charts:
        config = json.loads(c.proto.config)
        assert config["toImageButtonOptions"]["format"] == "png" and config["toImageButtonOptions"]["filename"]
    csv_buttons = [b for b in at.get("download_button") if b.proto.label == "Download CSV"]
    assert len(csv_buttons) >= len(charts)


def test_fund_page_in_albanian_as_donor(demo_env):
    at = app_as("donor.demo", PAGE, query={"lang": "sq"})
    assert not at.exception
    assert "Kontributi im (Switzerland)" in texts(at) and "I gjithë fondi" in texts(at)
