"""Turn a date cell from a provider's register into a `date`, or say plainly what is wrong.

Accepted: day/month/year (13/02/2026, 3/2/2026, with "/", "-" or "." between),
ISO (2026-02-13, also with a time after it as Excel and calamine may give),
"13 Feb 2026", and Excel serial numbers (46066, 46066.0, 46066.4375).

A date that reads correctly both ways, such as 03/04/2026, is read the UK way:
3 April 2026. A date that is only correct as month/day/year, such as 02/13/2026, is
refused with a message that says so, never silently swapped.

Results are cached per distinct text: a register repeats the same few hundred dates
across thousands of rows, so parsing a whole file costs little more than a dict lookup.
"""

import datetime
import functools
import re

# Excel's 1900 date system counts 1900-01-01 as day 1 and, copying Lotus 1-2-3, treats
# 1900 as a leap year: serial 60 is the non-existent 29 February 1900.
_EXCEL_EPOCH_BEFORE_LEAP_BUG = datetime.date(1899, 12, 31)
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_SERIAL_YEARS = range(2000, 2101)

_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d+)", re.ASCII)
_YEAR_FIRST = re.compile(
    r"(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?",
    re.ASCII,
)
_SERIAL = re.compile(r"(\d{1,6})(?:\.\d+)?", re.ASCII)
_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[ -]([a-z]+)\.?,?[ -](\d+)", re.ASCII | re.IGNORECASE)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_HOW = "Write dates as day/month/year, for example 13/02/2026."


# The service's records start this century. A page's address asking for a year outside
# these is a typing slip, and 0001 or 9999 would overflow the date arithmetic around it.
QUERY_YEARS = range(2000, 2101)


class DateProblem(ValueError):
    """A cell that is not a date we accept; the message names the value and the rule."""


def parse_date(text: str) -> datetime.date:
    """The date written in a cell, or DateProblem with a message for the person who wrote it."""
    result = _parse(text.strip())
    if isinstance(result, str):
        raise DateProblem(result)
    return result


def parse_query_date(text: str) -> datetime.date:
    """A date given in a page's address (?date=, ?start=, ?end=): as `parse_date`, and from 2000 to 2100."""
    day = parse_date(text)
    if day.year not in QUERY_YEARS:
        raise DateProblem(
            f"'{text.strip()}' is outside the dates this service holds. "
            f"Give a date from {QUERY_YEARS[0]} to {QUERY_YEARS[-1]}, for example 13/02/2026."
        )
    return day


@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> datetime.date | str:
    # Returns the problem as a string, so the cache keeps failures too without keeping
    # exception objects (and their tracebacks) alive.
    if not text:
        return f"The date is missing. {_HOW}"
    if match := _DAY_FIRST.fullmatch(text):
        day, separator, month, year = match.groups()
        return _day_first(text, int(day), int(month), year, separator)
    if match := _YEAR_FIRST.fullmatch(text):
        year, _, month, day = match.groups()
        return _make(text, int(year), int(month), int(day))
    if match := _SERIAL.fullmatch(text):
        return _serial(text, int(match.group(1)))
    if match := _WORDS.fullmatch(text):
        day, month_name, year = match.groups()
        month = _MONTHS.get(month_name.lower())
        if month is None:
            return f"'{text}' is not a date we can read. {_HOW}"
        if len(year) != 4:
            return f"'{text}' does not give the year in full. Write the year with four digits, for example 13/02/2026."
        return _make(text, int(year), month, int(day))
    return f"'{text}' is not a date we can read. {_HOW}"


def _day_first(text: str, day: int, month: int, year_digits: str, separator: str) -> datetime.date | str:
    if len(year_digits) != 4:
        if len(year_digits) == 2:
            example = f"{day:02d}{separator}{month:02d}{separator}20{year_digits}"
            return (
                f"'{text}' has a two-digit year, which could mean more than one century. "
                f"Write the year in full, for example {example}."
            )
        return f"'{text}' is not a date we can read. {_HOW}"
    year = int(year_digits)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        pass
    if month > 12 and day <= 12:
        try:
            datetime.date(year, day, month)
        except ValueError:
            pass
        else:
            return (
                f"'{text}' looks like month/day/year. Write dates as day/month/year, "
                f"for example {month:02d}/{day:02d}/{year}."
            )
    return f"'{text}' is not a real date."


def _make(text: str, year: int, month: int, day: int) -> datetime.date | str:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return f"'{text}' is not a real date."


def _serial(text: str, serial: int) -> datetime.date | str:
    """An Excel date number; the fraction, if any, is the time of day and is ignored."""
    if serial == 60:
        return f"'{text}' is a number, not a date. {_HOW}"
    start = _EXCEL_EPOCH_BEFORE_LEAP_BUG if serial < 60 else _EXCEL_EPOCH
    result = start + datetime.timedelta(days=serial)
    if result.year not in _SERIAL_YEARS:
        return f"'{text}' is a number, not a date. {_HOW}"
    return result
