"""Who sees what: for each role, what it can see and, as importantly, what it cannot."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse

from core.access import children_visible_to, placements_visible_to
from core.models import AuditAction, AuditEvent, Membership, OrganisationKind
from placements.models import Placement
from tests.factories import (
    AreaFactory,
    ChildFactory,
    InvolvementFactory,
    OrganisationFactory,
    PlacementFactory,
    ProviderFactory,
    member_of,
)
from tests.helpers import page_body

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def borough(area, la, la_officer, school, other_school, school_lead):
    """Five children whose visibility differs by role."""
    p1 = ProviderFactory(organisation__name="Northgate PRU", organisation__area=area)
    p2 = ProviderFactory(organisation__name="Brightpath Tuition", organisation__area=area)
    health = OrganisationFactory(kind=OrganisationKind.HEALTH, area=area, urn="")
    social = OrganisationFactory(kind=OrganisationKind.SOCIAL_CARE, area=area, urn="")
    virtual = OrganisationFactory(kind=OrganisationKind.VIRTUAL_SCHOOL, area=area, urn="")
    elsewhere = AreaFactory(name="Halton", la_code="876", ons_code="E06000006")

    a = ChildFactory(area=area, home_school=school, first_name="Aisha")
    b = ChildFactory(area=area, home_school=other_school, first_name="Ben")
    c = ChildFactory(area=area, home_school=other_school, first_name="Cara")
    d = ChildFactory(area=area, home_school=other_school, first_name="Dev", looked_after=True, looked_after_by=area)
    e = ChildFactory(area=elsewhere, home_school=None, first_name="Evie")
    PlacementFactory(child=a, provider=p1, commissioner=school)
    PlacementFactory(child=b, provider=p2, commissioner=la)
    PlacementFactory(child=c, provider=p1, commissioner=school)
    PlacementFactory(child=d, provider=p2, commissioner=la)
    PlacementFactory(child=e, provider=p2, commissioner=la)

    health_user = member_of(health, username="camhs")
    social_worker = member_of(social, Membership.Role.SOCIAL_WORKER, username="sw")
    InvolvementFactory(child=b, organisation=health, user=health_user)
    InvolvementFactory(
        child=d,
        organisation=health,
        user=health_user,
        started_on=TODAY - timedelta(days=200),
        ended_on=TODAY - timedelta(days=10),
    )
    InvolvementFactory(child=a, organisation=social, user=social_worker)
    return SimpleNamespace(
        children={"a": a, "b": b, "c": c, "d": d, "e": e},
        users={
            "la": la_officer,
            "school": school_lead,
            "provider": member_of(p1.organisation, Membership.Role.OFFICE_MANAGER, username="pm"),
            "health": health_user,
            "social": social_worker,
            "virtual": member_of(virtual, Membership.Role.VIRTUAL_SCHOOL_HEAD, username="vsh"),
            "nobody": member_of(OrganisationFactory(kind=OrganisationKind.INSPECTORATE, urn=""), username="insp"),
        },
    )


SEES = {
    "la": {"a", "b", "c", "d"},
    "school": {"a", "c"},
    "provider": {"a", "c"},
    "health": {"b"},
    "social": {"a"},
    "virtual": {"d"},
    "nobody": set(),
}
# An inspector with no inspection sees no child; the pages of the register are not theirs (see test_inspector_access).
STAFF = {role: expected for role, expected in SEES.items() if role != "nobody"}


@pytest.mark.parametrize(("role", "expected"), SEES.items())
def test_policy_gives_each_role_exactly_its_children(borough, role, expected):
    visible = set(children_visible_to(user=borough.users[role]).values_list("first_name", flat=True))
    assert visible == {borough.children[k].first_name for k in expected}


@pytest.mark.parametrize(("role", "expected"), STAFF.items())
def test_register_lists_only_visible_children(client, borough, role, expected):
    client.force_login(borough.users[role])
    page = client.get(reverse("register")).content.decode()
    for key, child in borough.children.items():
        assert (child.first_name in page) == (key in expected), f"{role} and {child.first_name}"


@pytest.mark.parametrize(("role", "expected"), STAFF.items())
def test_dashboard_counts_only_visible_children(client, borough, role, expected):
    client.force_login(borough.users[role])
    response = client.get(reverse("dashboard"))
    assert response.context["total"] == len(expected)


@pytest.mark.parametrize(("role", "expected"), STAFF.items())
def test_child_record_by_guessed_id_answers_404_like_a_missing_one(client, borough, role, expected):
    client.force_login(borough.users[role])
    for key, child in borough.children.items():
        status = client.get(reverse("child_detail", args=[child.public_id])).status_code
        assert status == (200 if key in expected else 404), f"{role} opening {child.first_name}"


def test_refusal_writes_only_an_audit_event(client, borough):
    user = borough.users["school"]
    client.force_login(user)
    other = borough.children["b"]
    before = Placement.objects.count()
    assert client.get(reverse("child_detail", args=[other.public_id])).status_code == 404
    refused = AuditEvent.objects.get(user=user, action=AuditAction.CHILD_VIEW_REFUSED)
    assert refused.object_id == str(other.public_id)
    assert not AuditEvent.objects.filter(user=user, action=AuditAction.CHILD_VIEWED).exists()
    assert Placement.objects.count() == before


def test_missing_and_forbidden_look_the_same(client, borough):
    client.force_login(borough.users["school"])
    forbidden = client.get(reverse("child_detail", args=[borough.children["b"].public_id]))
    missing = client.get(reverse("child_detail", args=["00000000-0000-4000-8000-000000000000"]))
    assert forbidden.status_code == missing.status_code == 404
    assert page_body(forbidden) == page_body(missing)


def test_provider_sees_only_its_own_placements_of_a_child(borough):
    provider_user = borough.users["provider"]
    a = borough.children["a"]
    PlacementFactory(child=a, provider=ProviderFactory(organisation__area=a.area), commissioner=a.home_school)
    seen = placements_visible_to(user=provider_user).filter(child=a)
    assert [p.provider.organisation for p in seen] == provider_user.organisations


def test_school_cannot_record_a_placement_for_another_schools_pupil(client, borough):
    client.force_login(borough.users["school"])
    other = borough.children["b"]
    before = Placement.objects.count()
    response = client.post(reverse("placement_new", args=[other.public_id]), {"provider": "1"})
    assert response.status_code == 404
    assert Placement.objects.count() == before


def test_school_cannot_edit_a_placement_it_did_not_commission(client, borough):
    client.force_login(borough.users["school"])
    placement = borough.children["b"].placements.get()
    response = client.post(reverse("placement_edit", args=[placement.public_id]), {"hours_per_week": "1"})
    assert response.status_code == 404
    placement.refresh_from_db()
    assert placement.hours_per_week != 1


def test_provider_cannot_edit_a_childs_record(client, borough):
    client.force_login(borough.users["provider"])
    child = borough.children["a"]
    response = client.post(reverse("child_edit", args=[child.public_id]), {"first_name": "Changed"})
    assert response.status_code == 404
    child.refresh_from_db()
    assert child.first_name == "Aisha"


def test_access_log_is_for_the_la_only(client, borough):
    child = borough.children["a"]
    client.force_login(borough.users["school"])
    assert client.get(reverse("child_access_log", args=[child.public_id])).status_code == 404
    client.force_login(borough.users["la"])
    client.get(reverse("child_detail", args=[child.public_id]))
    page = client.get(reverse("child_access_log", args=[child.public_id]))
    assert page.status_code == 200
    assert "Viewed child record" in page.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_provider_page_lists_only_children_the_user_may_see(client, borough):
    provider = borough.children["b"].placements.get().provider
    client.force_login(borough.users["health"])
    page = client.get(reverse("provider_detail", args=[provider.public_id])).content.decode()
    assert "Ben" in page
    assert "Dev" not in page
    assert "Evie" not in page
