"""When a placement's reviews are due: worked out from its start, its registration, the setting's school days,
the area's intervals and the reviews already held. Pure: no database, so that it can be tested for any calendar.

The rules (DfE, Arranging alternative provision, 2025; the North West practice for dual registration):

- the first review after `first_weeks` school weeks; a dual-registered placement a second after `second_weeks`;
- and always at least one review every `every_half_terms` half terms: the next is due by the last school day of
  the half term that many after the one in which the last review was held (or, if not held, fell due), or the
  placement started; a fixed review due sooner comes first;
- a review held late stands for every fixed review due before it;
- a placement's own "next review date", given by the school that commissioned it, is the next review's due date
  when it falls after the last review held and before the review the rules above make due.

A school week is a Monday-to-Sunday week in which the setting has at least one school day, counted from the
week of the start: holidays and half terms do not count. A half term is a run of school days with no gap of a
week or more (a weekend, a bank holiday or an INSET day do not split one; a half-term holiday does).
"""

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# A gap between two school days this long or longer is a holiday: the half term before it has ended.
HOLIDAY_GAP = timedelta(days=7)


@dataclass(frozen=True)
class ReviewIntervals:
    """The area's settings (core.models.Area)."""

    first_weeks: int = 6
    second_weeks: int = 12
    every_half_terms: int = 1

    @classmethod
    def of_area(cls, area) -> "ReviewIntervals":
        return cls(area.first_review_weeks, area.second_review_weeks, area.review_every_half_terms)


# Why a review falls due when it does.
REVIEW_KINDS = {
    "first": "First review",
    "second": "Second review",
    "half_term": "Half-termly review",
    "given": "Next review date agreed",
}


@dataclass(frozen=True)
class DueReview:
    due: date
    kind: str  # "first", "second", "half_term" or "given" (the placement's own next review date)
    held_on: date | None = None

    @property
    def label(self) -> str:
        return REVIEW_KINDS[self.kind]

    def is_overdue(self, today: date) -> bool:
        return self.held_on is None and self.due < today

    @property
    def held_late(self) -> bool:
        return self.held_on is not None and self.held_on > self.due


class SchoolYear:
    """A setting's school days in order, with their school weeks and half terms, worked out once."""

    def __init__(self, days: Sequence[date]):
        self.days = sorted(set(days))
        self.half_term_starts: list[date] = []
        self.half_term_ends: list[date] = []
        for before, day in zip([None, *self.days], self.days, strict=False):
            if before is None or day - before >= HOLIDAY_GAP:
                if before is not None:
                    self.half_term_ends.append(before)
                self.half_term_starts.append(day)
        if self.days:
            self.half_term_ends.append(self.days[-1])
        # Each school day's school week (counted from the first), and the last school day of each school week.
        self._week_of_day: list[int] = []
        self._week_ends: list[date] = []
        monday = None
        for day in self.days:
            this_monday = day - timedelta(days=day.weekday())
            if this_monday != monday:
                monday = this_monday
                self._week_ends.append(day)
            self._week_ends[-1] = day
            self._week_of_day.append(len(self._week_ends) - 1)

    def week_ends_from(self, start: date, count: int) -> list[date]:
        """The last school day of each of the first `count` school weeks from the week of `start`."""
        first = bisect_left(self.days, start)
        if first == len(self.days):
            return []
        week = self._week_of_day[first]
        return self._week_ends[week : week + count]

    def half_term_of(self, day: date) -> int:
        """The half term holding `day`; in a holiday, the one just ended; before the first, -1."""
        return bisect_right(self.half_term_starts, day) - 1

    def half_term_end(self, index: int) -> date | None:
        return self.half_term_ends[index] if 0 <= index < len(self.half_term_ends) else None


def review_schedule(
    *,
    start: date,
    dual: bool,
    school_year: SchoolYear,
    intervals: ReviewIntervals,
    held: Sequence[date],
    next_given: date | None,
    through: date,
    include_next: bool = True,
) -> list[DueReview]:
    """The reviews due from `start`, each matched in order with a review held, up to `through`.

    Every review held is in the list. With `include_next`, so is the first review not yet held that falls due
    after `through` (the next one). A setting with no school days after `start` has no schedule.
    """
    weeks = [intervals.first_weeks]
    if dual and intervals.second_weeks > intervals.first_weeks:
        weeks.append(intervals.second_weeks)
    ends = school_year.week_ends_from(start, max(weeks))
    fixed = [(ends[n - 1], kind) for n, kind in zip(weeks, ("first", "second"), strict=False) if n <= len(ends)]
    held = sorted(held)
    schedule: list[DueReview] = []
    previous: date | None = None
    pending = 0  # the fixed reviews not yet in the schedule
    last_held: date | None = None
    while True:
        # At least every so many half terms from the last review, or from the start; sooner if a fixed one is.
        while pending < len(fixed) and last_held and fixed[pending][0] <= last_held:
            pending += 1  # a review held late stands for the fixed ones due before it, too
        base = school_year.half_term_of(previous or start)
        due, kind = school_year.half_term_end(base + intervals.every_half_terms), "half_term"
        if pending < len(fixed) and (due is None or fixed[pending][0] <= due):
            (due, kind), pending = fixed[pending], pending + 1
        if due is None:
            # The calendar stops before the next review falls due: the reviews held are still listed.
            schedule += [DueReview(day, "half_term", day) for day in held[len(schedule) :]]
            break
        held_on = held[len(schedule)] if len(schedule) < len(held) else None
        outstanding = held_on is None
        # The commissioner's date is for the review after the last one held, and brings it forward, never later.
        if outstanding and next_given and next_given >= start and (last_held is None or next_given > last_held):
            if next_given < due:
                due, kind = next_given, "given"
            next_given = None
        if outstanding and due > through:
            if include_next:
                schedule.append(DueReview(due, kind))
            break
        schedule.append(DueReview(due, kind, held_on))
        previous = held_on or due
        last_held = held_on or last_held
    return schedule


def school_weeks_on(*, school_year: SchoolYear, start: date, weeks: Sequence[int]) -> list[date | None]:
    """The last school day of each given school week counted from the week of `start` (the week of `start` is the
    first), on a setting's calendar: a return to school's 6 and 12 weeks, as a review's. None where the calendar
    stops before that week."""
    ends = school_year.week_ends_from(start, max(weeks, default=0))
    return [ends[n - 1] if 0 < n <= len(ends) else None for n in weeks]
