"""Reading one cell of an uploaded list: a code or its words, a choice, yes or no, a number.

People type codes as the code itself or as its words, in any case and spacing
("WBRI", "White - British", "white british"); each reader here accepts all of them and
answers None for a cell it cannot read, so the caller can name the cell and the rule.
"""

import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from core.codes import code_set
from core.dates import DateProblem, parse_date

YES, NO = {"y", "yes", "true", "1"}, {"", "n", "no", "false", "0"}


def words(text: str) -> str:
    """A cell's text as lower-case words: "Home_School " and "home school" read alike."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def code_of(set_name: str, text: str) -> str | None:
    """The code a cell means: the code itself or its label, in any case and spacing."""
    wanted = words(text)
    for code in code_set(set_name).values():
        if wanted in (words(code.code), words(code.label)):
            return code.code
    return None


def code_rule(set_name: str) -> str:
    """What a cell of a code set must hold, for a problem with it."""
    codes = list(code_set(set_name))
    if len(codes) <= 12:
        return f"must be one of: {', '.join(codes)}"
    return "is not a DfE code of this list: see the data dictionary for the codes and their meanings"


def choice_of(choices: Iterable[tuple[str, str]], text: str, also: dict[str, str] | None = None) -> str | None:
    """The value a cell means among a field's choices: the value or its label, or one of `also`'s words."""
    wanted = words(text)
    for value, label in choices:
        if wanted in (words(value), words(str(label))):
            return value
    return (also or {}).get(wanted)


def yes_no(text: str) -> bool | None:
    word = words(text)
    return True if word in YES else False if word in NO else None


def decimal_of(text: str) -> Decimal | None:
    """A plain number such as 12.5 or 25; None for anything else (words, "1e3", "NaN", "12,5")."""
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text.strip()):
        return None
    try:
        return Decimal(text.strip())
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers Decimal reads
        return None


def whole_number_of(text: str) -> int | None:
    """A whole number such as 45, or 45.0 as a spreadsheet may write it; None for anything else."""
    number = decimal_of(text)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def date_of(text: str, problem: Callable[[str], None]) -> date | None:
    """The date a cell says, or None if it is empty; one that is not a date is told to `problem`."""
    if not text:
        return None
    try:
        return parse_date(text)
    except DateProblem as error:
        problem(str(error))
        return None
