"""Which days are school days in an area: a weekday in a term, not in a closure, not a bank holiday.

Reads only. Load a `SchoolCalendar` once for an area and a range of dates (one query) and
ask it as often as a page or a calculation needs; the functions below it are shortcuts for
a single question.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.db.models import CharField, Min, Value

from core.models import Area
from terms.models import Closure, Term

ONE_DAY = timedelta(days=1)
# How far back `last_school_day` reads at a time: longer than the summer holiday, so usually once.
LOOK_BACK = timedelta(days=62)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> dict[date, str]:
    # England and Wales share one list; the library keeps one-off days (jubilees, state funerals) current.
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holiday_name(day: date) -> str | None:
    """The name of the England and Wales bank holiday on this day, or None."""
    return _bank_holidays(day.year).get(day)


def bank_holidays_between(start: date, end: date) -> list[tuple[date, str]]:
    """Every England and Wales bank holiday from start to end, both included, in date order."""
    found = []
    for year in range(start.year, end.year + 1):
        found += [(day, name) for day, name in _bank_holidays(year).items() if start <= day <= end]
    return sorted(found)


def academic_year_of(day: date) -> int:
    """The year an academic year begins in; it runs from 1 September to 31 August."""
    return day.year if day.month >= 9 else day.year - 1


def _days(start: date, end: date) -> Iterable[date]:
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


class SchoolCalendar:
    """The school days of one area from `start` to `end`, worked out once."""

    def __init__(
        self, *, start: date, end: date, terms: Iterable[tuple[date, date]], closures: Iterable[tuple[date, date]]
    ):
        self.start = start
        self.end = end
        days = set()
        for first, last in terms:
            days.update(
                d for d in _days(max(first, start), min(last, end)) if d.weekday() < 5 and bank_holiday_name(d) is None
            )
        for first, last in closures:
            days.difference_update(_days(max(first, start), min(last, end)))
        self._days = frozenset(days)

    @classmethod
    def load(cls, *, area: Area, start: date, end: date) -> "SchoolCalendar":
        """Read the area's terms and closures that touch the range, in one query."""
        touching = {"area": area, "starts_on__lte": end, "ends_on__gte": start}
        rows = (
            Term.objects.filter(**touching)
            .order_by()
            .values_list("starts_on", "ends_on", Value("term", output_field=CharField()))
            .union(
                Closure.objects.filter(**touching)
                .order_by()
                .values_list("starts_on", "ends_on", Value("closure", output_field=CharField())),
                all=True,
            )
        )
        terms, closures = [], []
        for first, last, kind in rows:
            (terms if kind == "term" else closures).append((first, last))
        return cls(start=start, end=end, terms=terms, closures=closures)

    def _check_loaded(self, start: date, end: date) -> None:
        # Answering "not a school day" for a day never read would be a silent wrong answer.
        if start < self.start or end > self.end:
            raise ValueError(f"This calendar covers {self.start} to {self.end}, not {start} to {end}.")

    def is_school_day(self, day: date) -> bool:
        self._check_loaded(day, day)
        return day in self._days

    def days(self, start: date, end: date) -> list[date]:
        """The school days from start to end, both included, in date order."""
        self._check_loaded(start, end)
        return [d for d in _days(start, end) if d in self._days]

    def last_before(self, before: date) -> date | None:
        """The latest school day of this calendar strictly before `before`, or None."""
        earlier = [d for d in self._days if d < before]
        return max(earlier) if earlier else None


def school_days(*, area: Area, start: date, end: date) -> list[date]:
    """The area's school days from start to end, both included."""
    if end < start:
        return []
    return SchoolCalendar.load(area=area, start=start, end=end).days(start, end)


def is_school_day(*, area: Area, day: date) -> bool:
    return SchoolCalendar.load(area=area, start=day, end=day).is_school_day(day)


def last_school_day(*, area: Area, before: date) -> date | None:
    """The area's most recent school day strictly before `before`, or None if it has none."""
    first_term = Term.objects.filter(area=area, starts_on__lt=before).aggregate(first=Min("starts_on"))["first"]
    if first_term is None:
        return None
    end = before - ONE_DAY
    while end >= first_term:
        start = max(first_term, end - LOOK_BACK)
        found = SchoolCalendar.load(area=area, start=start, end=end).last_before(before)
        if found:
            return found
        end = start - ONE_DAY
    return None


def half_term_start(*, area: Area, day: date) -> date:
    """The first day of the half term holding `day`: the term's start or the day after its last closure so far.

    Outside term, the half term that ended most recently. Falls back to 1 September.
    """
    term = Term.objects.filter(area=area, starts_on__lte=day).order_by("-starts_on").first()
    if term is None:
        return date(academic_year_of(day), 9, 1)
    last_closure = (
        Closure.objects.filter(area=area, starts_on__gte=term.starts_on, ends_on__lt=day).order_by("-ends_on").first()
    )
    return last_closure.ends_on + ONE_DAY if last_closure else term.starts_on
