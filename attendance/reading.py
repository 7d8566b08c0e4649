"""From an uploaded register file to rows of marks, or to problems a person can act on."""

from attendance.ingest import COLUMNS, RawMark, gc_paused
from core.spreadsheets import Problem, SpreadsheetError, match_columns, read_table

# The template carries the child's name to help whoever fills it in; it is not read.
NAME_COLUMN = {"name": ["Child", "Name", "Child's name"]}


@gc_paused()
def read_register_file(content: bytes, filename: str) -> tuple[list[RawMark], list[Problem]]:
    """The file's rows as marks to check, or the problems that stop it being read at all."""
    try:
        table = read_table(content, filename)
    except SpreadsheetError as error:
        return [], [Problem(None, "", filename, str(error))]
    columns = match_columns(table.header, {**COLUMNS, **NAME_COLUMN}, optional=frozenset(NAME_COLUMN))
    if columns.problems:
        return [], [Problem(table.header_row_number, "", "", problem) for problem in columns.problems]
    upn, day, session, code = (columns.index[name] for name in COLUMNS)
    width = max(upn, day, session, code) + 1
    rows = []
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        rows.append(RawMark(number, cells[upn], cells[day], cells[session], cells[code]))
    return rows, []
