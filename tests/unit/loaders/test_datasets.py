"""Every dataset: a good file lands, a re-load changes nothing, and every kind of bad file is refused
whole (store unchanged, the message naming file, row and column)."""
from __future__ import annotations

import pytest

from loaders import DATASETS, LoadRefused, load_file
from tests.unit.loaders.conftest import snapshot, table_rows, write_csv

# A good file per dataset, valid on top of the BASE reference data.
GOOD = {
    "municipalities": [
        ["code", "name", "name_local", "country", "region", "population", "youth_population",
         "latitude", "longitude", "member_since"],
        ["RS001", "Čačak", "Чачак", "RS", "Moravica", "106452", "18000", "43.89139", "20.34972", "2020-01-20"],
        ["AL001", "Shkodër", "Shkodër", "AL", "Shkodër County", "77075", "16500", "42.06828", "19.51258", ""],
        ["XK001", "Gjilan", "Gjilan / Gnjilane", "XK", "Gjilan", "90178", "22000", "42.46353", "21.46939",
         "2021-06-01"],
    ],
    "indicators": [
        ["code", "name", "domain", "unit", "polarity", "description", "source", "sensitive"],
        ["trust_local_institutions", "Trust in local institutions", "social_cohesion", "%",
         "higher_is_better", "Residents who trust the municipality", "Survey", "no"],
        ["online_hate_exposure", "Online hate exposure", "threat_landscape", "%", "higher_is_worse",
         "", "Survey", "1"],
    ],
    "indicator_values": [
        ["municipality_code", "indicator_code", "period", "value", "source", "note"],
        ["MK001", "hate_incidents", "2024", "4.9", "Police", ""],
        ["MK002", "hate_incidents", "2024", "3.25", "Police", "estimate"],
        ["BA001", "youth_council", "2024-H1", "1", "", ""],
    ],
    "priorities": [
        ["municipality_code", "period", "theme", "rank"],
        ["MK001", "2024", "youth_engagement", "1"],
        ["MK001", "2024", "social_cohesion", "2"],
        ["BA001", "2024", "online_harms", "1"],
    ],
    "fund_applications": [
        ["application_id", "municipality_code", "title", "theme", "submitted_on", "requested_eur", "status",
         "decided_on", "approved_eur", "donor"],
        ["TSF-4", "MK002", "Community action team in Čair", "multi_stakeholder_prevention", "2024-06-01",
         "15000.50", "approved", "2024-07-01", "15000", "Norway"],
        ["TSF-5", "BA001", "Youth festival", "youth_engagement", "2024-06-02", "5000", "rejected",
         "2024-07-02", "", ""],
        ["TSF-6", "MK001", "Trainings for front-line staff", "gender_and_inclusion", "2024-08-01", "7000",
         "under_review", "", "", ""],
    ],
    "disbursements": [
        ["application_id", "tranche", "paid_on", "amount_eur"],
        ["TSF-1", "2", "2024-08-01", "7000"],
        ["TSF-1", "3", "2024-11-01", "5000"],
        ["TSF-3", "1", "2023-07-01", "10000"],
    ],
    "results": [
        ["application_id", "indicator", "baseline", "target", "actual", "reported_on"],
        ["TSF-1", "young people trained", "0", "120", "95", "2024-12-31"],
        ["TSF-3", "plan adopted", "0", "1", "1", "2023-12-15"],
    ],
    "helpdesk_requests": [
        ["request_id", "municipality_code", "opened_on", "topic", "channel", "status", "resolved_on"],
        ["HD-1", "MK001", "2024-02-12", "referral mechanism", "email", "resolved", "2024-03-01"],
        ["HD-2", "BA001", "2024-03-05", "funding guidance", "phone", "open", ""],
    ],
    "events": [
        ["event_id", "kind", "title", "held_on", "language", "location", "virtual"],
        ["EV-2", "workshop", "Youth councils workshop", "2024-11-05", "bcms", "Tuzla", "no"],
        ["EV-3", "training", "Online harms training", "2024-12-01", "sq", "", "yes"],
    ],
    "participants": [
        ["event_id", "municipality_code", "organisation", "role", "count"],
        ["EV-1", "MK001", "Municipality of Kumanovo", "mayor", "1"],
        ["EV-1", "MK001", "Municipality of Kumanovo", "municipal_official", "3"],
        ["EV-1", "", "OSCE Mission to Skopje", "international", "2"],
    ],
    "users": [
        ["username", "display_name", "role", "municipality_code", "language", "email"],
        ["mayor.kumanovo", "Mayor of Kumanovo", "mayor", "MK001", "mk", "mayor@kumanovo.gov.mk"],
        ["donor.demo", "Donor representative", "donor", "", "en", ""],
        ["hub.admin", "Hub administrator", "hub", "", "", "hub@example.org"],
    ],
    # stream know (issue 16): both scripts in one file, lists in either separator
    "practices": [
        ["practice_id", "municipality_code", "title_en", "title_sq", "title_bcms", "title_mk", "summary_en",
         "summary_mk", "themes", "year_started", "stage", "contact_organisation", "links", "tags", "public"],
        ["PR-1", "MK001", "Community Action Team", "", "", "Тим за акција во заедницата", "Monthly case meetings",
         "Месечни средби", "multi_stakeholder_prevention; social_cohesion", "2018", "established",
         "Municipality of Kumanovo", "https://example.org/cat.pdf", "Referral, Police", "true"],
        ["PR-2", "MK002", "", "", "Model s više dionika", "", "", "", "youth_engagement", "2019", "pilot", "", "",
         "", "no"],
        ["PR-3", "", "Regional mayors' network", "", "", "", "", "", "national_local_cooperation", "", "idea", "",
         "", "", ""],
    ],
    "actors": [
        ["actor_id", "name_en", "name_sq", "name_bcms", "name_mk", "kind", "economies", "themes", "offers",
         "contact", "website", "public"],
        ["OSCE-MK", "OSCE Mission to Skopje", "Misioni i OSBE-së në Shkup", "", "Мисија на ОБСЕ во Скопје",
         "international", "mk", "national_local_cooperation", "training;research", "", "https://www.osce.org", ""],
        ["RCC", "Regional Cooperation Council", "", "", "", "regional", "", "online_harms", "research", "", "", ""],
        ["NEXUS", "", "", "", "Нексус", "civil_society", "MK, XK", "social_cohesion", "", "Skopje", "", "false"],
    ],
}

# Bad files: (dataset, case id, {(row index in GOOD, column): new value} or a callable, expected row, column,
# words the message must contain).
BAD = [
    # municipalities
    ("municipalities", "country_outside_list", {(1, "country"): "XX"}, 2, "country", "not allowed"),
    ("municipalities", "negative_population", {(2, "population"): "-5"}, 3, "population", "negative"),
    ("municipalities", "unparseable_latitude", {(1, "latitude"): "north"}, 2, "latitude", "not a number"),
    ("municipalities", "unparseable_date", {(3, "member_since"): "2021-13-01"}, 4, "member_since", "date"),
    ("municipalities", "youth_above_population", {(1, "youth_population"): "200000"}, 2, "youth_population",
     "exceeds"),
    # indicators
    ("indicators", "polarity_outside_list", {(1, "polarity"): "up"}, 2, "polarity", "not allowed"),
    ("indicators", "sensitive_not_boolean", {(2, "sensitive"): "maybe"}, 3, "sensitive", "true/false"),
    # indicator_values
    ("indicator_values", "unknown_municipality", {(2, "municipality_code"): "ZZ999"}, 3, "municipality_code",
     "unknown municipality"),
    ("indicator_values", "unknown_indicator", {(1, "indicator_code"): "nonsense"}, 2, "indicator_code",
     "unknown indicator"),
    ("indicator_values", "unparseable_value", {(3, "value"): "1,2,3x"}, 4, "value", "not a number"),
    ("indicator_values", "bad_period", {(1, "period"): "FY24"}, 2, "period", "not valid"),
    # priorities
    ("priorities", "rank_not_a_number", {(2, "rank"): "second"}, 3, "rank", "not a number"),
    ("priorities", "unknown_municipality", {(3, "municipality_code"): "RS404"}, 4, "municipality_code",
     "unknown municipality"),
    # fund_applications
    ("fund_applications", "negative_money", {(1, "requested_eur"): "-100"}, 2, "requested_eur", "negative"),
    ("fund_applications", "status_outside_list", {(2, "status"): "pending"}, 3, "status", "not allowed"),
    ("fund_applications", "decided_before_submitted", {(2, "decided_on"): "2024-01-01"}, 3, "decided_on",
     "before it was submitted"),
    ("fund_applications", "approved_on_rejected", {(2, "approved_eur"): "5000"}, 3, "approved_eur",
     "cannot have an approved amount"),
    ("fund_applications", "impossible_date", {(3, "submitted_on"): "31.02.2024"}, 4, "submitted_on",
     "not a real date"),
    ("fund_applications", "unknown_municipality", {(1, "municipality_code"): "ME404"}, 2, "municipality_code",
     "unknown municipality"),
    # disbursements
    ("disbursements", "unknown_application", {(3, "application_id"): "TSF-404"}, 4, "application_id",
     "unknown fund application"),
    ("disbursements", "past_approved_amount", {(2, "amount_eur"): "5000.01"}, 3, "amount_eur",
     "past its approved 20,000.00 EUR"),
    ("disbursements", "not_approved_application", {(3, "application_id"): "TSF-2"}, 4, "application_id",
     "status 'submitted'"),
    ("disbursements", "negative_money", {(1, "amount_eur"): "-7000"}, 2, "amount_eur", "negative"),
    ("disbursements", "unparseable_date", {(1, "paid_on"): "yesterday"}, 2, "paid_on", "not a date"),
    # results
    ("results", "unknown_application", {(1, "application_id"): "TSF-999"}, 2, "application_id",
     "unknown fund application"),
    ("results", "unparseable_target", {(2, "target"): "one"}, 3, "target", "not a number"),
    # helpdesk_requests
    ("helpdesk_requests", "status_outside_list", {(2, "status"): "closed"}, 3, "status", "not allowed"),
    ("helpdesk_requests", "resolved_before_opened", {(1, "resolved_on"): "2024-02-01"}, 2, "resolved_on",
     "before it was opened"),
    ("helpdesk_requests", "unknown_municipality", {(2, "municipality_code"): "XK404"}, 3, "municipality_code",
     "unknown municipality"),
    # events
    ("events", "kind_outside_list", {(1, "kind"): "party"}, 2, "kind", "not allowed"),
    ("events", "language_outside_list", {(2, "language"): "de"}, 3, "language", "not allowed"),
    ("events", "virtual_not_boolean", {(2, "virtual"): "sometimes"}, 3, "virtual", "true/false"),
    # participants
    ("participants", "unknown_event", {(2, "event_id"): "EV-404"}, 3, "event_id", "unknown event"),
    ("participants", "role_outside_list", {(3, "role"): "guest"}, 4, "role", "not allowed"),
    ("participants", "count_below_one", {(1, "count"): "0"}, 2, "count", "below the minimum"),
    ("participants", "unknown_municipality", {(1, "municipality_code"): "MK404"}, 2, "municipality_code",
     "unknown municipality"),
    # users
    ("users", "role_outside_list", {(2, "role"): "admin"}, 3, "role", "not allowed"),
    ("users", "language_outside_list", {(1, "language"): "fr"}, 2, "language", "not allowed"),
    ("users", "mayor_without_city", {(1, "municipality_code"): ""}, 2, "municipality_code", "needs"),
    # practices (stream know, issue 16)
    ("practices", "stage_outside_list", {(1, "stage"): "mature"}, 2, "stage", "not allowed"),
    ("practices", "no_title_in_any_language", {(2, "title_bcms"): ""}, 3, "title_en", "at least one language"),
    ("practices", "theme_not_a_slug", {(1, "themes"): "Youth Engagement!"}, 2, "themes", "not valid"),
    ("practices", "link_not_web_address", {(1, "links"): "javascript:alert(1)"}, 2, "links", "not a web address"),
    ("practices", "future_year", {(1, "year_started"): "2999"}, 2, "year_started", "future"),
    ("practices", "unknown_municipality", {(2, "municipality_code"): "MK999"}, 3, "municipality_code",
     "unknown municipality"),
    # actors
    ("actors", "kind_outside_list", {(1, "kind"): "donor"}, 2, "kind", "not allowed"),
    ("actors", "unknown_economy", {(3, "economies"): "MK;GR"}, 4, "economies", "not an economy code"),
    ("actors", "offer_outside_list", {(2, "offers"): "research;money"}, 3, "offers", "not allowed"),
    ("actors", "website_not_web_address", {(1, "website"): "www.osce.org"}, 2, "website", "not a web address"),
    ("actors", "no_name_in_any_language", {(3, "name_mk"): ""}, 4, "name_en", "at least one language"),
]


def edited(dataset: str, changes: dict) -> list[list[str]]:
    rows = [list(r) for r in GOOD[dataset]]
    header = rows[0]
    for (i, col), value in changes.items():
        rows[i][header.index(col)] = value
    return rows


def refused(engine, dataset, path) -> LoadRefused:
    with pytest.raises(LoadRefused) as info:
        load_file(dataset, path, engine=engine, user="test", rescore_after=False)
    return info.value


def assert_names(exc: LoadRefused, file: str, row: int, column: str, words: str) -> None:
    hits = [e for e in exc.errors if e.row == row and e.column == column]
    assert hits, f"no error at row {row}, column {column}: {exc}"
    assert any(words in e.problem for e in hits), str(exc)
    assert all(e.file == file for e in exc.errors)
    assert f"{file}:{row}:{column}: " in str(exc)


def test_every_dataset_is_covered():
    assert set(GOOD) == set(DATASETS)
    assert {case[0] for case in BAD} == set(DATASETS)


@pytest.mark.parametrize("dataset", list(GOOD))
def test_good_file_lands_and_reload_changes_nothing(base, tmp_path, dataset):
    path = write_csv(tmp_path / f"{dataset}.csv", GOOD[dataset])
    before = {name: len(rows) for name, rows in snapshot(base).items()}
    report = load_file(dataset, path, engine=base, user="test", rescore_after=False)
    n = len(GOOD[dataset]) - 1
    assert (report.rows, report.inserted, report.updated) == (n, n, 0)
    table = DATASETS[dataset].table.name
    assert len(table_rows(base, table)) == before[table] + n
    after_first = snapshot(base)

    again = load_file(dataset, path, engine=base, user="test", rescore_after=False)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, n)
    assert snapshot(base) == after_first


@pytest.mark.parametrize("dataset,case,changes,row,column,words", BAD, ids=[f"{b[0]}-{b[1]}" for b in BAD])
def test_bad_file_is_refused_whole(base, tmp_path, dataset, case, changes, row, column, words):
    path = write_csv(tmp_path / f"{dataset}_{case}.csv", edited(dataset, changes))
    before = snapshot(base)
    exc = refused(base, dataset, path)
    assert_names(exc, path.name, row, column, words)
    assert snapshot(base) == before


@pytest.mark.parametrize("dataset", list(GOOD))
def test_duplicate_key_in_file_is_refused(base, tmp_path, dataset):
    rows = GOOD[dataset] + [list(GOOD[dataset][1])]
    path = write_csv(tmp_path / f"{dataset}_dup.csv", rows)
    before = snapshot(base)
    exc = refused(base, dataset, path)
    dup_row = len(rows)
    hits = [e for e in exc.errors if e.row == dup_row and "duplicate of row 2" in e.problem]
    assert hits, str(exc)
    assert snapshot(base) == before


@pytest.mark.parametrize("dataset", list(GOOD))
def test_required_value_missing_is_refused(base, tmp_path, dataset):
    spec = DATASETS[dataset]
    column = spec.key[0]
    path = write_csv(tmp_path / f"{dataset}_blank.csv", edited(dataset, {(2, column): ""}))
    before = snapshot(base)
    exc = refused(base, dataset, path)
    assert_names(exc, path.name, 3, column, "required value missing")
    assert snapshot(base) == before


@pytest.mark.parametrize("dataset", list(GOOD))
def test_missing_required_column_is_refused(base, tmp_path, dataset):
    spec = DATASETS[dataset]
    drop = spec.header_required[-1]
    i = GOOD[dataset][0].index(drop)
    rows = [r[:i] + r[i + 1:] for r in GOOD[dataset]]
    path = write_csv(tmp_path / f"{dataset}_nocol.csv", rows)
    before = snapshot(base)
    exc = refused(base, dataset, path)
    assert any(e.row == 1 and e.column == drop and "missing" in e.problem for e in exc.errors), str(exc)
    assert snapshot(base) == before


def test_all_errors_are_reported_at_once(base, tmp_path):
    rows = edited("fund_applications", {(1, "requested_eur"): "-1", (2, "status"): "pending",
                                        (3, "submitted_on"): "soon"})
    exc = refused(base, "fund_applications", write_csv(tmp_path / "many.csv", rows))
    assert {(e.row, e.column) for e in exc.errors} >= {(2, "requested_eur"), (3, "status"), (4, "submitted_on")}


def test_extra_columns_are_ignored_with_a_warning(base, tmp_path):
    rows = [r + [x] for r, x in zip(GOOD["events"], ["internal_note", "a", "b"])]
    report = load_file("events", write_csv(tmp_path / "events.csv", rows), engine=base, rescore_after=False)
    assert report.inserted == 2
    assert any(w.column == "internal_note" and "ignored" in w.problem for w in report.warnings)


def test_changed_value_counts_as_updated_and_lands(base, tmp_path):
    load_file("indicator_values", write_csv(tmp_path / "a.csv", GOOD["indicator_values"]), engine=base,
              rescore_after=False)
    rows = edited("indicator_values", {(2, "value"): "3.5"})
    report = load_file("indicator_values", write_csv(tmp_path / "b.csv", rows), engine=base, rescore_after=False)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 2)
    stored = {(r["municipality_code"], r["period"]): r["value"] for r in table_rows(base, "indicator_values")}
    assert stored[("MK002", "2024")] == 3.5


def test_disbursement_cap_counts_stored_tranches_and_replacements(base, tmp_path):
    # TSF-1: approved 20,000; tranche 1 of 8,000 stored. Replacing tranche 1 by 1,000 frees room.
    ok = [["application_id", "tranche", "paid_on", "amount_eur"],
          ["TSF-1", "1", "2024-05-01", "1000"], ["TSF-1", "2", "2024-08-01", "19000"]]
    report = load_file("disbursements", write_csv(tmp_path / "ok.csv", ok), engine=base, rescore_after=False)
    assert (report.inserted, report.updated) == (1, 1)
    over = [["application_id", "tranche", "paid_on", "amount_eur"], ["TSF-1", "3", "2024-09-01", "0.02"]]
    before = snapshot(base)
    exc = refused(base, "disbursements", write_csv(tmp_path / "over.csv", over))
    assert_names(exc, "over.csv", 2, "amount_eur", "20,000.02 EUR")
    assert snapshot(base) == before


def test_lowering_approved_amount_below_paid_is_refused(base, tmp_path):
    rows = [GOOD["fund_applications"][0],
            ["TSF-1", "MK001", "Youth council for Kumanovo", "youth_engagement", "2024-02-01", "25000",
             "approved", "2024-04-01", "5000", "EU"]]
    exc = refused(base, "fund_applications", write_csv(tmp_path / "lower.csv", rows))
    assert_names(exc, "lower.csv", 2, "approved_eur", "already paid")


def test_optional_sensitive_column_keeps_stored_flags(base, tmp_path):
    rows = [r[:-1] for r in [
        ["code", "name", "domain", "unit", "polarity", "description", "source", "sensitive"],
        ["hate_incidents", "Hate incidents (renamed)", "threat_landscape", "per 10,000", "higher_is_worse",
         "", "Police", "x"]]]
    report = load_file("indicators", write_csv(tmp_path / "ind.csv", rows), engine=base, rescore_after=False)
    assert report.updated == 1
    row = next(r for r in table_rows(base, "indicators") if r["code"] == "hate_incidents")
    assert row["name"] == "Hate incidents (renamed)" and row["sensitive"] is True


def test_users_load_never_touches_passwords(base, tmp_path):
    from sqlalchemy import update

    from hub.models import User
    load_file("users", write_csv(tmp_path / "u.csv", GOOD["users"]), engine=base, rescore_after=False)
    with base.begin() as conn:
        conn.execute(update(User.__table__).values(password_hash="h", demo_password=True))
    rows = edited("users", {(1, "display_name"): "Mayor of Kumanovo (new)"})
    report = load_file("users", write_csv(tmp_path / "u2.csv", rows), engine=base, rescore_after=False)
    assert report.updated == 1
    mayor = next(r for r in table_rows(base, "users") if r["username"] == "mayor.kumanovo")
    assert mayor["display_name"] == "Mayor of Kumanovo (new)"
    assert mayor["password_hash"] == "h" and mayor["demo_password"] is True
