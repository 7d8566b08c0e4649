"""The sixth-day count: school days without education on the area's calendar, flagged from the sixth."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from insight.flag_rules import (
    SIXTH_DAY,
    is_without_education_today,
    past_sixth_day,
    school_days_without_education,
    suspension_last_day,
)

MONDAY = date(2026, 11, 2)


def weekdays_except(holidays=frozenset()):
    return lambda day: day.weekday() < 5 and day not in holidays


def listed(is_school_day) -> list[date]:
    """The school days of 2025 to 2027 in date order, as the area's calendar gives them."""
    start = date(2025, 1, 1)
    return [start + timedelta(days=d) for d in range(3 * 366) if is_school_day(start + timedelta(days=d))]


def nth_school_day(first: date, n: int, is_school_day) -> date:
    day = first - timedelta(days=1)
    while n:
        day += timedelta(days=1)
        n -= is_school_day(day)
    return day


def test_the_fifth_school_day_is_not_flagged_and_the_sixth_is():
    school = weekdays_except()
    fifth = nth_school_day(MONDAY, 5, school)
    sixth = nth_school_day(MONDAY, 6, school)
    assert (fifth, sixth) == (date(2026, 11, 6), date(2026, 11, 9))  # the weekend between
    assert not past_sixth_day(school_days_without_education(first=MONDAY, today=fifth, school_days=listed(school)))
    assert past_sixth_day(school_days_without_education(first=MONDAY, today=sixth, school_days=listed(school)))
    # Saturday and Sunday after the fifth day: still five.
    assert school_days_without_education(first=MONDAY, today=fifth + timedelta(days=2), school_days=listed(school)) == 5


@given(
    start=st.dates(min_value=date(2025, 9, 1), max_value=date(2027, 7, 1)),
    n=st.integers(min_value=1, max_value=30),
    holidays=st.sets(st.integers(min_value=0, max_value=60), max_size=15),
)
def test_on_the_nth_school_day_the_count_is_n_whatever_the_weekends_and_holidays(start, n, holidays):
    school = weekdays_except({start + timedelta(days=d) for d in holidays})
    today = nth_school_day(start, n, school)
    count = school_days_without_education(first=start, today=today, school_days=listed(school))
    assert count == n
    assert past_sixth_day(count) == (n >= SIXTH_DAY)
    # The days after, up to the next school day, add nothing.
    following = today + timedelta(days=1)
    while not school(following):
        assert school_days_without_education(first=start, today=following, school_days=listed(school)) == n
        following += timedelta(days=1)


@given(holiday_days=st.integers(min_value=1, max_value=14), after=st.integers(min_value=0, max_value=30))
def test_a_holiday_takes_its_weekdays_off_the_count(holiday_days, after):
    holidays = {MONDAY + timedelta(days=7 + d) for d in range(holiday_days)}
    today = MONDAY + timedelta(days=after)
    plain = school_days_without_education(first=MONDAY, today=today, school_days=listed(weekdays_except()))
    lost = sum(d.weekday() < 5 and d <= today for d in holidays)
    assert school_days_without_education(first=MONDAY, today=today, school_days=listed(weekdays_except(holidays))) == (
        plain - lost
    )


@given(gap=st.integers(min_value=0, max_value=40), started_after=st.integers(min_value=0, max_value=40))
def test_the_count_stops_the_day_before_the_next_placement_and_the_gap_closes(gap, started_after):
    school = weekdays_except()
    today = MONDAY + timedelta(days=gap)
    next_start = MONDAY + timedelta(days=started_after)
    count = school_days_without_education(first=MONDAY, today=today, next_start=next_start, school_days=listed(school))
    assert count == school_days_without_education(
        first=MONDAY, today=min(today, next_start - timedelta(days=1)), school_days=listed(school)
    )
    assert is_without_education_today(today=today, next_start=next_start) == (next_start > today)


def test_a_placement_from_the_first_day_leaves_no_day_without():
    school = weekdays_except()
    assert school_days_without_education(first=MONDAY, today=MONDAY, next_start=MONDAY, school_days=listed(school)) == 0


@given(sessions=st.integers(min_value=1, max_value=90))
def test_a_suspension_lasts_half_its_sessions_in_school_days_a_part_day_counting_whole(sessions):
    school = weekdays_except()
    far = MONDAY + timedelta(days=200)
    last = suspension_last_day(first=MONDAY, sessions=sessions, school_days=listed(school), until=far)
    assert school_days_without_education(first=MONDAY, today=last, school_days=listed(school)) == -(-sessions // 2)
    # A suspension of eleven sessions (beyond five days) reaches a sixth day; ten do not.
    assert past_sixth_day(
        school_days_without_education(first=MONDAY, today=far, last=last, school_days=listed(school))
    ) == (sessions > 10)
    assert not is_without_education_today(today=last + timedelta(days=1), next_start=None, last=last)
