"""The City Needs Assessment as a survey: the XLSForm generated from the methodology (validated with
pyxform), and Kobo/ODK exports of synthetic submissions loaded back (round trips, refusals).

Stores: a mutable demo store per test, (``demo_copy_url``: a copy of the demo store built once per session by the real loaders)."""
from __future__ import annotations

import io
import shutil
from datetime import datetime

import openpyxl
import pytest
from sqlalchemy import select

from hub.access import Viewer
from hub.db import get_engine
from hub.models import AssessmentInitiative, AssessmentSubmission, IndicatorValue, NeedScore, Priority
from generators import assessment_sample as sample
from loaders.assessment import AssessmentRefused, load_assessment
from loaders.assessment_form import FORM_LANGUAGES, form_spec
from loaders.cli import main
from tests.unit.loaders.conftest import snapshot

PERIOD = "2026"          # a period the demo data does not have: scores for it exist only after the load


@pytest.fixture
def store(demo_copy_url):
    return get_engine(demo_copy_url)


def _rows(engine, table, **where):
    t = table.__table__
    stmt = select(t)
    for k, v in where.items():
        stmt = stmt.where(t.c[k] == v)
    with engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(stmt)]


def _assert_stored(engine, subs):
    for s in subs:
        got = {r["indicator_code"]: r for r in _rows(engine, IndicatorValue, municipality_code=s["municipality"],
                                                    period=s["period"])}
        assert {k: got[k]["value"] for k in s["values"]} == pytest.approx(s["values"])
        assert {r["method"] for r in got.values()} == {"survey"}
        assert {r["submission_uuid"] for r in got.values()} == {s["uuid"]}
        ranks = {r["theme"]: r["rank"] for r in _rows(engine, Priority, municipality_code=s["municipality"],
                                                      period=s["period"])}
        assert ranks == s["ranks"]
        inits = _rows(engine, AssessmentInitiative, submission_uuid=s["uuid"])
        assert [(i["name"], i["partner_type"], i["themes"], i["start_year"]) for i in sorted(inits, key=lambda d: d["seq"])] \
            == [(i["initiative_name"], i["partner_type"], " ".join(i["themes"]), i["start_year"]) for i in s["initiatives"]]
        assert _rows(engine, NeedScore, municipality_code=s["municipality"], period=s["period"]), "scores recomputed"


# --- the form ----------------------------------------------------------------------------------------
def test_form_is_a_valid_xlsform_in_four_languages(store, tmp_path, capsys, monkeypatch):
    from pyxform.xls2xform import convert
    out = tmp_path / "form.xlsx"
    assert main(["assessment-form", "--out", str(out), "--database-url", str(store.url)]) == 0
    warnings: list[str] = []
    xform = convert(str(out), warnings=warnings).xform
    assert warnings == []
    assert "<h:title>City Needs Assessment</h:title>" in xform
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["survey", "choices", "settings"]
    head = [c.value for c in wb["survey"][1]]
    for lang in FORM_LANGUAGES.values():
        assert f"label::{lang}" in head and f"hint::{lang}" in head
    survey = {r[1]: dict(zip(head, r)) for r in wb["survey"].iter_rows(min_row=2, values_only=True) if r[1]}
    assert survey["municipality"]["choice_filter"] == "economy=${economy}"
    assert survey["online_hate_exposure"]["type"] == "decimal"
    assert survey["online_hate_exposure"]["constraint"] == ". >= 0 and . <= 100"
    assert survey["local_prevention_plan"]["type"] == "select_one yes_no"
    assert survey["national_referral_access"]["type"] == "range"
    assert survey["cso_partnerships"]["type"] == "integer"
    assert survey["hate_incidents"]["label::Македонски (mk)"] == "Инциденти од омраза"
    assert survey["initiatives"]["type"] == "begin_repeat"
    settings = dict(zip(*[[c.value for c in row] for row in wb["settings"].iter_rows()]))
    spec = form_spec(store)
    assert settings["version"] == spec.version and settings["form_id"] == "scn_wb_city_assessment"
    assert settings["default_language"] == "English (en)"
    # The catalogue from the demo CSV gives the same form as the store's catalogue.
    out2 = tmp_path / "form2.xlsx"
    assert main(["assessment-form", "--out", str(out2), "--database-url", str(store.url),
                 "--catalogue", "data/demo/indicators.csv"]) == 0
    assert form_spec(store).version in capsys.readouterr().out.splitlines()[-1]
    # A goalpost changed in the methodology changes the form's version.
    from hub.scoring.methodology import methodology_path
    text = methodology_path().read_text(encoding="utf-8").replace("max = 10\n", "max = 20\n", 1)
    changed = tmp_path / "m.toml"
    changed.write_text(text, encoding="utf-8")
    assert form_spec(store, methodology_path=changed).version != spec.version


def test_rewording_or_translating_the_form_keeps_its_version(store, monkeypatch):
    """Labels and hints are wording: forms already in the field stay valid when they change (a
    translation fix must not turn away the submissions collected with them)."""
    import loaders.assessment_form as af
    spec = form_spec(store)
    monkeypatch.setattr(af, "country_name", lambda code, lang: f"[{lang}] {code}")
    monkeypatch.setattr(af, "place_name", lambda name, local, lang, country: f"{name} ({lang})")
    reworded = form_spec(store)
    assert reworded.sheets() != spec.sheets()              # the economies' and municipalities' labels changed
    assert reworded.version == spec.version


@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java")
def test_form_passes_odk_validate(store, tmp_path):
    """ODK Validate (JavaRosa, the parser of ODK Collect and Enketo; its jar ships with pyxform) accepts
    the form: it checks the XPath of constraints, choice filters and calculations that pyxform passes
    through as text."""
    from pyxform.xls2xform import convert
    out = tmp_path / "form.xlsx"
    out.write_bytes(form_spec(store).to_xlsx())
    convert(str(out), validate=True)          # raises ODKValidateError naming the invalid bind


# --- round trips ------------------------------------------------------------------------------------
def test_kobo_xlsx_with_macedonian_labels_and_split_choices_round_trips(store):
    spec = form_spec(store)
    subs = sample.synthetic_submissions(spec, ["MK001", "MK002", "BA001", "RS001"], PERIOD)
    assert sum(len(s["initiatives"]) for s in subs) > 0
    data = sample.kobo_xlsx(spec, subs, lang="mk", multiple="split")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["City Needs Assessment", "initiatives"]
    head = [c.value for c in wb.worksheets[0][1]]
    assert "Општина и период/Општина" in head and "_parent_index" in [c.value for c in wb.worksheets[1][1]]
    preview = load_assessment([(data, "kobo.xlsx")], engine=store, dry_run=True)[0]
    assert [(s.municipality_code, s.new) for s in preview.submissions] == [(s["municipality"], 25) for s in subs]
    assert not _rows(store, AssessmentSubmission)
    report = load_assessment([(data, "kobo.xlsx")], engine=store)[0]
    assert (report.inserted, report.updated) == (100, 0)
    _assert_stored(store, subs)
    again = load_assessment([(data, "kobo.xlsx")], engine=store)[0]
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 100)


def test_odk_csv_and_kobo_csv_round_trip(store):
    spec = form_spec(store)
    subs = sample.synthetic_submissions(spec, ["MK003", "AL001"], PERIOD, seed=3)
    files = sample.odk_csv(spec, subs, split=True)
    # Given in any order: the repeat file finds its main file by PARENT_KEY.
    load_assessment([(b, n) for n, b in reversed(files.items())], engine=store)
    _assert_stored(store, subs)
    later = sample.synthetic_submissions(spec, ["MK003"], PERIOD, seed=4, start=datetime(2026, 1, 5))
    later[0]["initiatives"] = []
    data = sample.kobo_csv(spec, later, lang="sq", sep=".", multiple="single")
    assert data.splitlines()[1].startswith(b'"";') or b"#adm2" in data.splitlines()[1]
    report = load_assessment([(data, "kobo.csv")], engine=store)[0]
    assert report.updated > 0
    _assert_stored(store, later)


def test_latest_submission_wins_and_unapproved_are_skipped(store):
    spec = form_spec(store)
    a, b, c = sample.synthetic_submissions(spec, ["MK001", "MK001", "MK002"], PERIOD, seed=7)
    b["submission_time"] = a["submission_time"].replace(hour=23)     # b is later than a
    c["validation_status"] = "validation_status_on_hold"
    report = load_assessment([(sample.kobo_xlsx(spec, [a, b, c]), "k.xlsx")], engine=store)[0]
    assert [s.uuid for s in report.submissions] == [b["uuid"]]
    reasons = {k.uuid: k.reason for k in report.skipped}
    assert "superseded" in reasons[a["uuid"]] and "not approved" in reasons[c["uuid"]]
    _assert_stored(store, [b])
    assert not _rows(store, IndicatorValue, municipality_code="MK002", period=PERIOD)
    load_assessment([(sample.kobo_xlsx(spec, [c]), "k2.xlsx")], engine=store, approved_only=False)
    _assert_stored(store, [c])


def test_municipality_by_name_across_scripts(store):
    spec = form_spec(store)
    [s] = sample.synthetic_submissions(spec, ["MK002"], PERIOD)
    header, rows = sample.kobo_tables(spec, [s])[spec.title]
    rows[0][header.index("general/municipality")] = "Cair"        # Чаир / Čair, without its diacritics
    buf = io.StringIO()
    import csv
    csv.writer(buf, delimiter=";").writerows([header] + rows)
    load_assessment([(buf.getvalue().encode(), "names.csv")], engine=store)
    _assert_stored(store, [s])


def test_kobo_xlsx_joined_by_parent_index_with_bcms_labels(store):
    """Kobo exports without ``_submission__uuid`` on the repeat sheet join on ``_parent_index`` (the main
    sheet's ``_index``); headers as BCMS labels. A ``_parent_index`` no main row has refuses the file."""
    spec = form_spec(store)
    subs = sample.synthetic_submissions(spec, ["BA001", "RS001", "ME001"], PERIOD, seed=5)
    init = {"initiative_name": "Inicijativa (synthetic)", "partner": "OSCE", "partner_type": "international",
            "themes": spec.themes[:2], "start_year": 2023}
    subs[0]["initiatives"], subs[1]["initiatives"], subs[2]["initiatives"] = [], [init, {**init, "start_year": 2024}], [init]
    tables = sample.kobo_tables(spec, subs, lang="bcms", multiple="both")
    (main_name, (header, rows)), (rep_name, (rheader, rrows)) = tables.items()
    assert any(h.startswith(spec.groups["general"]["bcms"] + "/") for h in header)
    drop = rheader.index("_submission__uuid")
    tables[rep_name] = ([h for i, h in enumerate(rheader) if i != drop],
                        [[v for i, v in enumerate(r) if i != drop] for r in rrows])
    assert [r[tables[rep_name][0].index("_parent_index")] for r in tables[rep_name][1]] == [2, 2, 3]
    before = snapshot(store)
    orphan = {main_name: (header, rows), rep_name: (tables[rep_name][0],
                                                    [r[:] for r in tables[rep_name][1]])}
    orphan[rep_name][1][2][orphan[rep_name][0].index("_parent_index")] = 9
    with pytest.raises(AssessmentRefused) as info:
        load_assessment([(_workbook(orphan), "orphan.xlsx")], engine=store)
    [e] = info.value.errors
    assert (e.file, e.row, e.column) == ("orphan.xlsx (sheet initiatives)", 4, "_parent_index")
    assert snapshot(store) == before
    load_assessment([(_workbook(tables), "bcms.xlsx")], engine=store)
    _assert_stored(store, subs)


def test_a_name_two_municipalities_share_is_refused_not_guessed(store):
    from loaders import load_file
    load_file("municipalities", (
        "code,name,name_local,country,region,population,youth_population,latitude,longitude,member_since\n"
        "MK090,Centar (Skopje),Центар,MK,Skopje Region,45000,9000,41.99,21.42,2020-01-01\n"
        "BA090,Centar (Sarajevo),Centar,BA,Sarajevo Canton,55000,11000,43.86,18.41,2020-01-01\n").encode(),
        file_name="m.csv", engine=store)
    spec = form_spec(store)                      # the new municipalities are choices of the form
    [s] = sample.synthetic_submissions(spec, ["MK090"], PERIOD)
    header, rows = sample.kobo_tables(spec, [s])[spec.title]
    rows[0][header.index("general/municipality")] = "Центар"
    before = snapshot(store)
    with pytest.raises(AssessmentRefused) as info:
        load_assessment([(_workbook({spec.title: (header, rows)}), "centar.xlsx")], engine=store)
    [e] = info.value.errors
    assert (e.row, e.column) == (2, "general/municipality")
    assert "matches several municipalities (MK090, BA090)" in e.problem or \
        "matches several municipalities (BA090, MK090)" in e.problem
    assert snapshot(store) == before
    rows[0][header.index("general/municipality")] = "MK090"      # the code is never ambiguous
    load_assessment([(_workbook({spec.title: (header, rows)}), "centar.xlsx")], engine=store)
    _assert_stored(store, [s])


# --- refusals: a clear message, nothing written -----------------------------------------------------------
def _bad(spec, how):
    subs = sample.synthetic_submissions(spec, ["MK001", "MK002"], PERIOD, seed=11)
    subs[1]["initiatives"] = [{"initiative_name": "x", "partner": "y", "partner_type": "school",
                               "themes": [spec.themes[0]], "start_year": 2022}]
    tables = sample.kobo_tables(spec, subs)
    (main_name, (header, rows)), (rep_name, (rheader, rrows)) = tables.items()
    if how == "version":
        rows[0][header.index("form_version")] = "v0000000000"
        where = "form_version"
    elif how == "municipality":
        rows[1][header.index("general/municipality")] = "Atlantis"
        where = "general/municipality"
    elif how == "goalposts":
        rows[0][header.index("threat_landscape/online_hate_exposure")] = 140
        where = "threat_landscape/online_hate_exposure"
    elif how == "formula":         # written by a program, not Excel: no saved value, read as empty
        rows[0][header.index("threat_landscape/online_hate_exposure")] = "=40+2"
        where = "threat_landscape/online_hate_exposure"
    elif how == "uuid":
        rows[1][header.index("_uuid")] = rows[0][header.index("_uuid")]
        where = "_uuid"
    else:
        rrows[0][rheader.index("_submission__uuid")] = "00000000-dead-beef-0000-000000000000"
        where = "_submission__uuid"
    return _workbook(tables), where


def _workbook(tables: dict[str, tuple[list, list]]) -> bytes:
    """Sheet name -> (header, rows), edited by a test, as the .xlsx Kobo would have exported."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, (h, rs) in tables.items():
        ws = wb.create_sheet(name)
        ws.append(h)
        for r in rs:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("how, words", [
    ("version", "does not match the methodology"),
    ("municipality", "unknown municipality 'Atlantis'"),
    ("goalposts", "outside the goalposts"),
    ("formula", "formula without a saved value: save the workbook in Excel or paste values"),
    ("uuid", "duplicate _uuid"),
    ("parent", "is not in the main sheet"),
])
def test_bad_exports_are_refused_whole(store, how, words):
    spec = form_spec(store)
    data, where = _bad(spec, how)
    before = snapshot(store)
    with pytest.raises(AssessmentRefused) as info:
        load_assessment([(data, "bad.xlsx")], engine=store)
    [e] = [e for e in info.value.errors if words in e.problem]
    assert e.column == where and e.row in (2, 3)
    sheet = "initiatives" if how == "parent" else "City Needs Assessment"
    assert e.file == f"bad.xlsx (sheet {sheet})"
    assert f"bad.xlsx (sheet {sheet}):{e.row}:{where}:" in str(info.value)
    assert snapshot(store) == before


def test_cli_dry_run_writes_nothing(store, tmp_path, capsys):
    spec = form_spec(store)
    subs = sample.synthetic_submissions(spec, ["MK001"], PERIOD)
    path = tmp_path / "export.xlsx"
    path.write_bytes(sample.kobo_xlsx(spec, subs, lang="en"))
    before = snapshot(store)
    assert main(["assessment", str(path), "--dry-run", "--database-url", str(store.url)]) == 0
    out = capsys.readouterr().out
    assert "dry run, nothing written" in out and "MK001 Kumanovo 2026: 25 new" in out
    assert snapshot(store) == before
    assert main(["assessment", str(path), "--database-url", str(store.url)]) == 0
    _assert_stored(store, subs)


def test_provenance_for_the_city_profile_and_the_methodology_page(store):
    from hub.queries import survey as q
    spec = form_spec(store)
    subs = sample.synthetic_submissions(spec, ["MK001"], PERIOD)
    load_assessment([(sample.kobo_xlsx(spec, subs), "k.xlsx")], engine=store)
    mayor = Viewer("mayor.kumanovo", "mayor", municipality_code="MK001")
    row = q.city_assessment(mayor, city="MK001", period=PERIOD, engine=store).iloc[0]
    assert (row["survey_values"], row["file_values"], row["assessed_on"]) == (25, 0, subs[0]["assessed_on"])
    assert q.city_assessment(mayor, city="MK002", period=PERIOD, engine=store).empty
    fresh = q.survey_freshness(Viewer("donor.demo", "donor"), engine=store).iloc[0]
    assert (fresh["submissions"], fresh["cities"], fresh["assessed_on"]) == (1, 1, subs[0]["assessed_on"])
    # A file load of the same value afterwards takes the provenance over.
    from loaders import load_file
    csv = f"municipality_code,indicator_code,period,value\nMK001,hate_incidents,{PERIOD},1.5\n".encode()
    load_file("indicator_values", csv, file_name="v.csv", engine=store)
    [v] = _rows(store, IndicatorValue, municipality_code="MK001", period=PERIOD, indicator_code="hate_incidents")
    assert (v["method"], v["submission_uuid"]) == ("file", None)


def test_shipped_sample_loads_into_the_demo_store(store):
    from pathlib import Path
    path = Path(__file__).resolve().parents[3] / "data" / "demo" / "survey_sample_kobo.xlsx"
    reports = load_assessment([path], engine=store)
    assert len(reports[0].submissions) == 4 and len(reports[0].skipped) == 1
