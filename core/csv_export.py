"""CSV exports that open safely in a spreadsheet."""

import csv
import io

# A cell starting with one of these is read as a formula by Excel and LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def escape_cell(value) -> str:
    """A cell's text, with a leading apostrophe where it would otherwise run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_text(header: list[str], rows) -> str:
    """The whole file as text, with a byte-order mark so Excel reads it as UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([escape_cell(v) for v in row])
    return buffer.getvalue()
