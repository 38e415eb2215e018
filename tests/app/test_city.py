"""City profile in AppTest: the mayor's own city against the store, ?city= tampering refused and
audited, the hub's diacritic- and script-blind search, and the empty and one-city cases."""
from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text
from sqlmodel import Session

from hub.db import get_engine
from hub.i18n import fmt_number, place_name, t
from hub.models import Municipality, User
from tests.app.helpers import app_as, each_tab, numeric, open_tab, texts

PAGE = "pages/city.py"


def open_city(user: str, **query) -> object:
    at = app_as(user, page=PAGE, query=query)   # the link as shared: ?city=...&lang=...
    assert not at.exception, at.exception
    return at


def sql(url: str, stmt: str, **params) -> pd.DataFrame:
    with get_engine(url).connect() as c:
        return pd.read_sql(text(stmt), c, params=params)


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_mayor_sees_own_city_in_own_language(demo_env):
    at = open_city("mayor.kumanovo")
    lang = "mk"
    m = sql(demo_env, "SELECT * FROM municipalities WHERE code = 'MK001'").iloc[0]
    assert at.header[0].value == place_name(m["name"], m["name_local"], lang, "MK")
    assert at.query_params["city"] == ["MK001"] or at.query_params["city"] == "MK001"
    latest = sql(demo_env, "SELECT MAX(period) AS p FROM need_scores")["p"][0]
    own = sql(demo_env, "SELECT * FROM need_scores WHERE municipality_code = 'MK001' AND period = :p",
              p=latest).iloc[0]
    n = sql(demo_env, "SELECT COUNT(*) AS n FROM need_scores WHERE period = :p AND score IS NOT NULL",
            p=latest)["n"][0]
    assert metric(at, t("city.need_index", lang)) == fmt_number(own["score"], lang, 1)
    assert metric(at, t("city.rank", lang)) == t("city.rank_of", lang, rank=fmt_number(own["rank"], lang),
                                                 of=fmt_number(n, lang))
    # The scores table: the city's index and the medians recomputed from the store.
    scores = numeric(at.dataframe[0].value, lang)
    allv = sql(demo_env, """SELECT n.municipality_code AS code, n.score, m.country FROM need_scores n
                            JOIN municipalities m ON m.code = n.municipality_code WHERE n.period = :p""",
               p=latest)
    first = scores.iloc[0]
    assert first.iloc[1] == pytest.approx(round(own["score"], 1))
    assert first[t("city.compare.economy_median", lang)] == pytest.approx(
        round(allv[allv.country == "MK"]["score"].median(), 1))
    assert first[t("city.compare.region_median", lang)] == pytest.approx(round(allv["score"].median(), 1))
    # Records: the city's own applications and help-desk requests, all of them and only them.
    apps = sql(demo_env, "SELECT application_id FROM fund_applications WHERE municipality_code = 'MK001'")
    hd = sql(demo_env, "SELECT request_id FROM helpdesk_requests WHERE municipality_code = 'MK001'")
    open_tab(at, t("display.city_tab.fund", lang))        # tabs run only when open (ui.tabs)
    shown_apps = numeric(next(df.value for df in at.dataframe if t("city.col.application", lang) in df.value.columns))
    assert sorted(shown_apps[t("city.col.application", lang)]) == sorted(apps["application_id"])
    open_tab(at, t("display.city_tab.helpdesk", lang))
    shown_hd = numeric(next(df.value for df in at.dataframe if t("city.col.request", lang) in df.value.columns))
    assert sorted(shown_hd[t("city.col.request", lang)]) == sorted(hd["request_id"])
    # The one-page PDF is offered above the tabs (built on click; its content is tested in
    # tests/unit/test_pdf.py), and CSV and Excel under every table of every tab.
    labels = [[b.proto.label for b in tab.get("download_button")] for tab in each_tab(at)]
    assert all(t("city.download_pdf", lang) in tab for tab in labels)
    assert sum(len(tab) - 1 for tab in labels) >= 2 * 6


def test_mayor_page_names_no_other_city(demo_env):
    at = open_city("mayor.kumanovo", lang="en")
    # The public practices recommended to the mayor name their cities (issue 16), never their scores.
    from hub.accounts import load_viewer
    from hub.queries.recommend import recommendations
    recommended = set(recommendations(load_viewer("mayor.kumanovo"), city="MK001")["municipality_code"].dropna())
    others = sql(demo_env, "SELECT code, name, name_local FROM municipalities WHERE code <> 'MK001'")
    others = others[~others["code"].isin(recommended)]
    names = set(others["name"]) | set(others["name_local"].dropna())
    # Event places and titles may name a host town; every other text and table must not.
    tables, shown = [], ""
    for tab in each_tab(at):                              # every tab, each run only when open (ui.tabs)
        tables += [df.value for df in tab.dataframe if t("city.col.location", "en") not in df.value.columns]
        shown += texts(tab)
    assert len(tables) >= 5
    shown += "\n".join(df.to_csv() for df in tables)
    leaked = [n for n in names if n in shown and n not in ("Kumanovo",)]
    assert not leaked
    assert len(at.selectbox) == 1     # the period only: a mayor picks no city


def test_mayor_tampering_with_city_is_refused_and_audited(demo_env):
    before = sql(demo_env, "SELECT COUNT(*) AS n FROM audit_log WHERE target = 'city:MK002'")["n"][0]
    at = open_city("mayor.kumanovo", city="MK002", lang="en")
    assert t("city.not_available", "en") in [w.value for w in at.warning]
    assert not at.dataframe and not at.metric
    rows = sql(demo_env, "SELECT username, action FROM audit_log WHERE target = 'city:MK002'")
    assert len(rows) > before      # one line per run of the page (app_as runs it twice: landing, then switch)
    assert set(map(tuple, rows.values.tolist())) == {("mayor.kumanovo", "refused")}
    # The way back to their own profile.
    at.button[0].click().run()
    assert not at.exception and at.header[0].value == "Kumanovo"


def test_hub_opens_any_city_from_the_url(demo_env):
    at = open_city("hub.admin", city="BA001", lang="en")
    assert at.header[0].value == "Tuzla"
    assert at.sidebar.selectbox(key="f-city").value == "BA001"
    ev = sql(demo_env, """SELECT COUNT(DISTINCT event_id) AS n FROM participants
                          WHERE municipality_code = 'BA001'""")["n"][0]
    open_tab(at, t("display.city_tab.events", "en"))
    shown = numeric(next(df.value for df in at.dataframe if t("city.col.participants", "en") in df.value.columns))
    assert len(shown) == ev


def test_hub_search_ignores_script_and_diacritics(demo_env):
    at = open_city("hub.admin", lang="en")
    all_n = len(at.sidebar.selectbox(key="f-city").options)
    assert all_n == sql(demo_env, "SELECT COUNT(*) AS n FROM municipalities")["n"][0]
    for typed in ("cair", "ЧАИР", "Čair"):
        at.sidebar.text_input(key="city-search").input(typed).run()
        box = at.sidebar.selectbox(key="f-city")
        assert any(o.startswith("Čair") for o in box.options), typed
        assert len(box.options) < all_n


def test_hub_unknown_code_is_said_plainly(demo_env):
    at = open_city("hub.admin", city="ZZ999", lang="en")
    assert t("city.unknown_city", "en", code="ZZ999") in [w.value for w in at.warning]


def test_donor_cannot_open_the_page(demo_env):
    from streamlit.testing.v1 import AppTest
    from tests.app.helpers import ROOT, fresh_caches
    fresh_caches()
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)   # a direct run of the page script
    at.session_state["auth_user"] = "donor.demo"
    at.query_params["city"] = "MK001"
    at.run()
    assert [w.value for w in at.warning] == [t("common.not_available", "en")]
    assert not at.dataframe and not at.metric and not at.header


def test_empty_database(empty_env):
    with Session(get_engine(empty_env)) as s:
        s.add(User(username="hub.admin", display_name="Hub", role="hub"))
        s.commit()
    at = open_city("hub.admin", lang="en")
    assert t("city.no_city", "en") in texts(at)


def test_one_city_without_scores(empty_env):
    with Session(get_engine(empty_env)) as s:
        s.add(Municipality(code="ME001", name="<script>alert(1)</script>", country="ME", population=1000))
        s.commit()
        s.add(User(username="mayor.one", display_name="Mayor", role="mayor", municipality_code="ME001"))
        s.commit()
    at = open_city("mayor.one", lang="en")
    # Markup in a name is shown as text (escaped for Markdown), never run.
    assert at.header[0].value.replace("\\", "") == "<script>alert(1)</script>"
    # A city without any data: one sentence instead of a "No data" box per section.
    assert t("display.not_member", "en", city="").strip() in texts(at).replace("\\", "")
    assert t("common.no_data", "en") not in texts(at)
