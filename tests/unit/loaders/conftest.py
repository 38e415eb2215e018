"""Fixtures for the loader tests: a fresh SQLite store with a little reference data, file builders,
and a full snapshot of the store's tables to prove a refused file changed nothing."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import select

# Reference data every dataset test starts from (loaded through the loaders themselves).
BASE = {
    "municipalities": [
        ["code", "name", "name_local", "country", "region", "population", "youth_population",
         "latitude", "longitude", "member_since"],
        ["MK001", "Kumanovo", "Куманово", "MK", "Northeastern", "75051", "13984", "42.13279", "21.71585",
         "2018-10-03"],
        ["MK002", "Čair", "Чаир", "MK", "Skopje", "64773", "13084", "42.01528", "21.44111", "2018-10-03"],
        ["BA001", "Tuzla", "Тузла", "BA", "Tuzla Canton", "110979", "21000", "44.53842", "18.66709", ""],
    ],
    "indicators": [
        ["code", "name", "domain", "unit", "polarity", "description", "source", "sensitive"],
        ["hate_incidents", "Hate incidents", "threat_landscape", "per 10,000 residents", "higher_is_worse",
         "Recorded hate-motivated incidents", "Police", "true"],
        ["youth_council", "Youth council", "youth_engagement", "0/1", "higher_is_better", "", "", "false"],
    ],
    "fund_applications": [
        ["application_id", "municipality_code", "title", "theme", "submitted_on", "requested_eur", "status",
         "decided_on", "approved_eur", "donor"],
        ["TSF-1", "MK001", "Youth council for Kumanovo", "youth_engagement", "2024-02-01", "25000",
         "approved", "2024-04-01", "20000", "EU"],
        ["TSF-2", "MK002", "Online hate response protocol", "online_harms", "2024-03-01", "9000",
         "submitted", "", "", ""],
        ["TSF-3", "BA001", "Local prevention plan", "national_local_cooperation", "2023-05-01", "12000",
         "completed", "2023-06-15", "10000", "Norway"],
    ],
    "disbursements": [
        ["application_id", "tranche", "paid_on", "amount_eur"],
        ["TSF-1", "1", "2024-05-01", "8000"],
    ],
    "events": [
        ["event_id", "kind", "title", "held_on", "language", "location", "virtual"],
        ["EV-1", "roundtable", "Launch roundtable (Macedonian)", "2024-10-15", "mk", "Skopje", "false"],
    ],
}

LOG_TABLES = ("load_log", "audit_log", "data_version")


def csv_bytes(rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8", bom: bool = False) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = buf.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def write_csv(path: Path, rows: list[list[str]], **kw) -> Path:
    path.write_bytes(csv_bytes(rows, **kw))
    return path


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table except the logs, sorted: what 'the store is unchanged' means."""
    from sqlmodel import SQLModel
    out = {}
    with engine.connect() as conn:
        for name, t in SQLModel.metadata.tables.items():
            if name in LOG_TABLES:
                continue
            out[name] = sorted((tuple(r) for r in conn.execute(select(t))), key=repr)
    return out


def table_rows(engine, name: str) -> list[dict]:
    from sqlmodel import SQLModel
    t = SQLModel.metadata.tables[name]
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(t))]


@pytest.fixture
def engine(empty_url):
    """A fresh, empty store."""
    from hub.db import get_engine
    return get_engine(empty_url)


@pytest.fixture(scope="session")
def base_template(tmp_path_factory, databases) -> str:
    """The BASE reference data, loaded once through the loaders into a store (its URL)."""
    from hub.db import get_engine
    from loaders import load_file
    folder = tmp_path_factory.mktemp("base")
    url = databases.empty("base")
    engine = get_engine(url)
    for name, rows in BASE.items():
        load_file(name, write_csv(folder / f"base_{name}.csv", rows), engine=engine, user="test",
                  rescore_after=False)
    return url


@pytest.fixture
def base(databases, base_template):
    """A fresh store holding the BASE reference data (a copy of the session's template)."""
    from hub.db import get_engine
    url = databases.copy(base_template, "store")
    yield get_engine(url)
    databases.drop(url)
