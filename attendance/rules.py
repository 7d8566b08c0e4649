"""How DfE counts attendance codes: the one place the percentage rules live.

Which codes count as a possible session, which as attendance (present or approved
educational activity such as K and B), which as authorised or unauthorised absence,
all come from `core/reference/attendance_codes.csv`. Every screen, export and API
gets its numbers from `attendance_totals`, `attendance_percentage` and `absence_band`
below. A band belongs to a pupil; a setting or a group of pupils has a persistent
absence *rate*, the share of its pupils who are persistently absent.
"""

import functools
import operator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache

from django.db.models import Case, Count, ExpressionWrapper, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

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
    """Possible, attended, authorised and unauthorised sessions per group of marks, counted from the marks.

    The pages read the monthly rollup instead (`attendance_totals_between`), which answers the same.
    """
    return list(_totals(marks.order_by(), group_by, lambda **kwargs: Count("pk", **kwargs)))


def attendance_totals_query(months: QuerySet, start: date | None, end: date | None, *group_by: str) -> QuerySet:
    """What `attendance_totals` answers for the marks between `start` and `end`, read from the monthly rollup.

    `months` is an `AttendanceMonth` queryset narrowed as the marks would be (by placement,
    child, provider), from `core.access.attendance_months_visible_to`; `group_by` may name
    its `month`. A month wholly inside the period counts its sessions; a month the
    period's first or last day cuts counts only its days inside the period, so the answer
    is exact for any period without reading a mark. No `start` or `end`: from the first
    mark, or to the last.
    """
    months = months.order_by()
    first = last = None
    if start is not None:
        first = start.replace(day=1)
        months = months.filter(month__gte=first)
    if end is not None:
        last = end.replace(day=1)
        months = months.filter(month__lte=last)
    cut = []
    if first is not None and first == last:
        cut.append(When(month=first, then=_days(range(start.day, end.day + 1))))
    else:
        if first is not None and start.day > 1:
            cut.append(When(month=first, then=_days(range(start.day, 32))))
        if last is not None and end.day < 31:
            cut.append(When(month=last, then=_days(range(1, end.day + 1))))
    sessions = Case(*cut, default=F("sessions"), output_field=IntegerField()) if cut else F("sessions")
    return _totals(months, group_by, lambda **kwargs: Sum(sessions, output_field=IntegerField(), **kwargs))


def attendance_totals_between(months: QuerySet, start: date | None, end: date | None, *group_by: str) -> list[dict]:
    """What `attendance_totals` answers for the marks between `start` and `end`, read from the monthly rollup
    (`attendance_totals_query`): a dict per group."""
    return list(attendance_totals_query(months, start, end, *group_by))


def _totals(rows: QuerySet, group_by: tuple[str, ...], count) -> QuerySet:
    """Each group's sessions in each of DfE's categories, counted by the database: one row per group, a dict of
    the group's fields and `possible`, `attended`, `authorised`, `unauthorised`.

    `count(filter=…)` counts the sessions of the rows the filter keeps. A group is left out
    when none of its sessions fall in the period, as a group with no marks would be.
    """
    sums = {
        category: Coalesce(count(filter=Q(code__in=sorted(codes))), 0) if codes else Value(0)
        for category, codes in category_codes().items()
    }
    return rows.values(*group_by).annotate(_sessions=count(), **sums).filter(_sessions__gt=0).values(*group_by, *sums)


def _days(days: range) -> ExpressionWrapper:
    """The sessions of a month's row on these days of the month: the days added up, or, when fewer, the other
    days taken from the month's sessions (a period from the 3rd adds two columns, not 29)."""
    others = [day for day in range(1, 32) if day not in days]
    if len(others) < len(days):
        total = F("sessions") - functools.reduce(operator.add, [F(f"d{day}") for day in others])
    else:
        total = functools.reduce(operator.add, [F(f"d{day}") for day in days])
    return ExpressionWrapper(total, output_field=IntegerField())


@cache
def category_codes() -> dict[str, frozenset[str]]:
    """The codes each of the totals counts: the one place the totals' categories are drawn from `code_groups`."""
    groups = code_groups()
    return {
        "possible": groups.possible,
        "attended": groups.attended,  # only codes that are also possible sessions
        "authorised": groups.authorised,
        "unauthorised": groups.unauthorised - groups.authorised,
    }
