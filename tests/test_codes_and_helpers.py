"""The UPN check letter and the DfE code sets."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from children.upn import CHECK_ALPHABET, check_letter, upn_problem
from core.codes import CODE_SETS, code_set, label

digits = st.text(alphabet="0123456789", min_size=11, max_size=11)
last = st.sampled_from("0123456789" + CHECK_ALPHABET)


@given(body=digits, tail=last)
def test_a_upn_with_its_check_letter_is_valid(body, tail):
    full = body + tail
    assert upn_problem(check_letter(full) + full) is None


@given(body=digits, tail=last, position=st.integers(min_value=1, max_value=11), bump=st.integers(1, 9))
def test_changing_one_digit_breaks_the_check_letter(body, tail, position, bump):
    full = body + tail
    upn = check_letter(full) + full
    changed = upn[:position] + str((int(upn[position]) + bump) % 10) + upn[position + 1 :]
    # Each digit's weight (2..12) is coprime with 23, so any change to one digit moves the sum.
    assert upn_problem(changed) is not None


@pytest.mark.parametrize(
    ("upn", "words"),
    [
        ("A12345", "13 characters"),
        ("I123456789012", "a letter, then 11 digits"),
        ("1234567890123", "a letter, then 11 digits"),
    ],
)
def test_malformed_upns_say_what_is_wrong(upn, words):
    assert words in upn_problem(upn)


def test_wrong_check_letter_names_the_right_one():
    body = "877123426001"
    right = check_letter(body)
    wrong = next(c for c in CHECK_ALPHABET if c != right)
    assert f"should be {right}" in upn_problem(wrong + body)


@pytest.mark.parametrize("name", CODE_SETS)
def test_every_code_set_loads_with_labels(name):
    codes = code_set(name)
    assert codes
    assert all(c.label for c in codes.values())


def test_code_sets_hold_the_dfe_codes_we_rely_on():
    assert label("attendance", "K").startswith("Attending education provision arranged by the local authority")
    assert "B" in code_set("attendance")
    assert label("sen_primary_need", "SEMH") == "Social, emotional and mental health"
    assert label("la", "877") == "Warrington"


def test_a_code_field_refuses_an_unknown_code():
    from children.models import Child

    field = Child._meta.get_field("sen_primary_need")
    field.clean("SEMH", None)
    with pytest.raises(ValidationError):
        field.clean("XXXX", None)


def test_the_data_dictionary_in_docs_is_current():
    from pathlib import Path

    from django.conf import settings

    from core.data_dictionary import data_dictionary_markdown

    written = (Path(settings.BASE_DIR) / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert written == data_dictionary_markdown(), "Run `python manage.py data_dictionary` and commit the result."


@pytest.mark.parametrize(
    ("pages", "current", "expected"),
    [
        (1, 1, [1]),
        (3, 2, [1, 2, 3]),
        (10, 1, [1, 2, None, 10]),
        (10, 5, [1, None, 4, 5, 6, None, 10]),
        (10, 10, [1, None, 9, 10]),
    ],
)
def test_pagination_shows_first_last_and_neighbours(pages, current, expected):
    from django.core.paginator import Paginator

    from core.templatetags.govuk import page_numbers

    assert page_numbers(Paginator(range(pages), 1).page(current)) == expected


def test_the_rules_read_their_codes_from_the_reference_code_sets():
    """Issue 10, item 6: the alert codes, exclusion types and destinations are columns of the CSVs, not literals."""
    from attendance.rules import code_groups
    from casework.models import Destination
    from children.models import LUNCHTIME_SUSPENSION, PERMANENT_EXCLUSION

    groups = code_groups()
    assert groups.unexplained == {"N", "O"}
    assert groups.unexplained <= groups.unauthorised
    assert groups.at_alternative_provision == {"B", "K", "D"}
    for code in code_set("attendance").values():
        assert code.row["unexplained"] in ("Y", "N")
        assert code.row["at_alternative_provision"] in ("Y", "N")
    assert (PERMANENT_EXCLUSION, LUNCHTIME_SUSPENSION) == ("PERM", "LNCH")
    destinations = code_set("destination")
    assert [c for c, _label in Destination.choices] == list(destinations)
    assert [c for c, d in destinations.items() if d.row["post16_activity_needed"] == "Y"] == [
        Destination.POST_16_EDUCATION,
        Destination.EMPLOYMENT,
        Destination.TRAINING,
        Destination.NEET,
    ]
    assert [c for c, d in destinations.items() if d.row["returns_to_school"] == "Y"] == [
        Destination.HOME_SCHOOL,
        Destination.ANOTHER_MAINSTREAM,
        Destination.SPECIAL_SCHOOL,
    ]
