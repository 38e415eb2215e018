"""Cell parsing and encoding detection, one value at a time."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from loaders import parsing
from loaders.errors import LoadRefused


@pytest.mark.parametrize("raw,decimal_comma,expected", [
    ("1234.50", None, 1234.5), ("1.234,50", None, 1234.5), ("1,234.50", None, 1234.5),
    ("1 234,50", None, 1234.5), ("1\u00a0234,50", None, 1234.5), ("12,5", None, 12.5), ("-3,25", None, -3.25),
    ("1.234.567", None, 1234567.0), ("1,234,567", None, 1234567.0), ("1.234", True, 1234.0),
    ("1.234", None, 1.234), ("1,234", False, 1234.0), ("1,234", None, 1.234), ("€ 1.500,00", None, 1500.0),
    ("0", None, 0.0), (".5", None, 0.5), (7, None, 7.0), (2.5, None, 2.5), ("1e3", None, 1000.0),
])
def test_numbers(raw, decimal_comma, expected):
    assert parsing.parse_number(raw, decimal_comma) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["abc", "1,2,3x", "1.23.4", "12..5", "nan", "inf", "1,2.3,4", True, "--1"])
def test_not_numbers(raw):
    with pytest.raises(ValueError):
        parsing.parse_number(raw)


@pytest.mark.parametrize("raw,expected", [("98104", 98104), ("98.104", 98104), ("98,104", 98104),
                                          ("1.234.567", 1234567), (12.0, 12), ("12 345", 12345)])
def test_whole_numbers(raw, expected):
    assert parsing.parse_int(raw) == expected


def test_fractions_are_not_whole_numbers():
    with pytest.raises(ValueError, match="whole number"):
        parsing.parse_int("12,5")


@pytest.mark.parametrize("raw,expected", [
    ("2024-03-31", date(2024, 3, 31)), ("31.03.2024", date(2024, 3, 31)), ("31.03.2024.", date(2024, 3, 31)),
    ("31/03/2024", date(2024, 3, 31)), ("1.4.2024", date(2024, 4, 1)), ("2024-03-31 00:00:00", date(2024, 3, 31)),
    (datetime(2024, 3, 31, 0, 0), date(2024, 3, 31)), (date(2024, 3, 31), date(2024, 3, 31)),
])
def test_dates(raw, expected):
    assert parsing.parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["03/31/2024", "2024-02-30", "31-03-2024", "March 2024", "0024-01-01", "45000"])
def test_not_dates(raw):
    with pytest.raises(ValueError):
        parsing.parse_date(raw)


@pytest.mark.parametrize("raw,expected", [("true", True), ("FALSE", False), ("1", True), ("0", False),
                                          ("yes", True), ("no", False), ("da", True), ("не", False), (1, True)])
def test_booleans(raw, expected):
    assert parsing.parse_bool(raw) is expected


def test_text_from_xlsx_numbers_keeps_plain_spelling():
    assert parsing.parse_text(2023.0) == "2023"
    assert parsing.parse_text("  Kumanovo ") == "Kumanovo"


@pytest.mark.parametrize("line,expected", [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ("a", ",")])
def test_delimiter_sniffing(line, expected):
    assert parsing.sniff_delimiter(line) == expected


def test_decimal_mark_detection():
    assert parsing.detect_decimal_comma(["1.234,50", "12"]) is True
    assert parsing.detect_decimal_comma(["1,234.50"]) is False
    assert parsing.detect_decimal_comma(["1.234"]) is None
    assert parsing.detect_decimal_comma(["1,5", "2.5"]) is None


def test_code_page_detection():
    latin = "code;name\nRS001;Čačak\nBA001;Brčko\n"
    cyr = "code,name_local\nMK001,Куманово\nMK002,Чаир\n"
    assert parsing.decode_text(latin.encode("cp1250"), "f")[:2] == (latin, "cp1250")
    assert parsing.decode_text(cyr.encode("cp1251"), "f")[:2] == (cyr, "cp1251")
    assert parsing.decode_text(("\ufeff" + cyr).encode("utf-8"), "f")[1] == "utf-8-sig"
    assert parsing.decode_text(cyr.encode("utf-16"), "f")[0] == cyr


def test_unreadable_bytes_are_an_encoding_problem():
    with pytest.raises(LoadRefused, match="encoding problem"):
        parsing.decode_text(b"code,name\nX,\x81\x8d\x90\x9d\n", "f.csv")


@pytest.mark.parametrize("s,garbled", [
    ("ÄŒaÄak", True), ("ÄŚaÄŤak", True), ("Ã‡air", True), ("â€žNovi Sad â€œ", True),
    ("РљСѓРјР°РЅРѕРІРѕ", True), ("Kum\ufffdnovo", True),
    ("Čačak", False), ("Сјеница", False), ("Đakovica", False), ("Shkodër", False), ("Ärzte ohne Grenzen", False),
    ("Ѓорче Петров", False), ("São Paulo", False), ("Kumanovo", False),
])
def test_mojibake_detection(s, garbled):
    assert parsing.looks_garbled(s) is garbled


def test_old_excel_is_refused_with_advice():
    with pytest.raises(LoadRefused, match=r"\.xlsx or CSV"):
        parsing.read_table(b"\xd0\xcf\x11\xe0rest", "old.xls")


def test_excel_sep_hint_line():
    table = parsing.read_table(b"sep=;\r\ncode;name\r\nMK001;Kumanovo, city\r\n", "f.csv")
    assert table.delimiter == ";" and table.header == ["code", "name"]
    assert table.rows == [(2, ["MK001", "Kumanovo, city"])]
