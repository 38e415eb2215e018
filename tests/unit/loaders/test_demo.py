"""build_demo on a small set of files written here (not data/demo): every dataset through the loaders,
the demo flag, the demo passwords, and the scores."""
from __future__ import annotations

import pytest

from loaders import DATASETS
from loaders.cli import main
from loaders.demo import DEMO_PASSWORDS, build_demo
from tests.unit.loaders.conftest import BASE, table_rows, write_csv
from tests.unit.loaders.test_datasets import GOOD


def merged(name: str) -> list[list[str]]:
    """BASE and GOOD rows of a dataset in one file (same header order)."""
    good = GOOD[name]
    if name not in BASE:
        return good
    header = good[0]
    base = BASE[name]
    return [header] + [[r[base[0].index(c)] for c in header] for r in base[1:]] + good[1:]


@pytest.fixture
def demo_dir(tmp_path):
    src = tmp_path / "demo"
    src.mkdir()
    for name in DATASETS:
        rows = merged(name)
        if name == "users":
            rows = rows + [["mayor.tuzla", "Mayor of Tuzla", "mayor", "BA001", "bcms", ""],
                           ["analyst.x", "Analyst", "hub", "", "en", ""]]
        write_csv(src / f"{name}.csv", rows)
    return src


def test_build_demo_loads_everything_and_marks_the_store(demo_dir, empty_url):
    from hub.accounts import verify_password
    from hub.db import get_engine

    url = empty_url
    build_demo(url, source_dir=demo_dir)
    engine = get_engine(url)
    for name, spec in DATASETS.items():
        expected = len(merged(name)) - 1 + (2 if name == "users" else 0)
        assert len(table_rows(engine, spec.table.name)) == expected, name
    settings = {r["key"]: r["value"] for r in table_rows(engine, "settings")}
    assert settings["demo"] == "1" and settings["demo_build"] == "done"
    users = {r["username"]: r for r in table_rows(engine, "users")}
    for username in ("hub.admin", "donor.demo", "mayor.kumanovo", "mayor.tuzla"):
        assert users[username]["demo_password"] is True
        assert verify_password(users[username]["password_hash"], DEMO_PASSWORDS[username])
    assert not verify_password(users["mayor.tuzla"]["password_hash"], "hub-demo-2026")
    assert users["analyst.x"]["password_hash"] is None and users["analyst.x"]["demo_password"] is False
    # scores computed once at the end, from the loaded values
    assert {(r["municipality_code"], r["period"]) for r in table_rows(engine, "need_scores")} == {
        ("MK001", "2024"), ("MK002", "2024"), ("BA001", "2024-H1")}
    assert {r["outcome"] for r in table_rows(engine, "load_log")} == {"ok"}
    assert len(table_rows(engine, "load_log")) == len(DATASETS)


def test_build_demo_without_files_says_so(tmp_path, empty_url, capsys):
    with pytest.raises(FileNotFoundError, match="municipalities.csv"):
        build_demo(empty_url, source_dir=tmp_path)
    code = main(["demo", "--database-url", empty_url, "--source-dir", str(tmp_path)])
    assert code == 1 and "municipalities.csv" in capsys.readouterr().err
