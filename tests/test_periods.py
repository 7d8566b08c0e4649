"""One rule for "open on a day" and "open in a period": the queries and their Python twins agree."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.periods import overlap
from placements.models import Placement
from tests.factories import PlacementFactory, ProviderFactory

pytestmark = pytest.mark.django_db

DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 2, 28))


@st.composite
def periods(draw):
    start = draw(DAYS)
    length = draw(st.none() | st.integers(min_value=0, max_value=40))
    return start, None if length is None else start + timedelta(days=length)


@pytest.fixture
def placements():
    provider = ProviderFactory()
    return [PlacementFactory(provider=provider, child__area=provider.organisation.area) for _ in range(5)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stored=st.lists(periods(), min_size=5, max_size=5), asked=periods(), day=DAYS)
def test_the_queries_and_their_python_twins_name_the_same_placements(placements, stored, asked, day):
    for placement, (start, end) in zip(placements, stored, strict=True):
        placement.start_date, placement.end_date = start, end
    Placement.objects.bulk_update(placements, ["start_date", "end_date"])
    first, last = asked
    assert set(Placement.objects.open_on(day)) == {p for p in placements if p.is_open_on(day)}
    assert set(Placement.objects.open_during(first, last)) == {p for p in placements if p.is_open_during(first, last)}


@given(DAYS, st.none() | DAYS, DAYS, st.none() | DAYS)
def test_two_periods_overlap_when_they_share_a_day(start, end, other_start, other_end):
    end = end if end is None else max(end, start)
    other_end = other_end if other_end is None else max(other_end, other_start)

    def days(first, last):
        last = last or date(2025, 12, 31)  # open: well past every date drawn
        return {first + timedelta(days=n) for n in range((last - first).days + 1)}

    assert overlap(start, end, other_start, other_end) is bool(days(start, end) & days(other_start, other_end))
