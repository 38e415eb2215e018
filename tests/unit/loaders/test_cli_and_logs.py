"""The command line, the load log and audit trail, and rescoring after loads."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from loaders import DATASETS, LoadRefused, load_file
from loaders.cli import main
from tests.unit.loaders.conftest import BASE, snapshot, table_rows, write_csv

ROOT = Path(__file__).resolve().parents[3]


def test_help_lists_every_dataset_and_column():
    out = subprocess.run([sys.executable, "-m", "loaders", "--help"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0
    for spec in DATASETS.values():
        assert f"  {spec.name}: " in out.stdout
        for c in spec.columns:
            assert f" {c.name} " in out.stdout


def test_cli_loads_files_and_exits_zero(engine, tmp_path, capsys):
    url = str(engine.url)
    m = write_csv(tmp_path / "m.csv", BASE["municipalities"])
    e = write_csv(tmp_path / "e.csv", BASE["events"])
    assert main(["municipalities", str(m), "--database-url", url, "--user", "ana"]) == 0
    assert main(["events", str(e), "--database-url", url]) == 0
    assert "3 inserted" in capsys.readouterr().out
    log = table_rows(engine, "load_log")
    assert [(r["dataset"], r["loaded_by"], r["outcome"]) for r in log][0] == ("municipalities", "ana", "ok")


def test_cli_refusal_prints_file_row_column_and_exits_nonzero(engine, tmp_path, capsys):
    url = str(engine.url)
    main(["municipalities", str(write_csv(tmp_path / "m.csv", BASE["municipalities"])), "--database-url", url])
    good = write_csv(tmp_path / "ok.csv", BASE["events"])
    bad_rows = [list(r) for r in BASE["events"]] + [["EV-2", "party", "Bad", "2024-13-01", "xx", "", ""]]
    bad = write_csv(tmp_path / "bad.csv", bad_rows)
    before = snapshot(engine)
    code = main(["events", str(bad), str(good), "--database-url", url])
    err = capsys.readouterr().err
    assert code == 1
    assert "bad.csv:3:kind: 'party' is not allowed" in err
    assert "bad.csv:3:held_on: " in err and "bad.csv:3:language: " in err
    # the good file after the bad one still landed; the bad one wrote nothing
    after = snapshot(engine)
    assert after["events"] != before["events"]
    assert [r["event_id"] for r in table_rows(engine, "events")] == ["EV-1"]


def test_cli_unknown_dataset_exits_nonzero(capsys):
    assert main(["nonsense", "x.csv"]) == 2
    assert "unknown dataset" in capsys.readouterr().err


def test_load_log_and_audit_for_ok_and_refused(engine, tmp_path):
    path = write_csv(tmp_path / "m.csv", BASE["municipalities"])
    load_file("municipalities", path, engine=engine, user="ana", rescore_after=False)
    bad = write_csv(tmp_path / "bad.csv", BASE["municipalities"][:1] + [["X1", "", "", "QQ", "", "", "", "", "",
                                                                          ""]])
    with pytest.raises(LoadRefused):
        load_file("municipalities", bad, engine=engine, user="ben", rescore_after=False)
    log = table_rows(engine, "load_log")
    assert len(log) == 2
    ok, refused = log
    assert ok["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (ok["file_name"], ok["rows_inserted"], ok["rows_updated"], ok["loaded_by"], ok["outcome"]) == \
        ("m.csv", 3, 0, "ana", "ok")
    assert (refused["file_name"], refused["outcome"], refused["loaded_by"], refused["rows_inserted"]) == \
        ("bad.csv", "refused", "ben", 0)
    assert "bad.csv:2:name: required value missing" in refused["message"]
    assert "bad.csv:2:country: " in refused["message"]
    audit = [(r["username"], r["action"], r["target"], r["detail"]) for r in table_rows(engine, "audit_log")]
    assert audit == [("ana", "load", "municipalities", "m.csv"), ("ben", "load", "municipalities", "bad.csv")]


def test_user_defaults_to_the_login_name(engine, tmp_path, monkeypatch):
    monkeypatch.setenv("USER", "operator7")
    load_file("events", write_csv(tmp_path / "e.csv", BASE["events"]), engine=engine, rescore_after=False)
    assert table_rows(engine, "load_log")[0]["loaded_by"] == "operator7"


def test_loads_that_feed_scores_rescore(base, tmp_path):
    rows = [["municipality_code", "indicator_code", "period", "value", "source", "note"],
            ["MK001", "hate_incidents", "2024", "4.9", "", ""],
            ["MK002", "hate_incidents", "2024", "2.1", "", ""],
            ["BA001", "hate_incidents", "2024", "3.0", "", ""]]
    assert table_rows(base, "need_scores") == []
    report = load_file("indicator_values", write_csv(tmp_path / "v.csv", rows), engine=base)
    assert not [w for w in report.warnings if "scores" in w.problem], report.warnings
    scored = {(r["municipality_code"], r["period"]) for r in table_rows(base, "need_scores")}
    assert scored == {("MK001", "2024"), ("MK002", "2024"), ("BA001", "2024")}


def test_database_url_from_environment(tmp_path, empty_url, monkeypatch):
    url = empty_url
    monkeypatch.setenv("DATABASE_URL", url)
    path = write_csv(tmp_path / "e.csv", BASE["events"])
    assert main(["events", str(path)]) == 0
    from hub.db import get_engine
    assert [r["event_id"] for r in table_rows(get_engine(url), "events")] == ["EV-1"]
    assert os.environ["DATABASE_URL"] == url


def test_templates_and_docs_match_the_registry():
    from loaders import template_csv
    docs = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    for name, spec in DATASETS.items():
        path = ROOT / "data" / "templates" / f"{name}.csv"
        assert path.read_bytes() == template_csv(name)
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        section = docs.split(f"## `{name}`", 1)[1].split("\n## ", 1)[0]
        for c in spec.columns:
            assert f"| `{c.name}` |" in section, (name, c.name)


def test_blank_template_loads_as_an_empty_file(engine):
    from loaders import template_csv
    report = load_file("municipalities", template_csv("municipalities"), file_name="municipalities.csv",
                       engine=engine, rescore_after=False)
    assert (report.rows, report.inserted) == (0, 0)
    assert any("no data rows" in w.problem for w in report.warnings)


def test_a_constraint_the_checks_miss_still_refuses_the_whole_file(base, tmp_path):
    from sqlalchemy import text
    with base.begin() as conn:   # a database-side rule the loaders know nothing about
        if conn.dialect.name == "postgresql":
            conn.execute(text("CREATE FUNCTION no_visits() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                              "IF NEW.kind = 'visit' THEN RAISE EXCEPTION 'visits are closed'; END IF; "
                              "RETURN NEW; END $$"))
            conn.execute(text("CREATE TRIGGER no_visits BEFORE INSERT ON events FOR EACH ROW "
                              "EXECUTE FUNCTION no_visits()"))
        else:
            conn.execute(text("CREATE TRIGGER no_visits BEFORE INSERT ON events WHEN NEW.kind = 'visit' "
                              "BEGIN SELECT RAISE(ABORT, 'visits are closed'); END"))
    rows = BASE["events"][:1] + [["EV-7", "workshop", "W", "2025-01-01", "en", "", ""],
                                 ["EV-8", "visit", "V", "2025-01-02", "en", "", ""]]
    before = snapshot(base)
    with pytest.raises(LoadRefused) as info:
        load_file("events", write_csv(tmp_path / "ev.csv", rows), engine=base, user="ana", rescore_after=False)
    assert "visits are closed" in str(info.value) and "nothing was written" in str(info.value)
    assert snapshot(base) == before
    assert table_rows(base, "load_log")[-1]["outcome"] == "refused"
