"""The registration test for unregistered settings, at its boundaries: 4 and 5 children, 18 and 18.5 hours, one
child looked after or with SEN, and the "majority of the child's education" reading."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from core.models import FullTimeTest
from insight.flag_rules import ChildAtSetting, compulsory_school_age, full_time_here, must_register

HOURS = FullTimeTest.MORE_THAN_18_HOURS
MAJORITY = FullTimeTest.MAJORITY


def child(hours="25", everywhere=None, *, age=True, looked_after=False, sen=False) -> ChildAtSetting:
    return ChildAtSetting(
        hours_here=Decimal(hours),
        hours_everywhere=Decimal(everywhere or hours),
        compulsory_school_age=age,
        looked_after=looked_after,
        has_sen=sen,
    )


def test_four_children_full_time_do_not_need_registration_and_five_do():
    assert not must_register([child() for _ in range(4)], HOURS)
    assert must_register([child() for _ in range(5)], HOURS)


def test_eighteen_hours_is_not_full_time_and_eighteen_and_a_half_is():
    assert not must_register([child("18") for _ in range(10)], HOURS)
    assert must_register([child("18.5") for _ in range(5)], HOURS)


def test_one_looked_after_child_or_one_with_sen_is_enough():
    assert must_register([child("18.5", looked_after=True)], HOURS)
    assert must_register([child("18.5", sen=True)], HOURS)
    assert not must_register([child("18", looked_after=True, sen=True)], HOURS)


def test_children_not_of_compulsory_school_age_are_not_counted():
    assert not must_register([child(age=False) for _ in range(8)] + [child(looked_after=True, age=False)], HOURS)
    assert must_register([child(age=False) for _ in range(8)] + [child() for _ in range(5)], HOURS)


def test_the_majority_reading_counts_more_than_half_the_childs_hours_across_every_setting():
    # 10 of 20 hours is half, not a majority; 10.5 of 20 is.
    assert not must_register([child("10", "20") for _ in range(5)], MAJORITY)
    assert must_register([child("10.5", "20") for _ in range(5)], MAJORITY)
    assert must_register([child("6", "10", looked_after=True)], MAJORITY)
    # Twenty hours out of thirty at this setting: full time on either reading.
    assert full_time_here(child("20", "30"), HOURS)
    assert full_time_here(child("20", "30"), MAJORITY)


@given(
    hours=st.lists(st.decimals(min_value=0, max_value=32.5, places=1), max_size=12),
    vulnerable=st.integers(min_value=0, max_value=11),
)
def test_registration_follows_the_count_of_children_over_18_hours(hours, vulnerable):
    children = [child(str(h), looked_after=i == vulnerable) for i, h in enumerate(hours)]
    over = [c for c in children if c.hours_here > 18]
    assert must_register(children, HOURS) == (len(over) >= 5 or any(c.looked_after for c in over))


def test_compulsory_school_age_runs_from_five_to_the_last_friday_of_june_in_the_year_a_child_turns_16():
    born = date(2010, 9, 1)  # turns 16 on 1 September 2026: Year 11 is 2026-27
    assert compulsory_school_age(born, date(2027, 6, 25))  # the last Friday of June 2027
    assert not compulsory_school_age(born, date(2027, 6, 26))
    summer_born = date(2010, 8, 31)  # turns 16 on 31 August 2026: left on 26 June 2026
    assert compulsory_school_age(summer_born, date(2026, 6, 26))
    assert not compulsory_school_age(summer_born, date(2026, 6, 29))
    assert not compulsory_school_age(date(2021, 12, 8), date(2026, 12, 7))
    assert compulsory_school_age(date(2021, 12, 7), date(2026, 12, 7))
