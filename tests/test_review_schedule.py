"""When a placement's reviews are due (casework.schedule), across holidays, half terms and settings' calendars."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from casework.schedule import DueReview, ReviewIntervals, SchoolYear, review_schedule
from terms.calendar import SchoolCalendar
from terms.demo import standard_terms
from terms.models import Calendar

FIRST, LAST = date(2024, 9, 1), date(2028, 8, 31)


def school_year(shift: int = 0, inset: tuple[date, ...] = ()) -> SchoolYear:
    """An English calendar from 2024 to 2028, its half terms moved `shift` weeks, with extra INSET days."""
    terms, closures = standard_terms(Calendar(name="test"), first_year=2024, last_year=2027, half_terms_later_by=shift)
    calendar = SchoolCalendar(
        start=FIRST,
        end=LAST,
        terms=[(t.starts_on, t.ends_on) for t in terms],
        closures=[(c.starts_on, c.ends_on) for c in closures] + [(d, d) for d in inset],
    )
    return SchoolYear(calendar.days(FIRST, LAST))


YEARS = {shift: school_year(shift) for shift in range(3)}
starts = st.dates(min_value=date(2024, 9, 1), max_value=date(2026, 12, 31))
intervals = st.builds(
    ReviewIntervals,
    first_weeks=st.integers(1, 10),
    second_weeks=st.integers(2, 20),
    every_half_terms=st.integers(1, 3),
)


AREA_DEFAULT = ReviewIntervals()


def schedule(start, dual, year, interval=AREA_DEFAULT, held=(), given=None, through=date(2027, 12, 31)):
    return review_schedule(
        start=start,
        dual=dual,
        school_year=year,
        intervals=interval,
        held=list(held),
        next_given=given,
        through=through,
        include_next=False,
    )


def school_weeks(year: SchoolYear, start: date, end: date) -> int:
    return len({d - timedelta(days=d.weekday()) for d in year.days if start <= d <= end})


@settings(max_examples=200, deadline=None)
@given(start=starts, dual=st.booleans(), shift=st.integers(0, 2), interval=intervals)
def test_every_review_falls_due_on_a_school_day_and_no_half_term_passes_without_one(start, dual, shift, interval):
    year = YEARS[shift]
    due = schedule(start, dual, year, interval)
    assert due, "a placement in term time has reviews"
    assert all(year.days.count(r.due) == 1 for r in due), "each due date is a school day of the setting"
    assert [r.due for r in due] == sorted(r.due for r in due)
    half_terms = [year.half_term_of(start), *(year.half_term_of(r.due) for r in due)]
    for before, after in zip(half_terms, half_terms[1:], strict=False):
        assert after - before <= interval.every_half_terms, "no more half terms pass than the area allows"
    # After the fixed reviews, one is due at the end of each half term the area asks for.
    for review in due:
        if review.kind == "half_term":
            assert year.half_term_end(year.half_term_of(review.due)) == review.due


@settings(max_examples=200, deadline=None)
@given(start=starts, shift=st.integers(0, 2), interval=intervals)
def test_dual_registration_is_reviewed_at_its_school_weeks_and_single_at_the_first(start, shift, interval):
    year = YEARS[shift]
    dual = schedule(start, True, year, interval)
    single = schedule(start, False, year, interval)
    first = next(r for r in dual if r.kind == "first")
    assert first == next(r for r in single if r.kind == "first")
    assert school_weeks(year, start, first.due) == interval.first_weeks
    # The last school day of that school week: the next school day is in a later week.
    following = year.days[year.days.index(first.due) + 1]
    assert following - timedelta(days=following.weekday()) > first.due - timedelta(days=first.due.weekday())
    if interval.second_weeks > interval.first_weeks:
        second = next(r for r in dual if r.kind == "second")
        assert school_weeks(year, start, second.due) == interval.second_weeks
    assert all(r.kind != "second" for r in single)


@settings(max_examples=100, deadline=None)
@given(start=starts, dual=st.booleans(), late=st.lists(st.integers(0, 30), min_size=1, max_size=6))
def test_reviews_held_are_matched_in_order_and_the_next_counts_from_the_last_held(start, dual, late):
    year = YEARS[0]
    held = []
    for days_late in late:
        due = schedule(start, dual, year, held=held, through=LAST)
        outstanding = next(r for r in due if r.held_on is None)
        held.append(outstanding.due + timedelta(days=days_late))
    due = schedule(start, dual, year, held=held, through=LAST)
    assert [r.held_on for r in due[: len(held)]] == held
    assert [r.held_late for r in due[: len(held)]] == [d > 0 for d in late]
    nxt = due[len(held)] if len(due) > len(held) else None
    if nxt and nxt.kind == "half_term":
        assert year.half_term_of(nxt.due) == year.half_term_of(held[-1]) + 1


@settings(max_examples=100, deadline=None)
@given(start=starts, inset=st.lists(st.dates(min_value=FIRST, max_value=LAST), max_size=10))
def test_a_settings_own_closures_move_its_reviews_to_its_own_school_days(start, inset):
    year = school_year(0, tuple(inset))
    for review in schedule(start, True, year):
        assert review.due in year.days
        assert review.due not in inset


def test_a_known_autumn_dual_placement():
    """From Monday 8 September 2025: six school weeks end on 17 October; the October half term does not
    count, so twelve end on 5 December; then the last day of each half term after that one."""
    due = schedule(date(2025, 9, 8), True, YEARS[0], through=date(2026, 4, 1))
    assert [(r.kind, r.due) for r in due] == [
        ("first", date(2025, 10, 17)),
        ("second", date(2025, 12, 5)),
        ("half_term", date(2026, 2, 13)),
        ("half_term", date(2026, 3, 27)),
    ]


def test_the_commissioners_next_review_date_is_the_next_review_and_overdue_is_counted_from_it():
    start = date(2025, 9, 8)
    due = schedule(start, False, YEARS[0], given=date(2025, 10, 1), through=date(2025, 11, 20))
    assert (due[0].kind, due[0].due) == ("given", date(2025, 10, 1))
    late = next(r for r in due if r.is_overdue(date(2025, 11, 20)))
    assert late == DueReview(date(2025, 10, 1), "given")
    assert (date(2025, 11, 20) - late.due).days == 50


def test_no_calendar_means_no_schedule_but_reviews_held_are_kept():
    empty = SchoolYear([])
    due = schedule(date(2025, 9, 8), True, empty, held=[date(2025, 10, 1)])
    assert due == [DueReview(date(2025, 10, 1), "half_term", date(2025, 10, 1))]


def test_the_commissioners_date_brings_the_next_review_forward_and_never_later():
    start = date(2025, 9, 8)
    later = schedule(start, False, YEARS[0], given=date(2025, 11, 20), through=LAST)
    assert (later[0].kind, later[0].due) == ("first", date(2025, 10, 17))
    # Held on the commissioner's date: that was the review it named; the next is the half term's.
    held = schedule(start, False, YEARS[0], held=[date(2025, 10, 1)], given=date(2025, 10, 1), through=LAST)
    assert [(r.kind, r.held_on) for r in held[:2]] == [("first", date(2025, 10, 1)), ("half_term", None)]
    assert held[1].due == date(2025, 12, 19)
