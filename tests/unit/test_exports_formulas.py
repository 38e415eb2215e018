"""hub.exports: no text cell of a CSV or Excel download can become a formula, also when the formula
character hides behind leading spaces or a line break, or comes in its full-width form."""
from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from hub.exports import neutralise, to_csv_bytes, to_xlsx_bytes

HOSTILE = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1", "\n=1", " =HYPERLINK(\"http://x\")",
           "\n\n  =1+1", "\u3000=1", "\uff1d1+1", "\uff0bA1", "\uff0dA1", "\uff20A1", " \uff1d1"]
HARMLESS = ["Kumanovo", "Ulcinj = Ulqin", "a-b", "e-mail: x@y.org", "", "Кичево", "1 + 1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_cell_a_spreadsheet_would_evaluate_is_prefixed(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_is_left_as_it_is(text):
    assert neutralise(text) == text


def test_numbers_and_missing_values_are_not_touched():
    assert neutralise(-5) == -5 and neutralise(2.5) == 2.5 and neutralise(None) is None


def test_csv_and_excel_downloads_hold_the_hostile_cells_as_text():
    df = pd.DataFrame({"name": HOSTILE + HARMLESS, "n": range(len(HOSTILE) + len(HARMLESS))})
    rows = list(csv.reader(io.StringIO(to_csv_bytes(df).decode("utf-8-sig"), newline="")))
    assert [r[0] for r in rows[1:]] == ["'" + t for t in HOSTILE] + HARMLESS
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(df))).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells if c.value is not None)    # no formula ("f") among them
    assert [c.value or "" for c in cells] == ["'" + t for t in HOSTILE] + HARMLESS
