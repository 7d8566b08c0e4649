"""Recording who is involved with a child is how health and social care come to see the child."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from children.models import Involvement
from core.models import AuditAction, AuditEvent, Membership, OrganisationKind
from tests.factories import ChildFactory, OrganisationFactory, member_of
from tests.helpers import date_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def camhs(area):
    return OrganisationFactory(kind=OrganisationKind.HEALTH, area=area, urn="", name="CAMHS")


@pytest.fixture
def practitioner(camhs):
    return member_of(camhs, Membership.Role.PRACTITIONER, username="nurse")


def involvement_data(organisation, user=None, start=None, end=None):
    return {
        "person_name": "Jo Practitioner",
        "role": "camhs",
        "organisation": organisation.pk,
        "user": user.pk if user else "",
        **date_fields("started_on", start or date.today() - timedelta(days=1)),
        **date_fields("ended_on", end),
    }


def test_linking_a_practitioner_lets_them_see_the_child_until_it_ends(
    client, la_officer, practitioner, camhs, area, school
):
    child = ChildFactory(area=area, home_school=school)
    record = reverse("child_detail", args=[child.public_id])
    client.force_login(practitioner)
    assert client.get(record).status_code == 404

    client.force_login(la_officer)
    response = client.post(reverse("involvement_new", args=[child.public_id]), involvement_data(camhs, practitioner))
    assert response.status_code == 302
    involvement = Involvement.objects.get(child=child)
    assert AuditEvent.objects.filter(action=AuditAction.INVOLVEMENT_CREATED, object_id=child.public_id).exists()

    client.force_login(practitioner)
    assert client.get(record).status_code == 200

    client.force_login(la_officer)
    ended = involvement_data(
        camhs, practitioner, end=date.today() - timedelta(days=1), start=date.today() - timedelta(days=5)
    )
    assert client.post(reverse("involvement_edit", args=[involvement.public_id]), ended).status_code == 302
    client.force_login(practitioner)
    assert client.get(record).status_code == 404


def test_an_account_from_another_organisation_cannot_be_linked(client, la_officer, practitioner, area, school):
    child = ChildFactory(area=area, home_school=school)
    social = OrganisationFactory(kind=OrganisationKind.SOCIAL_CARE, area=area, urn="")
    client.force_login(la_officer)
    response = client.post(reverse("involvement_new", args=[child.public_id]), involvement_data(social, practitioner))
    assert "does not work for" in response.context["form"].errors["user"][0]
    assert not Involvement.objects.exists()


def test_end_before_start_is_refused_on_the_end_date(client, la_officer, camhs, area, school):
    child = ChildFactory(area=area, home_school=school)
    client.force_login(la_officer)
    data = involvement_data(camhs, start=date.today(), end=date.today() - timedelta(days=3))
    response = client.post(reverse("involvement_new", args=[child.public_id]), data)
    assert "same as or after the start date" in response.context["form"].errors["ended_on"][0]
    assert not Involvement.objects.exists()


def test_another_school_cannot_record_involvement(client, area, school, other_school, camhs):
    child = ChildFactory(area=area, home_school=other_school)
    client.force_login(member_of(school, Membership.Role.SENCO))
    response = client.post(reverse("involvement_new", args=[child.public_id]), involvement_data(camhs))
    assert response.status_code == 404
    assert not Involvement.objects.exists()


def test_the_account_list_names_a_person_as_entered_until_they_sign_in(client, la_officer, camhs, area, school):
    """Issue 9, item 4: an account's own name would tell that the address had one elsewhere."""
    from django.utils import timezone

    from tests.factories import UserFactory

    known = UserFactory(first_name="Adaeze", last_name="Elsewhere")
    Membership.objects.create(
        user=known,
        organisation=camhs,
        role=Membership.Role.PRACTITIONER,
        first_name_entered="Ada",
        last_name_entered="Okafor",
        email_entered=known.email,
    )
    child = ChildFactory(area=area, home_school=school)
    client.force_login(la_officer)
    form = client.get(reverse("involvement_new", args=[child.public_id])).content.decode()
    assert "Ada Okafor" in form
    assert "Adaeze" not in form
    known.last_login = timezone.now()
    known.save()
    assert "Adaeze Elsewhere" in client.get(reverse("involvement_new", args=[child.public_id])).content.decode()
