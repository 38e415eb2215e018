"""Methodology page in AppTest: generated from the file, data quality and freshness equal the store,
the dimension filter narrows, open to every role, and an empty store still renders."""
from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text
from sqlmodel import Session

from hub.db import get_engine
from hub.i18n import fmt_number, t
from hub.models import User
from hub.scoring import load_methodology
from tests.app.helpers import app_as, texts, numeric

PAGE = "pages/methodology.py"


def sql(url: str, stmt: str) -> pd.DataFrame:
    with get_engine(url).connect() as c:
        return pd.read_sql(text(stmt), c)


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def table(at, column: str) -> pd.DataFrame:
    return numeric(next(df.value for df in at.dataframe if column in df.value.columns))


@pytest.mark.parametrize("user, lang", [("hub.admin", "en"), ("donor.demo", "en"), ("mayor.kumanovo", "mk")])
def test_every_role_sees_the_methodology(demo_env, user, lang):
    at = app_as(user, page=PAGE)
    assert not at.exception
    method = load_methodology()
    assert at.title[0].value == t("methodology.title", lang)
    assert metric(at, t("methodology.indicators_n", lang)) == fmt_number(len(method.indicators), lang)
    assert metric(at, t("methodology.dimensions_n", lang)) == fmt_number(len(method.dimensions), lang)
    inds = table(at, t("methodology.col.polarity", lang))
    assert sorted(inds[t("methodology.col.code", lang)]) == sorted(method.indicators)
    assert len(at.get("latex")) >= 6
    # No municipality is named anywhere on the page.
    names = sql(demo_env, "SELECT name FROM municipalities")["name"]
    shown = texts(at) + "\n".join(df.value.to_csv() for df in at.dataframe)
    assert not [n for n in names if n in shown]


def test_data_quality_and_freshness_equal_the_store(demo_env):
    at = app_as("hub.admin", page=PAGE)
    missing = sql(demo_env, """
        SELECT SUM(p.assessed - COALESCE(o.n, 0)) AS missing FROM indicators i
        CROSS JOIN (SELECT period, COUNT(DISTINCT municipality_code) AS assessed FROM indicator_values
                    GROUP BY period) p
        LEFT JOIN (SELECT indicator_code, period, COUNT(value) AS n FROM indicator_values
                   GROUP BY indicator_code, period) o ON o.indicator_code = i.code AND o.period = p.period
    """)["missing"][0]
    assert metric(at, t("methodology.missing_total", "en")) == fmt_number(missing, "en")
    quality = table(at, "2025")
    periods = sql(demo_env, "SELECT DISTINCT period FROM indicator_values")["period"]
    assert int(quality[list(periods)].sum().sum()) == missing
    fresh = table(at, t("methodology.col.file", "en"))
    loaded = sql(demo_env, "SELECT DISTINCT dataset, file_name FROM load_log WHERE outcome = 'ok'")
    assert set(loaded["file_name"]) <= set(fresh[t("methodology.col.file", "en")])
    up = f"🟢 {t('methodology.status.up_to_date', 'en')}"       # the demo was loaded minutes ago
    row = fresh[fresh[t("methodology.col.dataset", "en")] == t("methodology.dataset.municipalities", "en")]
    assert row[t("methodology.col.status", "en")].iloc[0] == up


def test_dimension_filter_in_the_url_narrows(demo_env):
    method = load_methodology()
    at = app_as("hub.admin", page=PAGE, query={"dimension": "youth_engagement"})
    inds = table(at, t("methodology.col.polarity", "en"))
    expected = sorted(i.id for i in method.indicators.values() if i.dimension == "youth_engagement")
    assert sorted(inds[t("methodology.col.code", "en")]) == expected
    quality = table(at, "2025")
    catalogue = sql(demo_env, "SELECT code FROM indicators WHERE domain = 'youth_engagement'")
    assert sorted(quality[t("methodology.col.code", "en")]) == sorted(catalogue["code"])


def test_empty_store_still_explains_the_method(empty_env):
    with Session(get_engine(empty_env)) as s:
        s.add(User(username="donor.x", display_name="Donor", role="donor"))
        s.commit()
    at = app_as("donor.x", page=PAGE)
    assert not at.exception
    assert t("common.no_data", "en") in texts(at)          # no data quality without values
    fresh = table(at, t("methodology.col.file", "en"))
    never = f"⚪ {t('methodology.status.never_loaded', 'en')}"
    assert set(fresh[t("methodology.col.status", "en")]) == {never}


def test_dimension_choices_in_the_users_language(demo_env):
    at = app_as("mayor.kumanovo", page=PAGE)           # Macedonian account
    box = at.sidebar.selectbox(key="f-dimension-mk")    # the widget key carries a non-English language
    assert t("city.dimension.youth_engagement", "mk") in box.options
    assert t("methodology.all_dimensions", "mk") in box.options
