"""practices and actors (issue 16): lists normalised so a reload is idempotent, both scripts kept,
public flag defaults, xlsx works, and the demo files load."""
from __future__ import annotations

from pathlib import Path

from loaders import load_file
from tests.unit.loaders.conftest import table_rows, write_csv
from tests.unit.loaders.test_datasets import GOOD

ROOT = Path(__file__).resolve().parents[3]


def test_lists_are_normalised_and_both_scripts_kept(base, tmp_path):
    load_file("practices", write_csv(tmp_path / "p.csv", GOOD["practices"]), engine=base, rescore_after=False)
    rows = {r["practice_id"]: r for r in table_rows(base, "practices")}
    assert rows["PR-1"]["themes"] == "multi_stakeholder_prevention;social_cohesion"
    assert rows["PR-1"]["tags"] == "referral;police"
    assert rows["PR-1"]["title_mk"] == "Тим за акција во заедницата" and rows["PR-1"]["title_sq"] is None
    assert rows["PR-2"]["public"] is False and rows["PR-3"]["public"] is True   # empty cell: default true
    assert rows["PR-3"]["municipality_code"] is None
    load_file("actors", write_csv(tmp_path / "a.csv", GOOD["actors"]), engine=base, rescore_after=False)
    actors = {r["actor_id"]: r for r in table_rows(base, "actors")}
    assert actors["OSCE-MK"]["economies"] == "MK" and actors["NEXUS"]["economies"] == "MK;XK"
    assert actors["NEXUS"]["name_mk"] == "Нексус" and actors["RCC"]["economies"] is None


def test_reload_with_other_separators_changes_nothing(base, tmp_path):
    load_file("practices", write_csv(tmp_path / "p.csv", GOOD["practices"]), engine=base, rescore_after=False)
    rows = [list(r) for r in GOOD["practices"]]
    rows[1][8] = "multi_stakeholder_prevention,social_cohesion"       # same list, other separator
    again = load_file("practices", write_csv(tmp_path / "p2.csv", rows, delimiter=";"), engine=base,
                      rescore_after=False)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)


def test_cyrillic_windows_1251_file(base, tmp_path):
    rows = [["actor_id", "name_mk", "kind", "themes"], ["MK-NC", "Национален комитет", "national", "social_cohesion"]]
    report = load_file("actors", write_csv(tmp_path / "a.csv", rows, encoding="cp1251"), engine=base,
                       rescore_after=False)
    assert report.inserted == 1
    assert table_rows(base, "actors")[0]["name_mk"] == "Национален комитет"


def test_xlsx(base, tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    for r in GOOD["actors"]:
        wb.active.append(r)
    wb.save(tmp_path / "actors.xlsx")
    assert load_file("actors", tmp_path / "actors.xlsx", engine=base, rescore_after=False).inserted == 3


def test_demo_files_load_twice_without_change(empty_url):
    from hub.db import get_engine
    from loaders.demo import build_demo
    build_demo(empty_url)              # a demo store of this test's own (the reload writes log rows)
    engine = get_engine(empty_url)
    for name in ("practices", "actors"):
        report = load_file(name, ROOT / "data" / "demo" / f"{name}.csv", engine=engine, rescore_after=False)
        assert report.inserted == report.updated == 0 and report.unchanged == report.rows > 10
        assert not report.warnings
