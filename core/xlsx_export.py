"""Workbooks for people to fill in: a heading row, the rows, and drop-downs of the values allowed."""

import io
from collections.abc import Iterable

import xlsxwriter


def xlsx_form(
    header: list[str],
    rows: Iterable[list],
    *,
    sheet: str,
    choices: dict[str, list[tuple[str, str]]] | None = None,
    blank_rows: int = 0,
) -> bytes:
    """A one-sheet workbook with a frozen heading row; no cell can run as a formula.

    `choices` maps a column's heading to its allowed (value, meaning) pairs: the column
    gets a drop-down of the values, and a second sheet lists each value with its
    meaning. `blank_rows` keeps the drop-downs on that many empty rows below the data.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True})
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})
    page = book.add_worksheet(sheet)
    codes = book.add_worksheet("Codes") if choices else None
    page.freeze_panes(1, 0)
    page.write_row(0, 0, header, bold)
    last = 0
    for last, row in enumerate(rows, start=1):
        page.write_row(last, 0, ["" if value is None else str(value) for value in row])
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
    book.close()
    return buffer.getvalue()
