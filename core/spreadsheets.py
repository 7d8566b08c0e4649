"""Read an uploaded spreadsheet (CSV or XLSX: a register, a list of children) into a table of strings, safely.

Everything here raises `SpreadsheetError` with a message written for the person who
made the file: a provider's office manager, not a developer. Rows keep the numbers
they have in the file, so later checks can say "row 14" and be right.
"""

import csv
import datetime
import difflib
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.csv_export import csv_text

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Small parts (styles, content types) may compress very well and are harmless.
RATIO_CHECK_MIN_BYTES = 64 * 1024
MAX_ZIP_MEMBERS = 10_000
# calamine holds a sheet as a dense grid: one stray cell at XFD1048576 would cost
# gigabytes of memory from a file of a few kilobytes. A register needs far fewer cells.
MAX_SHEET_CELLS = 5_000_000
# No tag or text run in a workbook Excel writes comes near this; scanning stays bounded.
MAX_XML_TOKEN_BYTES = 1024 * 1024
SCAN_CHUNK_BYTES = 1024 * 1024
SNIFF_CHARS = 64 * 1024

NOT_A_SPREADSHEET = (
    "This file is not a spreadsheet we can read. Save it as CSV (comma separated) or "
    "Excel workbook (.xlsx) and upload it again."
)
ZIP_BOMB = "This workbook expands to far more data than a register could hold, so it was not opened."
XML_ENTITIES = (
    "This workbook contains hidden instructions (XML entity declarations) that spreadsheets "
    "never need, so it was not opened."
)
UNSAFE_WORKBOOK = (
    "This workbook is not laid out the way Excel saves workbooks, so it was not opened. "
    "Open it in Excel, save it again as Excel workbook (.xlsx) or CSV, and upload it again."
)

_BINARY_SIGNATURES = {
    b"%PDF": "It is a PDF document.",
    b"\x89PNG": "It is a picture (PNG).",
    b"\xff\xd8\xff": "It is a picture (JPEG).",
    b"GIF8": "It is a picture (GIF).",
    b"\xd0\xcf\x11\xe0": (
        "It is an older Excel file (.xls) or a workbook protected with a password; remove any password before saving."
    ),
}
# A character of two, three or four bytes as UTF-8 writes it.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\s[^<>]*>")
_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*["']([^"'<>]*)["']""")
# Where a row or cell says it is (<row r="7">, <c r="B7">), searched for in worksheets only.
# Starting with a literal keeps the search fast; it may also catch another attribute whose
# name ends in "r", which can only make the estimate larger, never smaller.
_ROW_NUMBER = re.compile(rb"""r=["'][A-Z]{0,3}([0-9]{1,7})["']""")
_COLUMN_LETTERS = re.compile(rb"""r=["']([A-Z]{1,3})[0-9]""")


class SpreadsheetError(Exception):
    """A problem with the whole file, described for the person who uploaded it."""


@dataclass
class Table:
    """The first sheet of a file: a heading row and the non-blank rows below it, as text."""

    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    header_row_number: int = 1

    @property
    def first_row_number(self) -> int:
        return self.row_numbers[0]


@dataclass
class ColumnMatch:
    """Where each expected column is in the heading row, and what is wrong with the headings."""

    index: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def column_name(index: int) -> str:
    """The spreadsheet letter of a zero-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _OverLimit(bytes):
    """The first bytes of a file over the size limit, with the size of the whole file."""

    size: int


def read_upload(file, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """An uploaded file's bytes. Of a file over the limit, no more is kept than shows it is over,
    but the rest is counted as it streams past, so that the person is told the file's real size."""
    content = file.read(limit + 1)
    if len(content) <= limit:
        return content
    size = len(content)
    while chunk := file.read(SCAN_CHUNK_BYTES):
        size += len(chunk)
    over = _OverLimit(content)
    over.size = size
    return over


def read_table(data: bytes, filename: str) -> Table:
    """Read the first sheet of an uploaded CSV or XLSX file; the content decides the format."""
    if len(data) > MAX_UPLOAD_BYTES:
        size = getattr(data, "size", len(data))
        raise SpreadsheetError(
            f"The file is {size / (1024 * 1024):.1f} MB, which is over the "
            f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB limit. Split it into smaller files, "
            "for example one for each month, and upload each of them."
        )
    if not data.strip():
        raise SpreadsheetError("The file is empty: it has no heading row and no rows of data.")
    if data.startswith(b"PK\x03\x04"):
        return _tabulate(_xlsx_records(data))
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise SpreadsheetError(f"{NOT_A_SPREADSHEET} {what}")
    return _read_csv(_decode(data))


def match_columns(
    header: list[str], expected: dict[str, list[str]], optional: frozenset[str] = frozenset()
) -> ColumnMatch:
    """Find each expected column in a heading row, ignoring case, spaces and punctuation.

    `expected` maps a column's own name to the spellings people may use; the first
    spelling is the one shown to them. Columns named in `optional` may be left out.
    Blank headings are ignored (`read_table` has already refused a blank heading over
    a column with values in it).
    """
    spellings: dict[str, str] = {}
    for name, accepted in expected.items():
        for spelling in [name, *accepted]:
            spellings.setdefault(_normalise(spelling), name)
    shown = {name: (accepted[0] if accepted else name) for name, accepted in expected.items()}
    match = ColumnMatch()
    unknown: list[int] = []
    for i, heading in enumerate(header):
        if not heading:
            continue
        name = spellings.get(_normalise(heading))
        if name is None:
            unknown.append(i)
        elif name in match.index:
            first = match.index[name]
            match.problems.append(
                f"The columns '{header[first]}' (column {column_name(first)}) and '{heading}' "
                f"(column {column_name(i)}) are both the {shown[name]} column. Keep one and delete the other."
            )
        else:
            match.index[name] = i
    missing = [name for name in expected if name not in match.index]
    for i in unknown:
        heading = header[i]
        candidates = {_normalise(s): name for name in missing for s in [name, *expected[name]]}
        close = difflib.get_close_matches(_normalise(heading), candidates, n=1, cutoff=0.8)
        if close:
            name = candidates[close[0]]
            missing.remove(name)
            match.problems.append(
                f"The column '{heading}' (column {column_name(i)}) is not one we know. "
                f"Did you mean '{shown[name]}'? Rename the column '{shown[name]}' and upload the file again."
            )
        else:
            match.problems.append(
                f"The column '{heading}' (column {column_name(i)}) is not one we use. Delete it and "
                f"upload the file again. The columns we use are: {', '.join(shown.values())}."
            )
    present = ", ".join(h for h in header if h)
    for name in (m for m in missing if m not in optional):
        match.problems.append(f"The column '{shown[name]}' is missing. The file's columns are: {present}.")
    return match


def _normalise(heading: str) -> str:
    return "".join(ch for ch in heading.casefold() if ch.isalnum())


def _tabulate(records: Iterable[list[str]]) -> Table:
    """Turn raw records into a Table: strip cells, skip blank rows, keep true row numbers."""
    records = iter(records)
    header: list[str] = []
    header_number = 0
    for record in records:
        header_number += 1
        header = list(map(str.strip, record))
        if any(header):
            break
    if not any(header):
        raise SpreadsheetError("The file is empty: it has no heading row and no rows of data.")
    rows: list[list[str]] = []
    numbers: list[int] = []
    strip = str.strip
    for number, record in enumerate(records, start=header_number + 1):
        cells = list(map(strip, record))
        if any(cells):
            rows.append(cells)
            numbers.append(number)
    if not rows:
        raise SpreadsheetError(
            f"The file is empty: it has a heading row (row {header_number}) but no rows of data below it."
        )
    while not header[-1]:
        header.pop()
    width = len(header)
    unnamed = [i for i, heading in enumerate(header) if not heading]
    for number, row in zip(numbers, rows, strict=True):
        if len(row) < width:
            row.extend([""] * (width - len(row)))
        elif len(row) > width:
            for i in range(width, len(row)):
                if row[i]:
                    _refuse_unnamed(number, i, row[i])
            del row[width:]
        for i in unnamed:
            if row[i]:
                _refuse_unnamed(number, i, row[i])
    return Table(header=header, rows=rows, row_numbers=numbers, header_row_number=header_number)


def _refuse_unnamed(number: int, index: int, value: str) -> None:
    letter = column_name(index)
    raise SpreadsheetError(
        f"Row {number} has '{value}' in column {letter}, but column {letter} has no heading. "
        f"Give column {letter} a heading from the template, or delete it, and upload the file again."
    )


# CSV


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode Text" saves UTF-16 with a byte order mark.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise SpreadsheetError(NOT_A_SPREADSHEET) from None
    elif b"\x00" in data:
        raise SpreadsheetError(NOT_A_SPREADSHEET)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            _refuse_mixed_encodings(data)
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise SpreadsheetError(NOT_A_SPREADSHEET) from None
    sample = text[:4096]
    if len(_CONTROL_CHARS.findall(sample)) > len(sample) // 100:
        raise SpreadsheetError(NOT_A_SPREADSHEET)
    return text


def _refuse_mixed_encodings(data: bytes) -> None:
    """Refuse a file that is not all UTF-8 yet has characters saved as UTF-8 (rows pasted from another file).

    Read as the older Windows encoding, its UTF-8 characters would come in as "JosÃ©" without a word.
    A file saved wholly in the older encoding never has a UTF-8 sequence in its names: accented letters
    there are single bytes from \xc0 up, and a UTF-8 sequence needs bytes \x80 to \xbf after its first.
    """
    if not _latin_as_utf8(data):
        return
    as_utf8, other = [], []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other.append(number)
            continue
        if _latin_as_utf8(line):
            as_utf8.append(number)
    raise SpreadsheetError(
        f"This file mixes character encodings: {_rows(as_utf8)} saved as UTF-8 and {_rows(other)} in an older "
        "Windows encoding, so accented letters (as in José) would be read wrongly. Open the file in Excel, "
        'save it as "CSV UTF-8 (Comma delimited)", and upload it again.'
    )


def _latin_as_utf8(data: bytes) -> bool:
    """Whether the bytes hold a letter of the older encoding's alphabet (é, ß, Ł…) written as UTF-8."""
    for sequence in _UTF8_SEQUENCE.findall(data):
        try:
            sequence.decode("utf-8").encode("cp1252")
        except UnicodeEncodeError:
            continue
        return True
    return False


def _rows(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:5]) + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")
    return f"row {shown} is" if len(numbers) == 1 else f"rows {shown} are"


def _read_csv(text: str) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return _tabulate(reader)
    except csv.Error:
        raise SpreadsheetError(
            f"Row {reader.line_num} could not be read: a cell is far too long or its quotation marks "
            'do not pair up. Check the row, or save the file again from Excel as "CSV UTF-8 (comma '
            'delimited)", and upload it again.'
        ) from None


def _delimiter(text: str) -> str:
    """Comma, unless the first rows only make a table when split on a semicolon or a tab.

    csv.Sniffer guesses wrongly when cells hold the other separators; Excel set to a
    European language saves with semicolons, and "Unicode Text" with tabs.
    """
    sample = text[:SNIFF_CHARS]
    truncated = len(text) > SNIFF_CHARS
    for delimiter in (",", ";", "\t"):
        try:
            records = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if any(r)]
        except csv.Error:
            continue
        if truncated:
            records = records[:-1]
        records = records[:50]
        if records and len(records[0]) > 1 and all(len(r) == len(records[0]) for r in records):
            return delimiter
    return ","


# XLSX


def _xlsx_records(data: bytes) -> Iterable[list[str]]:
    _check_workbook(data)
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        grid = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError):
        raise SpreadsheetError(f"{NOT_A_SPREADSHEET} The workbook appears to be damaged.") from None
    return ([_cell_text(value) for value in row] for row in grid)


def _check_workbook(data: bytes) -> None:
    """Refuse zip bombs, XML entity declarations and oversized grids before calamine reads anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "xl/workbook.xml" not in names:
                raise SpreadsheetError(f"{NOT_A_SPREADSHEET} It is a zip file, but not an Excel workbook.")
            if len(members) > MAX_ZIP_MEMBERS:
                raise SpreadsheetError(ZIP_BOMB)
            if sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES:
                raise SpreadsheetError(ZIP_BOMB)
            for member in members:
                if member.file_size > RATIO_CHECK_MIN_BYTES and (
                    member.compress_size == 0 or member.file_size / member.compress_size > MAX_COMPRESSION_RATIO
                ):
                    raise SpreadsheetError(ZIP_BOMB)
            parts = [m for m in members if m.filename.lower().endswith((".xml", ".rels"))]
            for member in parts:
                _scan_xml(archive, member)
            worksheets = _worksheet_parts(archive, names)
            for member in parts:
                if member.filename in worksheets:
                    _check_grid(archive, member)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError):
        # RuntimeError: a member is encrypted; NotImplementedError: an unknown compression.
        raise SpreadsheetError(f"{NOT_A_SPREADSHEET} The workbook appears to be damaged.") from None


def _xml_parts(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Iterable[bytes]:
    """One XML part in bounded pieces, each cut before its last "<" so that no tag is split.

    zipfile reads no more than the declared size and checks the CRC at the end, so a
    part that lies about its size fails here as a damaged file.
    """
    carry = b""
    with archive.open(member) as stream:
        while chunk := stream.read(SCAN_CHUNK_BYTES):
            buffer = carry + chunk
            cut = buffer.rfind(b"<")
            if cut == -1:
                cut = len(buffer)
            part, carry = buffer[:cut], buffer[cut:]
            if len(carry) > MAX_XML_TOKEN_BYTES:
                raise SpreadsheetError(UNSAFE_WORKBOOK)
            yield part
    yield carry


def _scan_xml(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Refuse a part that declares a DTD or entities, or that is not UTF-8 text."""
    for part in _xml_parts(archive, member):
        if b"\x00" in part:
            # UTF-16 or binary content: Excel writes its parts in UTF-8.
            raise SpreadsheetError(UNSAFE_WORKBOOK)
        start = part.find(b"<!")
        while start != -1:
            if part[start + 2 : start + 8].lower() in (b"doctyp", b"entity"):
                raise SpreadsheetError(XML_ENTITIES)
            start = part.find(b"<!", start + 2)


def _worksheet_parts(archive: zipfile.ZipFile, names: set[str]) -> set[str]:
    """The parts the workbook's relationships name as worksheets, wherever they are stored."""
    worksheets = {name for name in names if name.startswith("xl/worksheets/")}
    if "xl/_rels/workbook.xml.rels" in names:
        for tag in _RELATIONSHIP.findall(archive.read("xl/_rels/workbook.xml.rels")):
            attributes = {key: value.decode(errors="replace") for key, value in _ATTRIBUTE.findall(tag)}
            if attributes.get(b"Type", "").endswith("/worksheet"):
                target = attributes.get(b"Target", "")
                worksheets.add(posixpath.normpath(target.lstrip("/") if target.startswith("/") else f"xl/{target}"))
    return worksheets


def _check_grid(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Refuse a sheet whose cells reach so far that calamine's grid would not fit in memory."""
    rows = columns = 0
    for part in _xml_parts(archive, member):
        rows = max(rows, max(map(int, set(_ROW_NUMBER.findall(part))), default=0))
        columns = max(columns, max(map(_column_number, set(_COLUMN_LETTERS.findall(part))), default=0))
    columns = max(columns, 1)
    if rows * columns > MAX_SHEET_CELLS:
        raise SpreadsheetError(
            f"This workbook has cells as far as row {rows:,} and column {column_name(columns - 1)}, "
            "far more than a register needs, so it was not opened. Delete the empty rows and "
            "columns after your data (or copy the data into a new workbook) and upload it again."
        )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _cell_text(value: object) -> str:
    kind = type(value)
    if kind is str:
        return value
    if kind is float:
        return str(int(value)) if value.is_integer() else repr(value)
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is datetime.datetime:
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if kind is datetime.date:
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Problem:
    """Why one cell (or the whole file, where row is None) cannot be taken, in the file's own terms."""

    row: int | None
    column: str
    value: str
    rule: str


def problems_to_store(problems: list[Problem]) -> list[list]:
    """A refused file's problems as kept in place of the file (a JSON field): row, column, value, rule."""
    return [[p.row, p.column, p.value, p.rule] for p in problems]


def problems_stored(stored: list[list]) -> list[Problem]:
    """The problems a refused file was kept with."""
    return [Problem(*problem) for problem in stored]


def read_rows(
    content: bytes, filename: str, columns: dict[str, list[str]], required: frozenset[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """Each row's cells by column name (only the columns the file has), or the problems that stop it being read."""
    try:
        table = read_table(content, filename)
    except SpreadsheetError as error:
        return [], [Problem(None, "", filename, str(error))]
    match = match_columns(table.header, columns, optional=frozenset(columns) - required)
    if match.problems:
        return [], [Problem(table.header_row_number, "", "", problem) for problem in match.problems]
    rows = []
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        rows.append((number, {name: cells[i].strip() if i < len(cells) else "" for name, i in match.index.items()}))
    return rows, []


def problems_csv(problems: list[Problem]) -> str:
    """The problems as a file to work through beside the spreadsheet."""
    return csv_text(["Row", "Column", "Value", "Problem"], ([p.row or "", p.column, p.value, p.rule] for p in problems))
