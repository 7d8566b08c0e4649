"""How DfE counts attendance codes: the one place the percentage rules live.

Which codes count as a possible session, which as attendance (present or approved
educational activity such as K and B), which as authorised or unauthorised absence,
all come from `core/reference/attendance_codes.csv`. Every screen, export and API
gets its numbers from `attendance_totals`, `attendance_percentage` and `absence_band`
below. A band belongs to a pupil; a setting or a group of pupils has a persistent
absence *rate*, the share of its pupils who are persistently absent.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache

from django.db.models import Case, Count, ExpressionWrapper, F, IntegerField, QuerySet, Sum, When

from attendance.models import AttendanceWeek
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

    The database counts marks per group and code; the codes are sorted into DfE's
    categories here, once per group and code rather than once per mark. The pages read
    the weekly rollup instead (`attendance_totals_between`), which answers the same.
    """
    return totals_from_code_counts(
        marks.order_by().values_list(*group_by, "code").annotate(count=Count("pk")), group_by
    )


def attendance_totals_between(weeks: QuerySet, start: date | None, end: date | None, *group_by: str) -> list[dict]:
    """What `attendance_totals` answers for the marks between `start` and `end`, read from the weekly rollup.

    `weeks` is an `AttendanceWeek` queryset narrowed as the marks would be (by placement,
    child, provider), from `core.access.attendance_weeks_visible_to`. A week wholly inside
    the period counts its sessions; a week the period's first or last day cuts counts only
    its days inside the period, so the answer is exact for any period without reading a
    mark. No `start` or `end`: from the first mark, or to the last.
    """
    weeks = weeks.order_by()
    first = last = None
    if start is not None:
        first = monday_of(start)
        weeks = weeks.filter(week_start__gte=first)
    if end is not None:
        last = monday_of(end)
        weeks = weeks.filter(week_start__lte=last)
    cut = []
    if first is not None and first == last:
        cut.append(When(week_start=first, then=_days(range(start.weekday(), end.weekday() + 1))))
    else:
        if first is not None and start.weekday():
            cut.append(When(week_start=first, then=_days(range(start.weekday(), 7))))
        if last is not None and end.weekday() != 6:
            cut.append(When(week_start=last, then=_days(range(end.weekday() + 1))))
    sessions = Case(*cut, default=F("sessions"), output_field=IntegerField()) if cut else F("sessions")
    counts = weeks.values_list(*group_by, "code").annotate(count=Sum(sessions, output_field=IntegerField()))
    return totals_from_code_counts(counts, group_by)


def attendance_totals_by_month(weeks: QuerySet, start: date) -> list[dict]:
    """`attendance_totals` of the marks from `start` on, grouped by "month" (its first day), from the weekly rollup.

    For one child's or placement's weeks: each week's days are given to their own month.
    """
    counts: dict[tuple[date, str], int] = {}
    for week_start, code, *days in (
        weeks.order_by().filter(week_start__gte=monday_of(start)).values_list("week_start", "code", *WEEK_DAYS)
    ):
        for offset, count in enumerate(days):
            day = week_start + timedelta(days=offset)
            if count and day >= start:
                key = (day.replace(day=1), code)
                counts[key] = counts.get(key, 0) + count
    return totals_from_code_counts(((month, code, count) for (month, code), count in counts.items()), ("month",))


def monday_of(day: date) -> date:
    """The first day of a day's week in `AttendanceWeek`."""
    return day - timedelta(days=day.weekday())


def _days(days) -> ExpressionWrapper:
    return ExpressionWrapper(
        sum((F(WEEK_DAYS[d]) for d in days[1:]), F(WEEK_DAYS[days[0]])), output_field=IntegerField()
    )


# The columns of `AttendanceWeek` that count each day's marks, Monday first (as `date.weekday()`).
WEEK_DAYS = AttendanceWeek.DAYS


def totals_from_code_counts(counts, group_by) -> list[dict]:
    """Sort (*group, code, count) rows into DfE's categories per group; a group with no marks is left out."""
    groups = code_groups()
    totals: dict[tuple, dict] = {}
    for *key, code, count in counts:
        if not count:
            continue
        line = totals.get(tuple(key))
        if line is None:
            line = totals[tuple(key)] = dict(zip(group_by, key, strict=True)) | dict.fromkeys(_CATEGORIES, 0)
        if code in groups.possible:
            line["possible"] += count
            if code in groups.attended:
                line["attended"] += count
        if code in groups.authorised:
            line["authorised"] += count
        elif code in groups.unauthorised:
            line["unauthorised"] += count
    return list(totals.values())


_CATEGORIES = ("possible", "attended", "authorised", "unauthorised")
