import contextlib
import csv
import datetime
import io
import random
import re
import zipfile

import pytest
import python_calamine
import xlsxwriter
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core import spreadsheets
from core.spreadsheets import (
    MAX_UPLOAD_BYTES,
    NOT_A_SPREADSHEET,
    SpreadsheetError,
    column_name,
    match_columns,
    read_table,
)

EXPECTED = {
    "upn": ["UPN", "Unique pupil number", "Pupil UPN"],
    "date": ["Date"],
    "session": ["Session", "AM/PM"],
    "mark": ["Mark", "Code", "Attendance code"],
}


def csv_bytes(rows, encoding="utf-8", delimiter=","):
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=delimiter).writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_bytes(fill) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    fill(workbook, workbook.add_worksheet("Register"))
    workbook.close()
    return buffer.getvalue()


def rewrite_member(data: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == name else content)
    return out.getvalue()


def refuse_calamine(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("calamine must not see this file")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", fail)


# CSV

cell_text = st.lists(
    st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"),
        st.sampled_from([",", ";", '"', "\n", "\r\n", "\t", " ", "ë", "Ł", "é", "€", "Zoë", "Łukasz"]),
    ),
    max_size=8,
).map("".join)


@st.composite
def tables(draw):
    width = draw(st.integers(min_value=2, max_value=5))
    header = draw(st.lists(cell_text.filter(lambda c: c.strip()), min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(cell_text, min_size=width, max_size=width), min_size=1, max_size=8))
    return [header, *rows]


def expected_table(records):
    stripped = [[cell.strip() for cell in record] for record in records]
    numbered = [(n, r) for n, r in enumerate(stripped, start=1) if any(r)]
    return numbered[0][1], [r for _, r in numbered[1:]], [n for n, _ in numbered[1:]]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_csv_round_trip(records, encoding):
    header, rows, numbers = expected_table(records)
    assume(rows)
    try:
        data = csv_bytes(records, encoding)
    except UnicodeEncodeError:
        assume(False)
    if encoding == "cp1252":
        # Text that is also valid UTF-8 is read as UTF-8: the two cannot be told apart.
        with contextlib.suppress(UnicodeDecodeError):
            assume(data.decode("utf-8") == data.decode("cp1252"))
    table = read_table(data, "register.csv")
    assert table.header == header
    assert table.rows == rows
    assert table.row_numbers == numbers
    assert table.first_row_number == numbers[0]


def test_windows_1252_and_bom_files_are_read():
    records = [["UPN", "Name"], ["A123456789012", "Zoë Łukasz"]]
    assert read_table(csv_bytes(records, "utf-8-sig"), "r.csv").header == ["UPN", "Name"]
    assert read_table(csv_bytes(records[:1] + [["A1", "Zoë"]], "cp1252"), "r.csv").rows == [["A1", "Zoë"]]
    assert read_table(b"UPN,Name\r\nA1,Zo\xeb\r\n", "r.csv").rows == [["A1", "Zoë"]]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_separator_is_detected(delimiter):
    records = [["UPN", "Date", "Mark"], ["A1", "13/02/2026", "/"], ["A2", "13/02/2026", "5,5"]]
    table = read_table(csv_bytes(records, delimiter=delimiter), "r.csv")
    assert table.header == ["UPN", "Date", "Mark"]
    assert table.rows[1] == ["A2", "13/02/2026", "5,5"]


def test_excel_unicode_text_is_read():
    data = "UPN\tName\r\nA1\tZoë\r\n".encode("utf-16")
    assert read_table(data, "register.txt").rows == [["A1", "Zoë"]]


def test_blank_rows_are_skipped_and_row_numbers_stay_true():
    data = b"\n\nUPN,Mark\nA1,/\n,\n  ,  \nA2,N\n\n\n,,,\n"
    table = read_table(data, "r.csv")
    assert table.header_row_number == 3
    assert table.rows == [["A1", "/"], ["A2", "N"]]
    assert table.row_numbers == [4, 7]


def test_row_numbers_count_rows_not_lines():
    data = b'UPN,Note\nA1,"two\nlines"\nA2,x\n'
    assert read_table(data, "r.csv").row_numbers == [2, 3]


def test_short_rows_are_padded_and_empty_extra_cells_dropped():
    table = read_table(b"UPN,Date,Mark\nA1\nA2,1/1/2026,/,,\n", "r.csv")
    assert table.rows == [["A1", "", ""], ["A2", "1/1/2026", "/"]]


def test_a_value_under_no_heading_is_refused():
    with pytest.raises(SpreadsheetError, match="Row 3 has 'oops' in column D, but column D has no heading"):
        read_table(b"UPN,Date,Mark\nA1,1/1/2026,/\nA2,1/1/2026,/,oops\n", "r.csv")
    with pytest.raises(SpreadsheetError, match="Row 2 has 'x' in column B, but column B has no heading"):
        read_table(b"UPN,,Mark\nA1,x,/\n", "r.csv")


def test_unpaired_quotes_are_explained():
    spreadsheets_limit = csv.field_size_limit()
    with pytest.raises(SpreadsheetError, match="could not be read"):
        read_table(b'UPN,Mark\nA1,"' + b"x" * (spreadsheets_limit + 10) + b"\n", "r.csv")


@pytest.mark.parametrize(
    "data",
    [b"", b"   \r\n\r\n", b",,\n, ,\n", "\ufeff".encode()],
)
def test_an_empty_file_is_refused(data):
    with pytest.raises(SpreadsheetError, match="The file is empty: it has no heading row"):
        read_table(data, "r.csv")


def test_a_file_with_only_headings_is_refused():
    with pytest.raises(SpreadsheetError, match=r"The file is empty: it has a heading row \(row 1\) but no rows"):
        read_table(b"UPN,Date,Mark\n,,\n\n", "r.csv")


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
        random.Random(4).randbytes(4096),
        bytes(range(1, 32)) * 20,
    ],
    ids=["pdf", "png", "xls", "random", "control-characters"],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(data):
    with pytest.raises(SpreadsheetError) as problem:
        read_table(data, "register.csv")
    assert str(problem.value).startswith(NOT_A_SPREADSHEET)


def test_an_oversize_file_is_refused_before_it_is_read():
    with pytest.raises(SpreadsheetError, match=r"The file is 10\.5 MB, which is over the 10 MB limit"):
        read_table(b"x" * (MAX_UPLOAD_BYTES + 512 * 1024), "r.csv")


def register_workbook(workbook, sheet):
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["UPN", "Date", "Session", "Mark", "Hours"])
    sheet.write_row(1, 0, [" A123456789012 ", None, "AM", "/", 5])
    sheet.write_datetime(1, 1, datetime.datetime(2026, 2, 13), date_format)
    sheet.write_row(3, 0, ["A123456789013", None, "PM", "N", 2.5])
    sheet.write_number(3, 1, 46066, date_format)  # a number typed into a date column
    sheet.write_row(4, 0, ["A123456789014", None, "AM", True, 1e20])
    sheet.write_datetime(
        4, 1, datetime.datetime(2026, 2, 13, 9, 30), workbook.add_format({"num_format": "dd/mm/yy hh:mm"})
    )
    sheet.write_formula(5, 0, '="A"&"1"', None, "A1")
    sheet.write_row(5, 1, ["2026-02-13", "PM", "/", 0])
    for row in range(6, 30):  # Excel often leaves formatted blank rows after the data
        sheet.write_blank(row, 1, None, date_format)
    sheet.write_string(31, 0, "   ")


def test_xlsx_is_read_with_true_row_numbers():
    table = read_table(xlsx_bytes(register_workbook), "register.xlsx")
    assert table.header == ["UPN", "Date", "Session", "Mark", "Hours"]
    assert table.rows == [
        ["A123456789012", "2026-02-13", "AM", "/", "5"],
        ["A123456789013", "2026-02-13", "PM", "N", "2.5"],
        ["A123456789014", "2026-02-13 09:30:00", "AM", "TRUE", "100000000000000000000"],
        ["A1", "2026-02-13", "PM", "/", "0"],
    ]
    assert table.row_numbers == [2, 4, 5, 6]
    assert table.first_row_number == 2


def test_xlsx_format_is_decided_by_content_not_name():
    assert read_table(xlsx_bytes(register_workbook), "register.csv").header[0] == "UPN"


def test_xlsx_with_headings_further_down_keeps_sheet_row_numbers_and_columns():
    def fill(workbook, sheet):
        sheet.write_row(2, 1, ["UPN", "Mark"])
        sheet.write_row(4, 1, ["A1", "/"])

    table = read_table(xlsx_bytes(fill), "register.xlsx")
    assert table.header == ["", "UPN", "Mark"]
    assert table.header_row_number == 3
    assert table.rows == [["", "A1", "/"]]
    assert table.row_numbers == [5]
    assert match_columns(table.header, {"upn": ["UPN"], "mark": ["Mark"]}).index == {"upn": 1, "mark": 2}


def test_only_the_first_sheet_is_read():
    def fill(workbook, sheet):
        sheet.write_row(0, 0, ["UPN", "Mark"])
        sheet.write_row(1, 0, ["A1", "/"])
        workbook.add_worksheet("Notes").write(0, 0, "ignore me")

    assert read_table(xlsx_bytes(fill), "register.xlsx").rows == [["A1", "/"]]


def test_a_zip_bomb_is_refused(monkeypatch):
    refuse_calamine(monkeypatch)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            zeros = bytes(1024 * 1024)
            for _ in range(200):
                member.write(zeros)
    data = buffer.getvalue()
    assert len(data) < MAX_UPLOAD_BYTES
    with pytest.raises(SpreadsheetError, match="expands to far more data than a register could hold"):
        read_table(data, "register.xlsx")


def test_a_highly_compressed_part_is_refused(monkeypatch):
    refuse_calamine(monkeypatch)
    data = rewrite_member(xlsx_bytes(register_workbook), "xl/styles.xml", lambda content: content + b" " * 2_000_000)
    with pytest.raises(SpreadsheetError, match="expands to far more data"):
        read_table(data, "register.xlsx")


def test_a_workbook_over_the_uncompressed_limit_is_refused(monkeypatch):
    refuse_calamine(monkeypatch)
    monkeypatch.setattr(spreadsheets, "MAX_UNCOMPRESSED_BYTES", 5_000)
    with pytest.raises(SpreadsheetError, match="expands to far more data"):
        read_table(xlsx_bytes(register_workbook), "register.xlsx")


def test_a_stray_cell_far_from_the_data_is_refused(monkeypatch):
    refuse_calamine(monkeypatch)

    def fill(workbook, sheet):
        register_workbook(workbook, sheet)
        sheet.write(1_048_575, 16_383, "x")

    with pytest.raises(SpreadsheetError, match="cells as far as row 1,048,576 and column XFD"):
        read_table(xlsx_bytes(fill), "register.xlsx")


def test_a_stray_cell_in_a_worksheet_stored_elsewhere_is_refused(monkeypatch):
    def fill(workbook, sheet):
        register_workbook(workbook, sheet)
        sheet.write(1_048_575, 16_383, "x")

    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(fill)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"worksheets/sheet1.xml", b"data/register.xml")
            name = "xl/data/register.xml" if info.filename == "xl/worksheets/sheet1.xml" else info.filename
            target.writestr(name, content)
    refuse_calamine(monkeypatch)
    with pytest.raises(SpreadsheetError, match="cells as far as row 1,048,576"):
        read_table(out.getvalue(), "register.xlsx")


@pytest.mark.parametrize(
    ("member", "declaration"),
    [
        ("xl/worksheets/sheet1.xml", b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'),
        ("xl/sharedStrings.xml", b'<!doctype x [<!entity a SYSTEM "file:///etc/passwd">]>'),
        ("xl/_rels/workbook.xml.rels", b'<!ENTITY a "b">'),
    ],
)
def test_an_xml_entity_attack_is_refused_before_calamine_sees_it(monkeypatch, member, declaration):
    def add_declaration(content):
        declaration_end = content.index(b"?>") + 2
        return content[:declaration_end] + b"\n" + declaration + content[declaration_end:]

    data = rewrite_member(xlsx_bytes(register_workbook), member, add_declaration)
    refuse_calamine(monkeypatch)
    with pytest.raises(SpreadsheetError, match=r"hidden instructions \(XML entity declarations\)"):
        read_table(data, "register.xlsx")


def test_an_entity_declaration_across_a_chunk_boundary_is_found(monkeypatch):
    monkeypatch.setattr(spreadsheets, "SCAN_CHUNK_BYTES", 7)
    data = rewrite_member(
        xlsx_bytes(register_workbook),
        "xl/worksheets/sheet1.xml",
        lambda content: content.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "b">]>', 1),
    )
    with pytest.raises(SpreadsheetError, match="XML entity declarations"):
        read_table(data, "register.xlsx")


def test_a_utf16_part_is_refused(monkeypatch):
    refuse_calamine(monkeypatch)
    data = rewrite_member(
        xlsx_bytes(register_workbook),
        "xl/worksheets/sheet1.xml",
        lambda content: content.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"),
    )
    with pytest.raises(SpreadsheetError, match="not laid out the way Excel saves workbooks"):
        read_table(data, "register.xlsx")


def test_a_damaged_workbook_is_refused():
    data = xlsx_bytes(register_workbook)
    for damaged in (data[: len(data) // 2], b"PK\x03\x04" + b"\x01" * 200):
        with pytest.raises(SpreadsheetError, match="appears to be damaged"):
            read_table(damaged, "register.xlsx")


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("register.csv", "UPN,Mark\nA1,/\n")
    with pytest.raises(SpreadsheetError, match="It is a zip file, but not an Excel workbook"):
        read_table(buffer.getvalue(), "register.zip")


# Headings


def test_headings_match_regardless_of_case_spaces_and_punctuation():
    match = match_columns(["unique pupil number", "DATE ", "am / pm", "Attendance-Code"], EXPECTED)
    assert match.index == {"upn": 0, "date": 1, "session": 2, "mark": 3}
    assert match.problems == []


def test_a_missing_column_is_named_with_the_columns_the_file_has():
    match = match_columns(["UPN", "Date", "Mark"], EXPECTED)
    assert match.problems == ["The column 'Session' is missing. The file's columns are: UPN, Date, Mark."]


def test_a_misspelt_column_gets_a_suggestion():
    match = match_columns(["UPN", "Date", "Sesion", "Mark"], EXPECTED)
    assert match.index == {"upn": 0, "date": 1, "mark": 3}
    assert match.problems == [
        "The column 'Sesion' (column C) is not one we know. Did you mean 'Session'? "
        "Rename the column 'Session' and upload the file again."
    ]


def test_an_extra_column_is_a_problem():
    match = match_columns(["UPN", "Date", "Session", "Mark", "Notes"], EXPECTED)
    assert match.index == {"upn": 0, "date": 1, "session": 2, "mark": 3}
    assert match.problems == [
        "The column 'Notes' (column E) is not one we use. Delete it and upload the file again. "
        "The columns we use are: UPN, Date, Session, Mark."
    ]


def test_a_duplicated_column_is_a_problem():
    match = match_columns(["UPN", "Date", "Session", "Mark", "Code"], EXPECTED)
    assert match.index["mark"] == 3
    assert match.problems == [
        "The columns 'Mark' (column D) and 'Code' (column E) are both the Mark column. Keep one and delete the other."
    ]


def test_several_problems_are_all_reported():
    match = match_columns(["Pupil", "Dates", "Notes", "Notes"], EXPECTED)
    assert len(match.problems) == 7
    assert any("'Dates' (column B) is not one we know. Did you mean 'Date'?" in p for p in match.problems)
    assert "The column 'UPN' is missing. The file's columns are: Pupil, Dates, Notes, Notes." in match.problems


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (16383, "XFD")])
def test_column_names(index, letters):
    assert column_name(index) == letters


# Mixed encodings (issue 9): rows pasted from a UTF-8 file into a Windows one

latin_names = (
    st.text(
        alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ -'éèêëàâäçñöôüûïîøåæßÉÈÇÖÜØÅÆ"),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)
accented = st.text(alphabet=st.sampled_from("éèëçñöüøåßÉÖ"), min_size=1, max_size=3)


@settings(max_examples=100)
@given(st.lists(latin_names, min_size=1, max_size=8))
def test_names_in_one_encoding_are_read_whichever_it_is(names):
    records = [["UPN", "Name"], *[[f"A{n}", name] for n, name in enumerate(names)]]
    for encoding in ("utf-8", "cp1252"):
        assert read_table(csv_bytes(records, encoding), "r.csv").rows == [
            [f"A{n}", name] for n, name in enumerate(names)
        ]


@settings(max_examples=100)
@given(st.lists(latin_names, min_size=2, max_size=8), accented, accented, st.data())
def test_a_file_mixing_utf8_and_windows_rows_is_refused_naming_a_row(names, one, other, data):
    utf8_at = data.draw(st.integers(min_value=0, max_value=len(names) - 1))
    windows_at = data.draw(st.integers(min_value=0, max_value=len(names) - 1).filter(lambda n: n != utf8_at))
    lines = [b"UPN,Name"] + [f"A{n},{name}".encode("cp1252") for n, name in enumerate(names)]
    lines[utf8_at + 1] = f"A{utf8_at},Jos{one}".encode()
    lines[windows_at + 1] = f"A{windows_at},Jos{other}".encode("cp1252")
    with pytest.raises(SpreadsheetError) as refused:
        read_table(b"\r\n".join(lines), "r.csv")
    message = str(refused.value)
    assert "mixes character encodings" in message
    assert '"CSV UTF-8' in message
    utf8_rows, windows_rows = re.match(
        r"This file mixes character encodings: rows? ([\d, ]+) (?:is|are) saved as UTF-8 and rows? ([\d, ]+)", message
    ).groups()
    assert str(utf8_at + 2) in utf8_rows.split(", ")
    assert windows_rows, "a row in the older encoding is named too"


def test_jose_is_never_read_as_mojibake():
    data = "UPN,Name\r\nA1,José\r\n".encode() + "A2,José\r\n".encode("cp1252")
    with pytest.raises(SpreadsheetError, match=r"row 2 is saved as UTF-8 and row 3 is in an older Windows encoding"):
        read_table(data, "r.csv")
