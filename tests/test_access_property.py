"""Property: for random demo boroughs, a school sees exactly its pupils and the children of the placements it commissioned."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.access import children_visible_to, placements_visible_to
from core.models import Membership, Organisation, OrganisationKind, User
from demo.borough import borough_build
from placements.models import Placement

pytestmark = pytest.mark.django_db


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=10_000), children=st.integers(min_value=20, max_value=80))
def test_a_school_sees_exactly_its_pupils_and_what_it_commissioned(seed, children):
    borough_build(children=children, seed=seed)
    for school in Organisation.objects.filter(kind=OrganisationKind.SCHOOL):
        user = User.objects.create(username=f"probe-{seed}-{school.pk}")
        Membership.objects.create(user=user, organisation=school, role=Membership.Role.DESIGNATED_LEAD)
        pupils = set(school.pupils.values_list("pk", flat=True))
        commissioned = set(Placement.objects.filter(commissioner=school).values_list("child_id", flat=True))
        assert set(children_visible_to(user=user).values_list("pk", flat=True)) == pupils | commissioned
        expected_placements = set(Placement.objects.filter(child_id__in=pupils).values_list("pk", flat=True)) | set(
            Placement.objects.filter(commissioner=school).values_list("pk", flat=True)
        )
        assert set(placements_visible_to(user=user).values_list("pk", flat=True)) == expected_placements
