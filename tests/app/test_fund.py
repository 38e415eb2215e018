"""Technical Support Fund page in AppTest: figures equal the store, filters narrow, empty and one-city cases."""
from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text
from sqlmodel import Session

from hub import i18n
from hub.db import get_engine
from hub.i18n import fmt_money, fmt_number, fmt_percent
from hub.models import User
from tests.app.helpers import app_as, numeric, open_tab, table_with, texts
from tests.app.helpers_lang import app_in
from tests.unit.queries.test_fund import seed

PAGE = "pages/fund.py"


def _users(eng, *extra):
    with Session(eng) as s:
        s.add_all([User(username="hub.admin", display_name="Hub", role="hub"),
                   User(username="donor.demo", display_name="Donor", role="donor"), *extra])
        s.commit()


@pytest.fixture
def small_env(empty_url, monkeypatch):
    url = empty_url
    eng = seed(get_engine(url))
    _users(eng)
    monkeypatch.setenv("DATABASE_URL", url)
    return eng


def _metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_headline_equals_store(small_env):
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    with small_env.connect() as c:
        req = c.execute(text("select sum(requested_eur) from fund_applications")).scalar()
        appr = c.execute(text("select sum(approved_eur) from fund_applications "
                              "where status in ('approved','completed')")).scalar()
        paid = c.execute(text("select sum(amount_eur) from disbursements")).scalar()
    assert _metric(at, "Applications") == "4"
    assert _metric(at, "Requested") == fmt_money(req, "en")
    assert _metric(at, "Approved") == fmt_money(appr, "en")
    assert _metric(at, "Disbursed") == fmt_money(paid, "en")
    assert _metric(at, "Absorption rate") == fmt_percent(paid / appr, "en", decimals=1)
    assert _metric(at, "Median days to first tranche") == fmt_number(20, "en")
    apps = numeric(table_with(at, "Project title"))
    assert sorted(apps["Application"]) == ["A1", "A2", "A3", "A4"]


def test_filters_in_url_narrow_the_page(small_env):
    at = app_as("hub.admin", page=PAGE, query={"country": "BA"})
    at.query_params["country"] = "BA"
    at.run()
    assert not at.exception
    assert _metric(at, "Applications") == "2"
    apps = numeric(table_with(at, "Project title"))
    assert set(apps["Application"]) == {"A3", "A4"}
    assert "Tuzla" in set(apps["Municipality"])
    # the sidebar widget narrows too, and writes the filter to the URL
    at.sidebar.multiselect(key="f-country").set_value(["MK"]).run()
    assert _metric(at, "Applications") == "2"
    assert at.query_params["country"] == ["MK"] or at.query_params["country"] == "MK"


def test_tranches_of_selected_application(small_env):
    at = app_as("hub.admin", page=PAGE)
    open_tab(at, "Applications and tranches")             # each tab runs only when open (ui.tabs)
    at.selectbox(key="f-app").set_value("A1").run()
    assert not at.exception
    tr = numeric(table_with(at, "Tranche"))
    assert tr["Amount (EUR)"].tolist() == [4000, 2000]


def test_donor_sees_fund_page(small_env):
    at = app_as("donor.demo", page=PAGE)
    assert not at.exception
    assert _metric(at, "Applications") == "4"


def test_empty_database_says_so(empty_env):
    _users(get_engine(empty_env))
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    assert "No data for this selection." in texts(at)
    assert not at.metric


def test_one_city(empty_url, monkeypatch):
    url = empty_url
    eng = seed(get_engine(url))
    with eng.begin() as c:
        for table in ("results", "disbursements"):
            c.execute(text(f"delete from {table} where application_id in "
                           "(select application_id from fund_applications where municipality_code <> 'BA001')"))
        c.execute(text("delete from fund_applications where municipality_code <> 'BA001'"))
    _users(eng)
    monkeypatch.setenv("DATABASE_URL", url)
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    assert _metric(at, "Applications") == "2"
    assert _metric(at, "Disbursed") == fmt_money(0, "en")
    assert "—" == _metric(at, "Median days to first tranche")


def test_demo_headline_and_paging_equal_store(demo_env):
    eng = get_engine(demo_env)
    apps = pd.read_sql("select * from fund_applications", eng)
    paid = pd.read_sql("select * from disbursements", eng, parse_dates=["paid_on"])
    approved = apps.loc[apps["status"].isin(["approved", "completed"]), "approved_eur"].sum()
    first = paid.groupby("application_id")["paid_on"].min()
    decided = pd.to_datetime(apps.set_index("application_id")["decided_on"])
    days = (first - decided.reindex(first.index)).dt.days.dropna()
    at = app_as("hub.admin", page=PAGE)
    assert not at.exception
    assert _metric(at, "Applications") == fmt_number(len(apps), "en")
    assert _metric(at, "Approved") == fmt_money(approved, "en")
    assert _metric(at, "Disbursed") == fmt_money(paid["amount_eur"].sum(), "en")
    assert _metric(at, "Absorption rate") == fmt_percent(paid["amount_eur"].sum() / approved, "en", decimals=1)
    assert _metric(at, "Median days to first tranche") == fmt_number(days.median(), "en")
    shown = numeric(table_with(at, "Project title"))
    assert len(shown) == min(50, len(apps))
    by_country = numeric(table_with(at, "Economy", "Applications"))
    assert by_country["Requested (EUR)"].sum() == pytest.approx(apps["requested_eur"].sum())


def test_demo_year_filter(demo_env):
    apps = pd.read_sql("select * from fund_applications", get_engine(demo_env))
    year = str(pd.to_datetime(apps["submitted_on"]).dt.year.max())
    at = app_as("hub.admin", page=PAGE, query={"year": year})
    assert not at.exception
    n = int((pd.to_datetime(apps["submitted_on"]).dt.year.astype(str) == year).sum())
    assert _metric(at, "Applications") == fmt_number(n, "en")


def test_in_macedonian(demo_env):
    at = app_in("mk", "donor.demo", PAGE)
    assert not at.exception
    assert at.title[0].value == i18n.t("nav.fund", "mk") != i18n.t("nav.fund", "en")
    assert any(m.label == "Стапка на апсорпција" for m in at.metric)
    assert "fund." not in texts(at)   # no catalog key leaks through untranslated


@pytest.mark.parametrize("lang", ["sq", "mk"])
def test_empty_filters_say_all_in_the_ui_language(demo_env, lang):
    """Streamlit's own multiselect placeholder ("Choose options") is English in every language."""
    from hub.i18n import t as tr
    at = app_as("donor.demo", page="pages/fund.py", query={"lang": lang})
    assert not at.exception
    assert at.multiselect and {m.proto.placeholder for m in at.multiselect} == {tr("common.filter_all", lang)}
