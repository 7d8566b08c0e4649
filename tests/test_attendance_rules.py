"""The DfE counting rules: one function, the same figure from the database and from first principles."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attendance.models import AttendanceBatch, AttendanceMark
from attendance.rules import absence_band, attendance_percentage, attendance_totals, code_groups
from core.codes import code_set
from tests.factories import ChildFactory, PlacementFactory

CODES = sorted(code_set("attendance"))


def reference_counts(codes: list[str]) -> tuple[int, int]:
    """Counted straight from the reference file's columns, not from code_groups."""
    rows = code_set("attendance")
    possible = [c for c in codes if rows[c].row["counts_as_possible_session"] == "Y"]
    attended = [
        c for c in possible if rows[c].row["category"] in ("present", "attending_approved_educational_activity")
    ]
    return len(attended), len(possible)


def test_k_and_b_count_as_attendance_and_d_x_are_not_possible_sessions():
    groups = code_groups()
    assert {"K", "B", "/", "\\", "L", "V", "P", "W"} <= groups.attended
    assert not {"D", "X", "Y1", "#", "Z"} & groups.possible
    assert {"I", "M", "C2"} <= groups.authorised
    assert {"N", "O", "U", "G"} <= groups.unauthorised


@given(attended=st.integers(0, 10_000), extra=st.integers(0, 10_000))
def test_percentage_is_between_0_and_100_to_one_place(attended, extra):
    possible = attended + extra
    result = attendance_percentage(attended, possible)
    if possible == 0:
        assert result is None
    else:
        assert Decimal(0) <= result <= Decimal(100)
        assert result == result.quantize(Decimal("0.1"))
        assert abs(result - Decimal(100 * attended) / possible) <= Decimal("0.05")


@pytest.mark.parametrize(
    ("attended", "possible", "band"),
    [(0, 0, ""), (100, 100, ""), (91, 100, ""), (90, 100, "persistent"), (51, 100, "persistent"), (50, 100, "severe")],
)
def test_absence_bands_follow_the_dfe_thresholds(attended, possible, band):
    assert absence_band(attended, possible) == band


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(codes=st.lists(st.sampled_from(CODES), min_size=0, max_size=60))
def test_database_totals_equal_counting_by_hand(la_officer, codes):
    placement = PlacementFactory(child=ChildFactory(), start_date=date(2025, 9, 1))
    batch = AttendanceBatch.objects.create(
        provider=placement.provider,
        source="api",
        created_by=la_officer,
        organisation=placement.provider.organisation,
    )
    AttendanceMark.objects.bulk_create(
        AttendanceMark(
            placement=placement,
            child=placement.child,
            provider=placement.provider,
            date=date(2025, 9, 1) + timedelta(days=i // 2),
            session=1 + i % 2,
            code=code,
            batch=batch,
        )
        for i, code in enumerate(codes)
    )
    rows = list(attendance_totals(AttendanceMark.objects.filter(child=placement.child), "child_id"))
    attended, possible = reference_counts(codes)
    if not codes:
        assert rows == []
    else:
        assert (rows[0]["attended"], rows[0]["possible"]) == (attended, possible)


@pytest.mark.django_db
def test_the_database_refuses_a_mark_whose_child_is_not_its_placements(la_officer):
    from django.db import IntegrityError, transaction

    placement = PlacementFactory(child=ChildFactory(), start_date=date(2025, 9, 1))
    stranger = ChildFactory()
    batch = AttendanceBatch.objects.create(
        provider=placement.provider, source="api", created_by=la_officer, organisation=placement.provider.organisation
    )
    mark = {
        "placement": placement,
        "provider": placement.provider,
        "date": date(2025, 9, 2),
        "session": 1,
        "batch": batch,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceMark.objects.create(child=stranger, code="/", **mark)
    AttendanceMark.objects.create(child=placement.child, code="/", **mark)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceMark.objects.filter(child=placement.child).update(child=stranger)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceMark.objects.create(child=placement.child, code="N", **mark)
