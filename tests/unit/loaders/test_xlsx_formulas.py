"""xlsx cells holding formulas: the saved value is used; a formula without one is refused with
file, row and column (openpyxl writes formulas without values; Excel saves both)."""
from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from sqlalchemy import select

from hub.db import get_engine
from hub.models import Municipality
from loaders import LoadRefused, load_file
from loaders.parsing import FORMULA_WITHOUT_VALUE

HEADER = ["code", "name", "country", "population", "note"]


def workbook(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def with_saved_values(data: bytes, values: dict[str, str]) -> bytes:
    """The workbook as Excel would save it: each formula cell (by reference) with its value."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            raw = zin.read(name)
            if name.startswith("xl/worksheets/"):
                for ref, value in values.items():
                    raw = re.sub(rb'(<c r="' + ref.encode() + rb'"[^>]*>\s*<f>[^<]*</f>)(<v\s*/>|<v>[^<]*</v>)?',
                                 lambda m: m.group(1) + b"<v>" + value.encode() + b"</v>", raw)
            zout.writestr(name, raw)
    return out.getvalue()


def _stored(engine):
    with engine.connect() as conn:
        return {r.code: r.population for r in conn.execute(select(Municipality.code, Municipality.population))}


def test_formulas_with_saved_values_load_the_saved_values(empty_url):
    engine = get_engine(empty_url)
    data = with_saved_values(workbook([["MK001", "Kumanovo", "MK", "=58000+216", "=1+1"]]),
                             {"D2": "58216", "E2": "2"})
    report = load_file("municipalities", data, file_name="m.xlsx", engine=engine, user="t")
    assert report.inserted == 1
    assert _stored(engine) == {"MK001": 58216}


def test_a_formula_without_a_saved_value_is_refused_not_stored_empty(empty_url):
    engine = get_engine(empty_url)
    load_file("municipalities", workbook([["MK001", "Kumanovo", "MK", 58216, None]]), file_name="m.xlsx",
              engine=engine, user="t")
    data = workbook([["MK001", "Kumanovo", "MK", "=58000+216", None],
                     ["MK002", "=UPPER(\"cair\")", "MK", 100, "=1+1"]])        # a required column too
    with pytest.raises(LoadRefused) as info:
        load_file("municipalities", data, file_name="m.xlsx", engine=engine, user="t")
    problems = {(e.file, e.row, e.column, e.problem) for e in info.value.errors}
    assert problems == {("m.xlsx", 2, "population", FORMULA_WITHOUT_VALUE),
                        ("m.xlsx", 3, "name", FORMULA_WITHOUT_VALUE)}     # 'note' is not a column: ignored
    assert _stored(engine) == {"MK001": 58216}                             # not wiped to empty
