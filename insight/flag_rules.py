"""The rules behind two oversight flags, needing nothing from the database: the sixth-day count and the
registration test. `insight.oversight` reads the records and asks these."""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from core.models import FullTimeTest
from terms.calendar import academic_year_of

# The s.19 duty (and s.100 EIA 2006 for a suspension): suitable full-time education from the sixth school day.
SIXTH_DAY = 6
# A suspension "beyond five days": more than ten sessions (a school day is two).
SUSPENSION_SESSIONS_BEYOND_FIVE_DAYS = 10


def school_days_without_education(
    *,
    first: date,
    today: date,
    school_days: Sequence[date],
    next_start: date | None = None,
    last: date | None = None,
) -> int:
    """The school days (`school_days`, in date order) from `first`, the first day without education, to today,
    both included, stopping the day before the next placement starts and at `last` (a suspension's last day)
    if either comes sooner."""
    end = today
    if next_start is not None:
        end = min(end, next_start - timedelta(days=1))
    if last is not None:
        end = min(end, last)
    return max(0, bisect_right(school_days, end) - bisect_left(school_days, first))


def is_without_education_today(*, today: date, next_start: date | None, last: date | None = None) -> bool:
    """Whether the gap is still open: no placement has started, and a suspension has not run out."""
    return (next_start is None or next_start > today) and (last is None or last >= today)


def past_sixth_day(school_days: int) -> bool:
    """From the sixth school day without education the duty is not met."""
    return school_days >= SIXTH_DAY


def suspension_last_day(*, first: date, sessions: int, school_days: Sequence[date], until: date) -> date:
    """The last school day of a suspension of this many sessions (a part day counts as a day), or `until` if the
    school days known end sooner."""
    index = bisect_left(school_days, first) + -(-sessions // 2) - 1
    return school_days[index] if index < len(school_days) and school_days[index] < until else until


# The registration test (Education and Skills Act 2008 s.92, as substituted by the Children's Wellbeing and
# Schools Act 2026 s.43).
REGISTRATION_CHILDREN = 5
MORE_THAN_HOURS = Decimal(18)


@dataclass(frozen=True)
class ChildAtSetting:
    """One child at an unregistered setting: their hours there, their hours at every setting, who they are."""

    hours_here: Decimal
    hours_everywhere: Decimal
    compulsory_school_age: bool
    looked_after: bool
    has_sen: bool


def full_time_here(child: ChildAtSetting, test: str) -> bool:
    """Whether the setting gives this child full-time education, on the area's reading of "full time"."""
    if test == FullTimeTest.MAJORITY:
        return child.hours_here * 2 > child.hours_everywhere
    return child.hours_here > MORE_THAN_HOURS


def counted_children(children: Iterable[ChildAtSetting], test: str) -> list[ChildAtSetting]:
    """The children the test counts: of compulsory school age and educated here full time."""
    return [c for c in children if c.compulsory_school_age and full_time_here(c, test)]


def must_register(children: Iterable[ChildAtSetting], test: str) -> bool:
    """Five or more children counted, or one counted who is looked after or has special educational needs."""
    counted = counted_children(children, test)
    return len(counted) >= REGISTRATION_CHILDREN or any(c.looked_after or c.has_sen for c in counted)


def _last_friday_of_june(year: int) -> date:
    day = date(year, 6, 30)
    return day - timedelta(days=(day.weekday() - 4) % 7)


@lru_cache(maxsize=4096)  # a borough's children share a few thousand birthdays
def compulsory_school_age(date_of_birth: date, day: date) -> bool:
    """Five or older, and not past the last Friday of June of the school year in which the child turns 16."""
    try:
        sixteenth = date_of_birth.replace(year=date_of_birth.year + 16)
        fifth = date_of_birth.replace(year=date_of_birth.year + 5)
    except ValueError:  # born on 29 February
        sixteenth = date(date_of_birth.year + 16, 3, 1)
        fifth = date(date_of_birth.year + 5, 3, 1)
    return fifth <= day <= _last_friday_of_june(academic_year_of(sixteenth) + 1)
