"""Reading the files hub staff keep: CSV (UTF-8 with or without BOM, comma or semicolon separated,
legacy Windows-1250/1251) and .xlsx, and parsing cells the way users in the region write them.

Everything here is independent of the datasets: ``read_table`` turns bytes into a header and
numbered rows (header = spreadsheet row 1), and the ``parse_*`` functions turn one cell into a
Python value or raise ``ValueError`` with a message meant for the person who made the file.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from loaders.errors import LoadError, LoadRefused

XLSX_MAGIC = b"PK\x03\x04"
ENCODING_FIX = "save the file as 'CSV UTF-8' (Excel: File > Save As > CSV UTF-8) and load it again"


@dataclass
class Table:
    """A file's header and its non-empty data rows, each with its spreadsheet row number."""
    file: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    delimiter: str | None = None          # None for .xlsx
    encoding: str | None = None
    warnings: list[LoadError] = field(default_factory=list)


# --- bytes in ------------------------------------------------------------------
def read_input(path_or_bytes: Any, file_name: str | None = None) -> tuple[bytes, str]:
    """The bytes of a path, bytes object or file-like upload (e.g. Streamlit's UploadedFile),
    and the file name to report."""
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        return bytes(path_or_bytes), file_name or "upload"
    if hasattr(path_or_bytes, "getvalue"):
        data = path_or_bytes.getvalue()
    elif hasattr(path_or_bytes, "read"):
        data = path_or_bytes.read()
    else:
        from pathlib import Path
        p = Path(path_or_bytes)
        return p.read_bytes(), file_name or p.name
    if isinstance(data, str):
        data = data.encode("utf-8")
    return bytes(data), file_name or getattr(path_or_bytes, "name", None) or "upload"


def read_table(data: bytes, file_name: str, sheet: str | None = None, columns=None) -> Table:
    """Header and rows of a CSV or .xlsx file. Raises ``LoadRefused`` for unreadable files
    (wrong format, encoding problem, missing sheet, formulas without a saved value in the
    header or in ``columns``: None = every column)."""
    lower = file_name.lower()
    if data.startswith(XLSX_MAGIC) or lower.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data, file_name, sheet, columns)
    if lower.endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise LoadRefused([LoadError(file_name, None, None,
                                     "old Excel 97-2003 (.xls) files are not read; save it as .xlsx or CSV UTF-8")])
    text, encoding, warnings = decode_text(data, file_name)
    return _read_csv(text, file_name, encoding, warnings)


# --- encodings -----------------------------------------------------------------
CYRILLIC = frozenset(chr(c) for c in range(0x0400, 0x0460))
# Latin letters of the region's languages (Albanian, BCMS) plus the commonest foreign accents.
REGIONAL_LATIN = frozenset("ČčĆćŽžŠšĐđËëÇçÄäÖöÜüÉéÁáÍíÓóÚúß")
_WORD = re.compile(r"[^\W\d_]+")


def _plausibility(text: str) -> float:
    """Share of the words with non-ASCII letters that look like real words of the region:
    wholly Cyrillic, or Latin using the region's accented letters, and cased like words
    (lower, UPPER or Capitalised)."""
    total = good = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        total += 1
        chars = set(word)
        if not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
            continue  # rAnDoM case inside a word: bytes that are not text in this code page
        if chars <= CYRILLIC:
            good += 1
        elif all(ch.isascii() or ch in REGIONAL_LATIN for ch in chars):
            good += 1
    return good / total if total else 0.0


def decode_text(data: bytes, file_name: str) -> tuple[str, str, list[LoadError]]:
    """Decode a CSV file: UTF-8 (BOM or not), UTF-16 with BOM, or a legacy Windows code page
    (1250 Central European Latin, 1251 Cyrillic) when that yields plausible regional text.
    Anything else is refused as an encoding problem."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig", []
        except UnicodeDecodeError as exc:
            raise _encoding_refusal(file_name, f"the file starts with a UTF-8 marker but byte {exc.start} "
                                               "is not UTF-8") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError:
            raise _encoding_refusal(file_name, "the file claims to be UTF-16 but is not") from None
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    scored = []
    for enc, label in (("cp1250", "Windows-1250 (Central European Latin)"),
                       ("cp1251", "Windows-1251 (Cyrillic)")):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        scored.append((_plausibility(text), enc, label, text))
    scored.sort(key=lambda s: s[0], reverse=True)
    if scored and scored[0][0] >= 0.95 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        _, enc, label, text = scored[0]
        warn = LoadError(file_name, None, None,
                         f"the file is not UTF-8; it was read as {label}. To be safe, {ENCODING_FIX}")
        return text, enc, [warn]
    raise _encoding_refusal(file_name, "the file is not UTF-8, and neither Windows-1250 nor Windows-1251 "
                                       "gives readable names")


def _encoding_refusal(file_name: str, what: str) -> LoadRefused:
    return LoadRefused([LoadError(file_name, None, None, f"encoding problem: {what}; {ENCODING_FIX}")])


# UTF-8 lead bytes read as Windows-1252/1250 (Ã Â Ä Å Ă Ĺ Ð Ñ Đ Ń), followed by a continuation byte read
# the same way; and "â€" (the start of UTF-8 quotes/dashes/euro read as 1252).
_CONT_1252_1250 = ("\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸŚŤŹśťźˇ˘Ł¤Ą¦Ş«¬®Ż˛ł´µ¶·¸ąş»Ľ˝ľż")
_LATIN_MOJIBAKE = re.compile(f"[ÃÂÄÅĂĹÐÑĐŃ][{_CONT_1252_1250}]|â€")
# UTF-8 Cyrillic read as Windows-1251: "Р"/"С" followed by a continuation byte read as 1251.
_CYR_MOJIBAKE = re.compile("[РС][ЂЃ‚ѓ„…†‡€‰Љ‹ЊЌЋЏђ‘’“”•–—™љ›њќћџ\u00a0ЎўЈ¤Ґ¦§Ё©Є«¬\u00ad®Ї°±Ііґµ¶·ё№є»јЅѕї]")


def looks_garbled(s: str) -> bool:
    """True when ``s`` looks like UTF-8 text that was decoded with a Windows code page on its way
    here (mojibake such as ``ÄŒaÄak`` for ``Čačak`` or ``РљСѓРјР°РЅРѕРІРѕ`` for ``Куманово``),
    or carries the replacement character left by a lossy conversion."""
    if s.isascii():
        return False
    if "\ufffd" in s or _LATIN_MOJIBAKE.search(s):
        return True
    pairs = len(_CYR_MOJIBAKE.findall(s))
    if pairs >= 2 and pairs * 2 >= 0.6 * sum(1 for ch in s if ch in CYRILLIC):
        return True
    for enc in ("cp1252", "cp1250", "cp1251"):
        try:
            fixed = s.encode(enc).decode("utf-8")
        except UnicodeError:
            continue
        if fixed != s:
            return True
    return False


# --- CSV -----------------------------------------------------------------------
def sniff_delimiter(first_line: str) -> str:
    """Comma, semicolon or tab: whichever the header line uses most."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _clean_header(h: Any) -> str:
    return str(h if h is not None else "").replace("\ufeff", "").strip().strip('"').strip()


def _read_csv(text: str, file_name: str, encoding: str, warnings: list[LoadError]) -> Table:
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    if first_line.strip().lower().startswith("sep=") and len(first_line.strip()) == 5:
        # Excel's "sep=;" hint line: Excel hides it, so the header is still row 1 for the user.
        delimiter = first_line.strip()[4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
    else:
        delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise LoadRefused([LoadError(file_name, None, None, "the file is empty")]) from None
    except csv.Error as exc:
        raise LoadRefused([LoadError(file_name, 1, None, f"not a readable CSV file: {exc}")]) from None
    rows: list[tuple[int, list[Any]]] = []
    rownum = 1
    try:
        for cells in reader:
            rownum += 1
            if cells and "".join(cells).strip():
                rows.append((rownum, cells))
    except csv.Error as exc:
        raise LoadRefused([LoadError(file_name, rownum + 1, None, f"not a readable CSV row: {exc}")]) from None
    return Table(file_name, [_clean_header(h) for h in header], rows, delimiter, encoding, warnings)


# --- xlsx ----------------------------------------------------------------------
FORMULA_WITHOUT_VALUE = "formula without a saved value: save the workbook in Excel or paste values"
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet of the workbook holds a formula (an ``<f>`` element)."""
    import zipfile
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return any(_FORMULA_TAG.search(z.read(n)) for n in z.namelist()
                       if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def _sheet(wb, file_name: str, sheet: str | None):
    if sheet is None:
        return wb.worksheets[0]
    if sheet not in wb.sheetnames:
        raise LoadRefused([LoadError(file_name, None, None,
                                     f"no sheet named {sheet!r}; the workbook has: " + ", ".join(wb.sheetnames))])
    return wb[sheet]


def _unsaved_formulas(data: bytes, file_name: str, sheet: str | None, header: list[str], columns) -> list[LoadError]:
    """Cells that hold a formula whose value was never saved (a workbook written by a program
    rather than Excel): openpyxl reads them as empty, which must not pass for an empty cell.
    Checked in the header and in ``columns`` (None = all)."""
    import openpyxl
    wanted = None if columns is None else set(columns)
    wb_f = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    wb_v = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    errors = []
    try:
        rows_f = _sheet(wb_f, file_name, sheet).iter_rows(values_only=True)
        rows_v = _sheet(wb_v, file_name, sheet).iter_rows(values_only=True)
        for rownum, (cells_f, cells_v) in enumerate(zip(rows_f, rows_v), start=1):
            for i, (f, v) in enumerate(zip(cells_f, cells_v)):
                is_formula = (isinstance(f, str) and f.startswith("=")) or type(f).__name__ in (
                    "ArrayFormula", "DataTableFormula")
                if not is_formula or v is not None:
                    continue
                name = header[i] if i < len(header) else None
                if rownum == 1 or wanted is None or name in wanted:
                    errors.append(LoadError(file_name, rownum, name or _column_letter(i), FORMULA_WITHOUT_VALUE))
    finally:
        wb_f.close()
        wb_v.close()
    return errors


def unsaved_formulas(data: bytes, file_name: str, sheet: str | None, header: list[str], columns=None) -> list[LoadError]:
    """The problems of formula cells without a saved value in one sheet (none in a workbook without
    formulas: the common case costs one scan of the sheets' XML). Every reader of .xlsx calls it."""
    return _unsaved_formulas(data, file_name, sheet, header, columns) if _has_formulas(data) else []


def _column_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(i + 1)


def _read_xlsx(data: bytes, file_name: str, sheet: str | None, columns=None) -> Table:
    import openpyxl
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise LoadRefused([LoadError(file_name, None, None, f"not a readable .xlsx workbook ({exc})")]) from None
    try:
        ws = _sheet(wb, file_name, sheet)
        it = ws.iter_rows(values_only=True)
        header_cells = next(it, None)
        if header_cells is None:
            raise LoadRefused([LoadError(file_name, None, None, "the sheet is empty")])
        header = [_clean_header(h) for h in header_cells]
        while header and not header[-1]:
            header.pop()
        rows = []
        for rownum, cells in enumerate(it, start=2):
            if cells and any(c is not None and (not isinstance(c, str) or c.strip()) for c in cells):
                rows.append((rownum, list(cells)))
    finally:
        wb.close()
    errors = unsaved_formulas(data, file_name, sheet, header, columns)
    if errors:
        raise LoadRefused(errors)
    return Table(file_name, header, rows, None, None, [])


# --- cells ---------------------------------------------------------------------
def is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def parse_text(v: Any) -> str:
    """A text cell, trimmed. Numbers from .xlsx become their plain spelling (2023, not 2023.0)."""
    if isinstance(v, str):
        s = v.strip()
        if not s.isascii():
            if looks_garbled(s):
                raise ValueError(f"encoding problem: {s!r} looks garbled (UTF-8 text read as a Windows code "
                                 f"page, e.g. 'ÄŒaÄak' for 'Čačak'); {ENCODING_FIX}")
            if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in s):
                raise ValueError("contains control characters")
        return s
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def detect_decimal_comma(values: list[str]) -> bool | None:
    """The file's decimal mark, from the values that are unambiguous: ``True`` for a comma
    (``1.234,50``, ``12,5``), ``False`` for a dot (``1,234.50``, ``12.5``), ``None`` if unknown."""
    comma = dot = False
    for s in values:
        if "," in s and "." in s:
            if s.rfind(",") > s.rfind("."):
                comma = True
            else:
                dot = True
        elif s.count(",") == 1:
            if len(s) - s.index(",") - 1 != 3:
                comma = True
        elif s.count(".") == 1:
            if len(s) - s.index(".") - 1 != 3:
                dot = True
        if comma and dot:
            return None
    return True if comma else False if dot else None


def _grouped(int_part: str, sep: str) -> bool:
    return re.fullmatch(rf"[+-]?\d{{1,3}}({re.escape(sep)}\d{{3}})+", int_part) is not None


def parse_number(v: Any, decimal_comma: bool | None = None) -> float:
    """A number written ``1234.50``, ``1.234,50``, ``1,234.50``, ``1 234,50`` or ``12,5``.
    A single separator followed by exactly three digits is read as a thousands separator when
    the file's decimal mark is the other one (``decimal_comma``)."""
    if isinstance(v, bool):
        raise ValueError("not a number")
    if isinstance(v, (int, float)):
        f = float(v)
    else:
        s = str(v).strip()
        if _PLAIN.fullmatch(s) and not (decimal_comma and s.count(".") == 1
                                        and len(s) - s.index(".") - 1 == 3 and "e" not in s.lower()):
            f = float(s)
        else:
            f = _parse_number_text(s, decimal_comma)
    if f != f or f in (float("inf"), float("-inf")):
        raise ValueError("not a finite number")
    return f


def _parse_number_text(raw: str, decimal_comma: bool | None) -> float:
    s = raw.translate(_SPACES)
    for sym in ("€", "EUR", "eur", "%"):
        s = s.replace(sym, "")
    if s.startswith("(") and s.endswith(")"):          # accounting negative
        s = "-" + s[1:-1]
    bad = ValueError(f"{raw!r} is not a number (write 1234.50 or 1.234,50)")
    if "," in s and "." in s:
        dec, thou = (",", ".") if s.rfind(",") > s.rfind(".") else (".", ",")
        int_part, _, frac = s.rpartition(dec)
        if not _grouped(int_part, thou) and thou in int_part:
            raise bad
        s = int_part.replace(thou, "") + "." + frac
    elif "," in s:
        if s.count(",") > 1:
            if not _grouped(s, ","):
                raise bad
            s = s.replace(",", "")
        elif decimal_comma is False and _grouped(s, ","):
            s = s.replace(",", "")
        else:
            s = s.replace(",", ".")
    elif s.count(".") > 1:
        if not _grouped(s, "."):
            raise bad
        s = s.replace(".", "")
    elif "." in s and decimal_comma and _grouped(s, "."):
        s = s.replace(".", "")
    if not _PLAIN.fullmatch(s):
        raise bad
    return float(s)


def parse_int(v: Any, decimal_comma: bool | None = None) -> int:
    """A whole number; ``12.345`` / ``12,345`` with a three-digit group is read as thousands."""
    if isinstance(v, str):
        s = v.strip()
        if s.isdigit():
            return int(s)
        t = s.translate(_SPACES)
        for sep in (".", ","):
            if _grouped(t, sep):
                return int(t.replace(sep, ""))
    f = parse_number(v, decimal_comma)
    if not f.is_integer():
        raise ValueError(f"{v!r} is not a whole number")
    return int(f)


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?")
_DMY = re.compile(r"(\d{1,2})([./])(\d{1,2})\2(\d{4})\.?")


def parse_date(v: Any) -> date:
    """A date written ``2024-03-31``, ``31.03.2024`` (trailing dot allowed) or ``31/03/2024``,
    or an Excel date cell."""
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    s = str(v).strip()
    m = _ISO.fullmatch(s)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _DMY.fullmatch(s)
        if not m:
            raise ValueError(f"{s!r} is not a date (write 2024-03-31, 31.03.2024 or 31/03/2024)")
        d, mo, y = int(m[1]), int(m[3]), int(m[4])
    if not 1900 <= y <= 2100:
        raise ValueError(f"{s!r}: year {y} is out of range")
    try:
        return date(y, mo, d)
    except ValueError:
        raise ValueError(f"{s!r} is not a real date (day/month out of range)") from None


_TRUE = frozenset({"true", "1", "yes", "y", "x", "da", "po", "да", "1.0"})
_FALSE = frozenset({"false", "0", "no", "n", "ne", "jo", "не", "0.0"})


def parse_bool(v: Any) -> bool:
    """true/false, 1/0, yes/no (also da/ne, po/jo, да/не)."""
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)) and v in (0, 1):
        return bool(v)
    s = str(v).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError(f"{v!r} is not true/false (write true, false, 1, 0, yes or no)")
