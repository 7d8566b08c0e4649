"""Visits to a child where they are taught (issue 12, item 4): the LA or the commissioner records one, everyone
who sees the placement reads it, and it is on the child's timeline."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from casework.models import PlacementVisit
from core.models import AuditAction, AuditEvent
from tests.helpers import date_fields
from tests.test_access import SEES, STAFF, borough  # noqa: F401 - the role matrix's borough
from tests.test_reviews import people, placement  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

TODAY = date.today()
# The LA of the area visits every child; the school visits the placements it commissioned (Aisha's and Cara's).
VISITS = {role: set() for role in SEES} | {"la": {"a", "b", "c", "d"}, "school": {"a", "c"}}


def visit_url(of):
    return reverse("visit_new", args=[of.public_id])


def visit_post(visited_on=TODAY, **overrides) -> dict:
    data = {
        **date_fields("visited_on", visited_on),
        "saw_the_child": "yes",
        "what_was_seen": "In a maths group of four; settled; asked when she can go back to her school",
    }
    return data | overrides


@pytest.mark.parametrize("role", STAFF)
def test_each_role_records_exactly_the_visits_the_policy_names(client, borough, role):  # noqa: F811
    client.force_login(borough.users[role])
    for key, child in borough.children.items():
        placement = child.placements.get()  # noqa: F811 - the borough's own
        expected = 200 if key in VISITS[role] else 403 if key in SEES[role] else 404
        assert client.get(visit_url(placement)).status_code == expected, f"{role} visiting {child.first_name}"
        assert client.post(visit_url(placement), visit_post()).status_code == (302 if key in VISITS[role] else expected)
        page = client.get(reverse("placement_reviews", args=[placement.public_id]))
        assert page.status_code == (200 if key in SEES[role] else 404)
        if key in SEES[role]:
            assert ("Record a visit" in page.content.decode()) is (key in VISITS[role])
    visited = set(PlacementVisit.objects.values_list("placement__child__first_name", flat=True))
    assert visited == {borough.children[k].first_name for k in VISITS[role]}


def test_a_refused_visit_is_on_the_childs_access_log(client, borough):  # noqa: F811
    aisha = borough.children["a"]
    client.force_login(borough.users["provider"])
    assert client.post(visit_url(aisha.placements.get()), visit_post()).status_code == 403
    client.force_login(borough.users["la"])
    log = client.get(reverse("child_access_log", args=[aisha.public_id])).content.decode()
    assert "Refused: not permitted to do this" in log


def test_the_commissioner_records_a_visit_that_everyone_who_sees_the_placement_reads(client, people, placement):  # noqa: F811
    client.force_login(people.commissioning_school)
    response = client.post(visit_url(placement), visit_post(TODAY - timedelta(days=2)))
    assert response.status_code == 302
    visit = PlacementVisit.objects.get()
    assert (visit.organisation, visit.saw_the_child) == (people.commissioning_school.primary_organisation, True)
    assert AuditEvent.objects.filter(action=AuditAction.VISIT_RECORDED, object_id=str(visit.public_id)).exists()
    client.force_login(people.provider)
    page = client.get(reverse("placement_reviews", args=[placement.public_id])).content.decode()
    assert "In a maths group of four" in page
    client.force_login(people.la_officer)
    timeline = client.get(reverse("child_timeline", args=[placement.child.public_id])).content.decode()
    assert f"Visit to {placement.provider.name} by {visit.organisation.name}: saw the child" in timeline


def test_a_visit_is_on_a_day_of_the_placement_and_says_what_was_seen(client, people, placement):  # noqa: F811
    client.force_login(people.la_officer)
    errors = client.post(visit_url(placement), visit_post(TODAY + timedelta(days=1))).context["form"].errors
    assert errors["visited_on"] == ["The date of the visit must be today or in the past"]
    early = placement.start_date - timedelta(days=1)
    errors = client.post(visit_url(placement), visit_post(early)).context["form"].errors
    assert errors["visited_on"] == ["The date of the visit must be while the placement was open"]
    errors = client.post(visit_url(placement), visit_post(saw_the_child="", what_was_seen=" ")).context["form"].errors
    assert errors["saw_the_child"] == ["Choose whether you saw the child"]
    assert errors["what_was_seen"] == ["Enter what you saw and heard on the visit"]
    assert not PlacementVisit.objects.exists()
