"""The DfE unique pupil number (UPN) and its check letter.

A UPN is 13 characters: a check letter, the 3-digit LA code, the 4-digit
establishment number, 2 digits for the year of allocation and a 3-character serial
whose last character is a letter in a temporary UPN. The check letter is the sum of
characters 2 to 13, each multiplied by its position, modulo 23, read off the DfE
23-letter alphabet (no I, O or S). Letters in position 13 count as their place in
that same alphabet.
"""

import re

from django.core.exceptions import ValidationError

CHECK_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"
UPN_SHAPE = re.compile(rf"^[{CHECK_ALPHABET}]\d{{11}}[\d{CHECK_ALPHABET}]$")


def _value(char: str) -> int:
    return int(char) if char.isdigit() else CHECK_ALPHABET.index(char)


def check_letter(body: str) -> str:
    """The check letter for the 12 characters after it."""
    total = sum(_value(char) * position for position, char in enumerate(body, start=2))
    return CHECK_ALPHABET[total % 23]


def upn_problem(upn: str) -> str | None:
    """What is wrong with a UPN, in plain words, or None when it is valid."""
    if len(upn) != 13:
        return f"A UPN is 13 characters long; this one has {len(upn)}."
    if not UPN_SHAPE.match(upn):
        return "A UPN is a letter, then 11 digits, then a digit or a letter (for example A123456789012)."
    expected = check_letter(upn[1:])
    if upn[0] != expected:
        return f"The first letter of this UPN should be {expected} for the numbers that follow; check it was typed correctly."
    return None


def upn_validator(value: str) -> None:
    problem = upn_problem(value)
    if problem:
        raise ValidationError(problem, code="upn")
