"""The checks an import makes in memory agree with the database and with the rules they stand for."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint
from hypothesis import given, settings
from hypothesis import strategies as st

from core.cells import choice_of, decimal_of, whole_number_of
from core.constraints import _truth, check_constraint_errors, condition_holds, conditional_unique_clashes
from placements.models import MainRoll, Placement, ProvisionType, RegistrationType

pytestmark = pytest.mark.django_db

DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 3, 1))
MAYBE_DAYS = st.none() | DAYS


@settings(max_examples=150, deadline=None)
@given(
    start=MAYBE_DAYS,
    planned_end=MAYBE_DAYS,
    end=MAYBE_DAYS,
    hours=st.none() | st.decimals(min_value=-5, max_value=40, places=1),
    registration=st.sampled_from(RegistrationType.values),
    main_roll=st.sampled_from(MainRoll.values),
)
def test_a_check_constraint_tested_in_memory_says_what_the_database_says(
    start, planned_end, end, hours, registration, main_roll
):
    placement = Placement(
        start_date=start,
        planned_end_date=planned_end,
        end_date=end,
        hours_per_week=hours,
        registration_type=registration,
        main_roll=main_roll,
    )
    for constraint in Placement._meta.constraints:
        if not isinstance(constraint, CheckConstraint):
            continue
        try:
            constraint.validate(Placement, placement)  # one query: the database's own reading of the condition
            database = True
        except ValidationError:
            database = False
        assert condition_holds(placement, constraint.condition) is database, constraint.name


def test_broken_check_constraints_are_named_by_the_field_in_their_code():
    placement = Placement(
        start_date=date(2025, 3, 1),
        end_date=date(2025, 2, 1),
        hours_per_week=Decimal("33"),
        registration_type=RegistrationType.SINGLE,
        main_roll=MainRoll.HOME_SCHOOL,
    )
    errors = check_constraint_errors(placement)
    assert set(errors) == {"end_date", "hours_per_week", "main_roll"}
    assert "same as or after the start date" in errors["end_date"][0]


def test_one_open_main_roll_at_an_ap_setting_is_checked_across_records():
    def placement(child_id, main_roll, end=None):
        return Placement(child_id=child_id, main_roll=main_roll, end_date=end, start_date=date(2025, 1, 1))

    first, second = placement(1, MainRoll.AP), placement(1, MainRoll.AP)
    others = [placement(1, MainRoll.AP, end=date(2025, 2, 1)), placement(1, MainRoll.HOME_SCHOOL), placement(2, "ap")]
    [(constraint, group)] = conditional_unique_clashes([first, *others, second])
    assert constraint.name == "placement_one_open_main_roll"
    assert group == [first, second]
    assert conditional_unique_clashes(others) == []


def test_every_condition_of_every_model_can_be_tested_in_memory():
    """A condition using a lookup `core.constraints` does not know would fail an import; fail here first."""
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            condition = getattr(constraint, "condition", None)
            if condition is not None:
                _truth(model(), condition)


def test_an_unknown_lookup_is_refused_rather_than_passed():
    from django.db.models import Q

    with pytest.raises(NotImplementedError):
        condition_holds(Placement(), Q(provision_type__startswith="pru"))


@given(st.decimals(min_value=0, max_value=1000, places=1))
def test_a_number_is_read_as_it_is_written(number):
    assert decimal_of(str(number)) == number
    assert decimal_of(f" {number} ") == number


@given(st.text(max_size=8))
def test_a_number_cell_is_a_finite_number_or_nothing(text):
    number = decimal_of(text)
    assert number is None or number.is_finite()
    whole = whole_number_of(text)
    assert whole is None or (isinstance(whole, int) and number == whole)


def test_words_and_exponents_are_not_numbers():
    assert [decimal_of(t) for t in ("NaN", "1e3", "12,5", "twelve", "", "Infinity")] == [None] * 6
    assert whole_number_of("45.0") == 45
    assert whole_number_of("45.5") is None


@given(st.sampled_from(ProvisionType.choices), st.data())
def test_a_choice_is_read_from_its_value_or_its_words_in_any_case(choice, data):
    value, label = choice
    written = data.draw(st.sampled_from([value, label, value.replace("_", " ")]))
    written = data.draw(st.sampled_from([written, written.upper(), written.lower(), f"  {written} "]))
    assert choice_of(ProvisionType.choices, written) == value
