"""How DfE counts attendance codes: the one place the percentage rules live.

Which codes count as a possible session, which as attendance (present or approved
educational activity such as K and B), which as authorised or unauthorised absence,
all come from `core/reference/attendance_codes.csv`. Every screen, export and API
gets its numbers from `attendance_totals`, `attendance_percentage` and `absence_band`
below. A band belongs to a pupil; a setting or a group of pupils has a persistent
absence *rate*, the share of its pupils who are persistently absent.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache

from django.db.models import Count, QuerySet

from core.codes import code_set

ATTENDED_CATEGORIES = {"present", "attending_approved_educational_activity"}
# DfE: a pupil who misses 10% or more of their possible sessions is persistently absent;
# 50% or more, severely. Exact fractions: a rounded or binary-float percentage puts a
# pupil who missed exactly one session in ten, or 10.04%, on the wrong side.
PERSISTENT_ABSENCE_FROM = Fraction(1, 10)
SEVERE_ABSENCE_FROM = Fraction(1, 2)


@dataclass(frozen=True)
class CodeGroups:
    possible: frozenset[str]
    attended: frozenset[str]
    authorised: frozenset[str]
    unauthorised: frozenset[str]
    unexplained: frozenset[str]  # absences nobody has explained yet: the daily check raises an alert
    at_alternative_provision: frozenset[str]  # the home school's marks for "at the AP setting"


@cache
def code_groups() -> CodeGroups:
    codes = code_set("attendance").values()

    def where(test) -> frozenset[str]:
        return frozenset(c.code for c in codes if test(c.row))

    possible = where(lambda r: r["counts_as_possible_session"] == "Y")
    return CodeGroups(
        possible=possible,
        attended=where(lambda r: r["category"] in ATTENDED_CATEGORIES) & possible,
        authorised=where(lambda r: r["category"] == "authorised_absence"),
        unauthorised=where(lambda r: r["category"] == "unauthorised_absence"),
        unexplained=where(lambda r: r["unexplained"] == "Y"),
        at_alternative_provision=where(lambda r: r["at_alternative_provision"] == "Y"),
    )


def share_percentage(part: int, whole: int) -> Decimal | None:
    """`part` as a percentage of `whole`, to one decimal place, halves rounded up; None when `whole` is 0."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def attendance_percentage(attended: int, possible: int) -> Decimal | None:
    """Attended sessions as a percentage of possible sessions, to one decimal place; None when none were possible."""
    return share_percentage(attended, possible)


def absence_band(attended: int, possible: int) -> str:
    """ "severe", "persistent" or "" for one pupil, from the exact share of possible sessions missed."""
    if not possible:
        return ""
    missed = Fraction(possible - attended, possible)
    if missed >= SEVERE_ABSENCE_FROM:
        return "severe"
    if missed >= PERSISTENT_ABSENCE_FROM:
        return "persistent"
    return ""


def attendance_totals(marks: QuerySet, *group_by: str) -> list[dict]:
    """Possible, attended, authorised and unauthorised sessions per group of marks.

    The database counts marks per group and code; the codes are sorted into DfE's
    categories here, once per group and code rather than once per mark.
    """
    groups = code_groups()
    totals: dict[tuple, dict] = {}
    for *key, code, count in marks.order_by().values_list(*group_by, "code").annotate(count=Count("pk")):
        counts = totals.get(tuple(key))
        if counts is None:
            counts = totals[tuple(key)] = dict(zip(group_by, key, strict=True)) | dict.fromkeys(_CATEGORIES, 0)
        if code in groups.possible:
            counts["possible"] += count
            if code in groups.attended:
                counts["attended"] += count
        if code in groups.authorised:
            counts["authorised"] += count
        elif code in groups.unauthorised:
            counts["unauthorised"] += count
    return list(totals.values())


_CATEGORIES = ("possible", "attended", "authorised", "unauthorised")
