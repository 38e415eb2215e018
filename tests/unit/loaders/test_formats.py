"""Files as users in the region produce them: semicolons and decimal commas, BOMs, .xlsx, legacy code pages,
and garbled (mojibake) text, which must never reach the store."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from loaders import LoadRefused, load_file
from tests.unit.loaders.conftest import BASE, csv_bytes, snapshot, table_rows, write_csv

MUNI_HEADER = BASE["municipalities"][0]


def test_semicolon_decimal_comma_and_dotted_dates(base, tmp_path):
    rows = [["application_id", "municipality_code", "title", "theme", "submitted_on", "requested_eur", "status",
             "decided_on", "approved_eur", "donor"],
            ["TSF-7", "MK001", "Prevention plan; phase 2", "national_local_cooperation", "31.03.2024",
             "1.234,50", "approved", "15/04/2024", "1.200,00", "EU"],
            ["TSF-8", "MK002", "Youth forum", "youth_engagement", "01.04.2024.", "12.500", "submitted", "", "", ""]]
    path = write_csv(tmp_path / "tsf.csv", rows, delimiter=";")
    report = load_file("fund_applications", path, engine=base, rescore_after=False)
    assert report.inserted == 2
    got = {r["application_id"]: r for r in table_rows(base, "fund_applications")}
    assert got["TSF-7"]["requested_eur"] == 1234.5
    assert got["TSF-7"]["approved_eur"] == 1200.0
    assert got["TSF-7"]["submitted_on"] == date(2024, 3, 31)
    assert got["TSF-7"]["decided_on"] == date(2024, 4, 15)
    assert got["TSF-7"]["title"] == "Prevention plan; phase 2"
    assert got["TSF-8"]["requested_eur"] == 12500.0        # dot thousands in a decimal-comma file
    assert got["TSF-8"]["submitted_on"] == date(2024, 4, 1)


def test_utf8_bom_file(engine, tmp_path):
    path = write_csv(tmp_path / "m.csv", BASE["municipalities"], bom=True)
    report = load_file("municipalities", path, engine=engine, rescore_after=False)
    assert report.inserted == 3 and not [w for w in report.warnings if w.row == 1]
    assert {r["name"] for r in table_rows(engine, "municipalities")} == {"Kumanovo", "Čair", "Tuzla"}


def _xlsx(path, sheets: dict[str, list[list]]):
    import openpyxl
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def test_xlsx_first_sheet_and_named_sheet(base, tmp_path):
    header = ["municipality_code", "indicator_code", "period", "value", "source", "note"]
    path = _xlsx(tmp_path / "values.xlsx", {
        "2023": [header, ["MK001", "hate_incidents", 2023, 4.5, "Police", None],
                 ["BA001", "youth_council", 2023, 1, None, None]],
        "2024": [header, ["MK001", "hate_incidents", "2024", 3.75, "Police", "revised"]],
    })
    first = load_file("indicator_values", path, engine=base, rescore_after=False)
    assert first.inserted == 2
    second = load_file("indicator_values", path, engine=base, sheet="2024", rescore_after=False)
    assert second.inserted == 1
    vals = {(r["municipality_code"], r["period"]): r["value"] for r in table_rows(base, "indicator_values")}
    assert vals == {("MK001", "2023"): 4.5, ("BA001", "2023"): 1.0, ("MK001", "2024"): 3.75}


def test_xlsx_dates_and_row_numbers(base, tmp_path):
    header = ["request_id", "municipality_code", "opened_on", "topic", "channel", "status", "resolved_on"]
    path = _xlsx(tmp_path / "hd.xlsx", {"Sheet1": [
        header,
        ["HD-1", "MK001", datetime(2024, 2, 12), "referral", "email", "resolved", datetime(2024, 3, 1)],
        [None] * 7,                                   # an empty row keeps the numbering
        ["HD-2", "MK001", datetime(2024, 3, 1), "funding", "phone", "closed", None],
    ]})
    before = snapshot(base)
    with pytest.raises(LoadRefused) as info:
        load_file("helpdesk_requests", path, engine=base, rescore_after=False)
    assert [(e.row, e.column) for e in info.value.errors] == [(4, "status")]
    assert snapshot(base) == before


def test_xlsx_missing_sheet_is_refused(base, tmp_path):
    path = _xlsx(tmp_path / "x.xlsx", {"Data": [["event_id"]]})
    with pytest.raises(LoadRefused) as info:
        load_file("events", path, engine=base, sheet="Nope", rescore_after=False)
    assert "no sheet named 'Nope'" in str(info.value) and "Data" in str(info.value)


def test_cp1250_file_is_decoded(engine, tmp_path):
    rows = [MUNI_HEADER,
            ["RS001", "Čačak", "", "RS", "Moravički okrug", "106452", "", "43.89", "20.35", ""],
            ["BA002", "Brčko", "", "BA", "Brčko distrikt", "83516", "", "44.87", "18.81", ""],
            ["AL001", "Shkodër", "", "AL", "Qarku i Shkodrës", "77075", "", "42.07", "19.51", ""]]
    path = write_csv(tmp_path / "latin.csv", rows, encoding="cp1250", delimiter=";")
    report = load_file("municipalities", path, engine=engine, rescore_after=False)
    assert report.inserted == 3
    assert any("Windows-1250" in w.problem for w in report.warnings)
    names = {r["code"]: (r["name"], r["region"]) for r in table_rows(engine, "municipalities")}
    assert names["RS001"] == ("Čačak", "Moravički okrug")
    assert names["BA002"] == ("Brčko", "Brčko distrikt")
    assert names["AL001"] == ("Shkodër", "Qarku i Shkodrës")


def test_cp1251_file_is_decoded(engine, tmp_path):
    rows = [MUNI_HEADER,
            ["MK001", "Kumanovo", "Куманово", "MK", "Североисточен", "75051", "", "42.13", "21.72", ""],
            ["MK003", "Gostivar", "Гостивар", "MK", "Полошки", "81042", "", "41.80", "20.91", ""],
            ["RS001", "Cacak", "Чачак", "RS", "Моравички", "106452", "", "43.89", "20.35", ""]]
    path = write_csv(tmp_path / "cyr.csv", rows, encoding="cp1251")
    report = load_file("municipalities", path, engine=engine, rescore_after=False)
    assert report.inserted == 3
    assert any("Windows-1251" in w.problem for w in report.warnings)
    local = {r["code"]: r["name_local"] for r in table_rows(engine, "municipalities")}
    assert local == {"MK001": "Куманово", "MK003": "Гостивар", "RS001": "Чачак"}


def test_undecodable_file_is_refused_as_encoding_problem(engine, tmp_path):
    header = ",".join(MUNI_HEADER).encode()
    body = b"RS001,Ca\x81\x8dak,,RS,,,,,,\r\n"      # bytes no regional code page makes letters of
    path = tmp_path / "broken.csv"
    path.write_bytes(header + b"\r\n" + body)
    before = snapshot(engine)
    with pytest.raises(LoadRefused) as info:
        load_file("municipalities", path, engine=engine, rescore_after=False)
    assert "encoding problem" in str(info.value)
    assert info.value.errors[0].file == "broken.csv"
    assert snapshot(engine) == before


@pytest.mark.parametrize("garbled,column", [
    ("ÄŒaÄak", "name"),                              # Čačak, UTF-8 read as Windows-1252 and saved again
    ("Ã‡air", "name"),                               # Çair
    ("ShkodÃ«r", "name"),                            # Shkodër
    ("РљСѓРјР°РЅРѕРІРѕ", "name_local"),              # Куманово, UTF-8 read as Windows-1251
    ("Ä\u008caÄ\u008dak", "name"),                   # Čačak with the C1 controls kept
])
def test_mojibake_is_refused(engine, tmp_path, garbled, column):
    row = ["RS001", "Cacak", "", "RS", "", "", "", "", "", ""]
    row[MUNI_HEADER.index(column)] = garbled
    path = write_csv(tmp_path / "garbled.csv", [MUNI_HEADER, row])
    before = snapshot(engine)
    with pytest.raises(LoadRefused) as info:
        load_file("municipalities", path, engine=engine, rescore_after=False)
    errors = info.value.errors
    assert [(e.row, e.column) for e in errors] == [(2, column)]
    assert "encoding problem" in errors[0].problem
    assert snapshot(engine) == before


def test_real_names_are_not_taken_for_mojibake(engine, tmp_path):
    names = [("RS001", "Sjenica", "Сјеница"), ("RS002", "Čačak", "Чачак"), ("MK001", "Čair", "Чаир"),
             ("XK001", "Gjakovë", "Ђаковица"), ("AL001", "Durrës", ""), ("BA001", "Ðakovo", ""),
             ("ME001", "Nikšić", "Никшић"), ("MK002", "Ѓорче Петров", "Ѓорче Петров")]
    rows = [MUNI_HEADER] + [[c, n, loc, c[:2], "", "", "", "", "", ""] for c, n, loc in names]
    report = load_file("municipalities", write_csv(tmp_path / "ok.csv", rows), engine=engine,
                       rescore_after=False)
    assert report.inserted == len(names)
    stored = {r["code"]: (r["name"], r["name_local"] or "") for r in table_rows(engine, "municipalities")}
    assert stored == {c: (n, loc) for c, n, loc in names}


def test_comma_file_with_quoted_decimal_comma(base, tmp_path):
    rows = [["municipality_code", "indicator_code", "period", "value", "source", "note"],
            ["MK001", "hate_incidents", "2024", "3,75", "Police", "quoted, with a comma"],
            ["MK002", "hate_incidents", "2024", "1.234,5", "", ""]]
    load_file("indicator_values", write_csv(tmp_path / "v.csv", rows), engine=base, rescore_after=False)
    vals = {r["municipality_code"]: (r["value"], r["note"]) for r in table_rows(base, "indicator_values")}
    assert vals == {"MK001": (3.75, "quoted, with a comma"), "MK002": (1234.5, None)}


def test_bytes_and_uploads_are_accepted(base):
    import io
    data = csv_bytes(BASE["events"][:1] + [["EV-9", "visit", "Study visit", "2025-01-10", "en", "", ""]])
    upload = io.BytesIO(data)
    upload.name = "events_upload.csv"
    report = load_file("events", upload, engine=base, rescore_after=False)
    assert report.file == "events_upload.csv" and report.inserted == 1
    report = load_file("events", data, file_name="again.csv", engine=base, rescore_after=False)
    assert report.file == "again.csv" and report.unchanged == 1


# --- every dataset, every format ------------------------------------------------------------------
from tests.unit.loaders.test_datasets import GOOD  # noqa: E402

# A text column per dataset where a garbled value must be refused as an encoding problem.
GARBLE = {"municipalities": "name", "indicators": "name", "indicator_values": "source", "priorities": "theme",
          "fund_applications": "title", "disbursements": "application_id", "results": "indicator",
          "helpdesk_requests": "topic", "events": "title", "participants": "organisation",
          "users": "display_name", "practices": "title_en", "actors": "name_en"}


def _regional(rows: list[list[str]]) -> list[list[str]]:
    """The same rows as a user with regional settings writes them: 1.234,5 numbers and 31.03.2024 dates."""
    import re
    out = [rows[0]]
    for r in rows[1:]:
        cells = []
        for v in r:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
                y, m, d = v.split("-")
                v = f"{d}.{m}.{y}"
            elif re.fullmatch(r"-?\d+\.\d+", v):
                v = v.replace(".", ",")
            cells.append(v)
        out.append(cells)
    return out


def _xlsx_typed(path, rows):
    """The rows in a workbook with real number and date cells, as Excel stores them."""
    import re
    typed = [rows[0]]
    for r in rows[1:]:
        cells = []
        for v in r:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
                v = datetime.strptime(v, "%Y-%m-%d")
            elif re.fullmatch(r"-?\d+(\.\d+)?", v) and not v.startswith("0") or v == "0":
                v = float(v) if "." in v else int(v)
            elif v == "":
                v = None
            cells.append(v)
        typed.append(cells)
    return _xlsx(path, {"Sheet1": typed})


def _parsed(engine, dataset, data: bytes, name: str):
    from loaders.parsing import read_table
    from loaders.registry import DATASETS
    from loaders.validation import validate
    with engine.connect() as conn:
        rows, found = validate(DATASETS[dataset], read_table(data, name), conn)
    assert not found.errors, found.errors
    return [rec for _, rec in rows]


@pytest.mark.parametrize("dataset", list(GOOD))
def test_every_format_reads_the_same(base, tmp_path, dataset):
    rows = GOOD[dataset]
    plain = _parsed(base, dataset, csv_bytes(rows), "plain.csv")
    regional = _parsed(base, dataset, csv_bytes(_regional(rows), delimiter=";", bom=True), "regional.csv")
    xlsx = _parsed(base, dataset, _xlsx_typed(tmp_path / "f.xlsx", rows).read_bytes(), "f.xlsx")
    assert regional == plain
    assert xlsx == plain


@pytest.mark.parametrize("dataset", list(GOOD))
def test_garbled_text_is_refused_in_every_dataset(base, tmp_path, dataset):
    rows = [list(r) for r in GOOD[dataset]]
    column = GARBLE[dataset]
    rows[2][rows[0].index(column)] = "ÄŒaÄak"
    path = write_csv(tmp_path / f"{dataset}_garbled.csv", rows)
    before = snapshot(base)
    with pytest.raises(LoadRefused) as info:
        load_file(dataset, path, engine=base, rescore_after=False)
    hits = [e for e in info.value.errors if (e.row, e.column) == (3, column)]
    assert hits and "encoding problem" in hits[0].problem, str(info.value)
    assert snapshot(base) == before


def test_unquoted_decimal_comma_in_a_comma_file_is_refused_not_shifted(base, tmp_path):
    path = tmp_path / "shifted.csv"
    path.write_text("municipality_code,indicator_code,period,value,source,note\r\n"
                    "MK001,hate_incidents,2024,4.5,Police,\r\n"
                    "MK002,hate_incidents,2024,3,75,Police,\r\n", encoding="utf-8")
    before = snapshot(base)
    with pytest.raises(LoadRefused) as info:
        load_file("indicator_values", path, engine=base, rescore_after=False)
    assert [(e.row, e.column) for e in info.value.errors] == [(3, None)]
    assert "must be quoted" in info.value.errors[0].problem
    assert "shifted.csv:3:: the row has 7 cells" in str(info.value)
    assert snapshot(base) == before


def test_xlsx_with_formatted_blank_cells_right_of_the_table(base, tmp_path):
    header = ["event_id", "kind", "title", "held_on", "language", "location", "virtual"]
    path = _xlsx(tmp_path / "wide.xlsx", {"Events": [
        header, ["EV-5", "workshop", "Wide sheet", datetime(2025, 2, 3), "en", None, False]]})
    import openpyxl
    wb = openpyxl.load_workbook(path)
    wb["Events"]["K2"].number_format = "0.00"     # a touched, empty cell far right widens every row
    wb["Events"]["K2"].value = None
    wb["Events"]["K3"] = " "
    wb.save(path)
    report = load_file("events", path, engine=base, rescore_after=False)
    assert report.inserted == 1
