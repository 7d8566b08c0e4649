"""Workbooks we write: the one way to open one, the one escape for cells from data, and forms to fill in.

Every workbook stores strings as text (never as formulas or links). That is not enough
on its own: a cell that starts with "=" becomes a formula as soon as someone edits it
or saves the sheet as CSV. So text from data is escaped exactly as the CSV exports
escape it; only our own drop-downs' data validation is a formula.
"""

import io
from collections.abc import Iterable

import xlsxwriter

from core.csv_export import escape_cell


def workbook(buffer: io.BytesIO, *, constant_memory: bool = False) -> xlsxwriter.Workbook:
    """A workbook that writes every string as text: no cell becomes a formula or a link.

    With `constant_memory`, each row goes to a temporary file as it is written and the worker's memory stays
    flat however long the sheet: xlsxwriter quietly keeps every cell in memory instead when asked for
    `in_memory`, so only small workbooks are assembled in memory (issue 14: Annex A grew a worker by 180 MB).
    """
    return xlsxwriter.Workbook(
        buffer,
        {
            "constant_memory": constant_memory,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "in_memory": not constant_memory,
        },
    )


def data_cells(values: Iterable) -> list:
    """A row of cells from data: text escaped as the CSV exports do, numbers kept as numbers, None blank."""
    return [value if isinstance(value, int | float) else escape_cell(value) for value in values]


def xlsx_form(
    header: list[str],
    rows: Iterable[list],
    *,
    sheet: str,
    choices: dict[str, list[tuple[str, str]]] | None = None,
    blank_rows: int = 0,
    listing: tuple[str, list[str], list[list]] | None = None,
) -> bytes:
    """A one-sheet workbook with a frozen heading row; no cell from data can run as a formula.

    `choices` maps a column's heading to its allowed (value, meaning) pairs: the column
    gets a drop-down of the values, and a second sheet lists each value with its
    meaning. `blank_rows` keeps the drop-downs on that many empty rows below the data.
    `listing` (sheet name, heading, rows) adds a sheet to look values up in, such as providers.
    """
    buffer = io.BytesIO()
    book = workbook(buffer)
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})
    page = book.add_worksheet(sheet)
    codes = book.add_worksheet("Codes") if choices else None
    page.freeze_panes(1, 0)
    page.write_row(0, 0, header, bold)
    last = 0
    for last, row in enumerate(rows, start=1):
        page.write_row(last, 0, data_cells("" if value is None else str(value) for value in row))
    last += blank_rows
    for col, heading in enumerate(header):
        page.set_column(col, col, max(12, len(heading) + 2), text)
    if codes is not None:
        codes.write_row(0, 0, ["Column", "Value", "Meaning"], bold)
        line = 1
        for heading, allowed in choices.items():
            col = header.index(heading)
            first = line
            for value, meaning in allowed:
                codes.write_row(line, 0, [heading, value, meaning])
                line += 1
            page.data_validation(
                1,
                col,
                max(last, 1),
                col,
                {
                    "validate": "list",
                    "source": f"=Codes!$B${first + 1}:$B${line}",
                    "error_title": heading,
                    "error_message": f"Choose a {heading.lower()} from the list; the Codes sheet says what each means.",
                },
            )
        codes.set_column(0, 0, 20)
        codes.set_column(2, 2, 80)
    if listing is not None:
        name, heading, listed = listing
        extra = book.add_worksheet(name)
        extra.write_row(0, 0, heading, bold)
        for line, row in enumerate(listed, start=1):
            extra.write_row(line, 0, data_cells(row))
        extra.set_column(0, len(heading) - 1, 24)
    book.close()
    return buffer.getvalue()
