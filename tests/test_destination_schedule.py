"""When a young person who left AP in Year 11 or later is checked on, and whether their destination was sustained
(casework.destinations): pure functions, property-tested for any leaving date, with the DfE boundaries pinned."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from casework.destinations import (
    Sustained,
    destination_measure,
    destination_schedule,
    is_neet,
    neet_codes,
    neet_label,
    sustained_destination,
)
from casework.models import DestinationCheckKind as Kind
from placements.selectors import born_in_year_group, year_group_on

leaving_days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
year_groups = st.integers(min_value=11, max_value=14)


@given(left_on=leaving_days, year_group=year_groups)
def test_every_check_falls_after_leaving_in_its_own_window_and_once(left_on, year_group):
    schedule = destination_schedule(left_on=left_on, year_group=year_group)
    kinds = [c.kind for c in schedule]
    assert len(kinds) == len(set(kinds))
    assert (Kind.SEPTEMBER_GUARANTEE in kinds) == (year_group in (11, 12))
    assert {Kind.OCTOBER, Kind.MARCH, Kind.TWELVE_MONTHS, Kind.TWENTY_FOUR_MONTHS} <= set(kinds)
    assert [c.due for c in schedule] == sorted(c.due for c in schedule)
    for check in schedule:
        assert left_on < check.due
        assert check.opens <= check.due
        assert not check.is_overdue(check.due)
        assert check.is_overdue(check.due + timedelta(days=1))
        assert check.is_open(check.opens)
        assert not check.is_open(check.opens - timedelta(days=1))


@given(left_on=leaving_days, year_group=year_groups)
def test_the_october_and_march_checks_span_the_first_two_terms_of_the_year_after_leaving(left_on, year_group):
    by_kind = {c.kind: c for c in destination_schedule(left_on=left_on, year_group=year_group)}
    october, march = by_kind[Kind.OCTOBER], by_kind[Kind.MARCH]
    # The academic year after the one in which they left: the October after the next 1 September.
    next_september = date(left_on.year if left_on.month < 9 else left_on.year + 1, 9, 1)
    assert (october.opens, october.due) == (date(next_september.year, 10, 1), date(next_september.year, 10, 31))
    assert (march.opens, march.due) == (date(next_september.year + 1, 3, 1), date(next_september.year + 1, 3, 31))
    if Kind.SEPTEMBER_GUARANTEE in by_kind:
        guarantee = by_kind[Kind.SEPTEMBER_GUARANTEE]
        assert (guarantee.opens, guarantee.due) == (next_september, date(next_september.year, 9, 30))
    assert by_kind[Kind.TWELVE_MONTHS].due == left_on + relativedelta(months=12)
    assert by_kind[Kind.TWENTY_FOUR_MONTHS].due == left_on + relativedelta(months=24)


def test_a_year_11_leaver_in_july_is_checked_from_september_to_two_years_on():
    schedule = destination_schedule(left_on=date(2026, 7, 17), year_group=11)
    assert [(c.kind, c.opens, c.due) for c in schedule] == [
        (Kind.SEPTEMBER_GUARANTEE, date(2026, 9, 1), date(2026, 9, 30)),
        (Kind.OCTOBER, date(2026, 10, 1), date(2026, 10, 31)),
        (Kind.MARCH, date(2027, 3, 1), date(2027, 3, 31)),
        (Kind.TWELVE_MONTHS, date(2027, 6, 18), date(2027, 7, 17)),
        (Kind.TWENTY_FOUR_MONTHS, date(2028, 6, 18), date(2028, 7, 17)),
    ]


def test_no_checks_before_year_11_and_no_september_guarantee_after_year_12():
    assert destination_schedule(left_on=date(2026, 7, 17), year_group=10) == []
    kinds = [c.kind for c in destination_schedule(left_on=date(2026, 7, 17), year_group=13)]
    assert Kind.SEPTEMBER_GUARANTEE not in kinds


@given(born=st.dates(min_value=date(2000, 1, 1), max_value=date(2025, 12, 31)), day=leaving_days)
def test_the_year_group_on_a_day_is_the_one_whose_births_the_register_filters_by(born, day):
    year = year_group_on(born, day)
    first, last = born_in_year_group(year, day)
    assert first <= born <= last


def test_the_year_group_turns_on_1_september():
    born = date(2010, 9, 1)  # turns 16 on 1 September 2026: the oldest of Year 11 in 2026-27
    assert year_group_on(born, date(2026, 8, 31)) == 10
    assert year_group_on(born, date(2026, 9, 1)) == 11
    assert year_group_on(date(2010, 8, 31), date(2026, 7, 1)) == 11  # the youngest of Year 11 in 2025-26


# The NCCIS code set's groups: DfE counts NEET and "not available to the labour market" as NEET.
def test_the_neet_codes_are_the_code_sets_neet_and_not_available_groups():
    assert neet_codes() == ["540", "610", "615", "616", "619", "620", "630", "640", "650", "660", "670", "680"]
    assert neet_label("619") == "NEET"
    assert neet_label("640") == "NEET, not available to the labour market"
    assert not is_neet("230")
    assert not is_neet("810")
    assert not is_neet("530")
    assert not is_neet(None)
    assert destination_measure("230") == destination_measure("310") == "education_or_training"
    assert destination_measure("330") == destination_measure("340") == "employment"
    assert destination_measure("619") == destination_measure("810") == ""


COLLEGE, APPRENTICESHIP, JOB, SEEKING = "230", "310", "330", "619"


@pytest.mark.parametrize(
    ("october", "march", "learning", "employed", "expected"),
    [
        # Education or training for all six months, October to March: sustained; five is not.
        (COLLEGE, COLLEGE, 6, 0, Sustained.EDUCATION_OR_TRAINING),
        (COLLEGE, COLLEGE, 5, 0, Sustained.NOT_SUSTAINED),
        (COLLEGE, APPRENTICESHIP, 6, 0, Sustained.EDUCATION_OR_TRAINING),
        (None, COLLEGE, 6, 0, Sustained.EDUCATION_OR_TRAINING),
        # Six months counted, but the October check found them NEET: not through October to March.
        (SEEKING, COLLEGE, 6, 0, Sustained.NOT_SUSTAINED),
        (COLLEGE, SEEKING, 6, 0, Sustained.NOT_SUSTAINED),
        # Employed five of six months: sustained, whatever the days of the checks found; four is not.
        (JOB, JOB, 0, 5, Sustained.EMPLOYMENT),
        (SEEKING, JOB, 0, 5, Sustained.EMPLOYMENT),
        (JOB, JOB, 0, 4, Sustained.NOT_SUSTAINED),
        (JOB, JOB, 0, 6, Sustained.EMPLOYMENT),
        # No March check: not yet known, whatever October found.
        (COLLEGE, None, None, None, Sustained.NOT_YET_KNOWN),
        (None, None, None, None, Sustained.NOT_YET_KNOWN),
    ],
)
def test_sustained_the_dfe_way_at_its_boundaries(october, march, learning, employed, expected):
    assert (
        sustained_destination(
            october=october, march=march, months_in_education_or_training=learning, months_employed=employed
        )
        == expected
    )


codes = st.sampled_from([None, COLLEGE, APPRENTICESHIP, JOB, SEEKING, "810", "640"])
months = st.integers(min_value=0, max_value=6)


@given(october=codes, march=codes, learning=months, employed=months)
def test_sustained_needs_a_march_check_and_six_months_learning_or_five_employed(october, march, learning, employed):
    judged = sustained_destination(
        october=october, march=march, months_in_education_or_training=learning, months_employed=employed
    )
    if march is None:
        assert judged == Sustained.NOT_YET_KNOWN
    elif learning < 6 and employed < 5:
        assert judged == Sustained.NOT_SUSTAINED
    if judged == Sustained.EDUCATION_OR_TRAINING:
        assert learning == 6
        assert destination_measure(march) == "education_or_training"
    if judged == Sustained.EMPLOYMENT:
        assert employed >= 5
    # One more month never undoes a sustained destination.
    if judged in (Sustained.EDUCATION_OR_TRAINING, Sustained.EMPLOYMENT) and employed < 6:
        assert (
            sustained_destination(
                october=october, march=march, months_in_education_or_training=learning, months_employed=employed + 1
            )
            != Sustained.NOT_SUSTAINED
        )
