"""Suspensions and permanent exclusions: recorded by the LA or the school that excluded, shown on the record."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse

from casework.chronology import chronology
from children.models import LUNCHTIME_SUSPENSION, PERMANENT_EXCLUSION, Exclusion
from core.codes import code_set
from core.models import AuditAction, AuditEvent, Membership, OrganisationKind
from tests.factories import ChildFactory, PlacementFactory, ProviderFactory, member_of
from tests.helpers import date_fields

pytestmark = pytest.mark.django_db

SUSPENSION = "FIXD"


def exclusion_data(school, category=SUSPENSION, sessions="6", reason="DB", start=None):
    return {
        "school": school.pk,
        "category": category,
        "sessions": sessions,
        "reason": reason,
        **date_fields("start_date", start or date.today() - timedelta(days=10)),
    }


def test_the_la_records_a_suspension_and_it_shows_on_the_record_and_in_the_chronology(client, la_officer, area, school):
    child = ChildFactory(area=area, home_school=school)
    client.force_login(la_officer)
    record = reverse("child_detail", args=[child.public_id])
    assert 'href="{}"'.format(reverse("exclusion_new", args=[child.public_id])) in client.get(record).content.decode()

    response = client.post(reverse("exclusion_new", args=[child.public_id]), exclusion_data(school))
    assert response.status_code == 302
    exclusion = Exclusion.objects.get(child=child)
    assert (exclusion.school, exclusion.sessions, exclusion.recorded_by) == (school, 6, la_officer)
    assert AuditEvent.objects.filter(action=AuditAction.EXCLUSION_RECORDED, object_id=child.public_id).exists()
    assert exclusion.history.count() == 1

    page = client.get(record).content.decode()
    assert "Persistent or general disruptive behaviour" in page
    assert "3 days" in page
    texts = [e.text for e in chronology(user=la_officer, child=child, today=date.today())]
    assert "Suspended by Priestley High School for 3 days: persistent or general disruptive behaviour" in texts


def test_the_school_that_excluded_records_a_permanent_exclusion(client, school_lead, area, school):
    child = ChildFactory(area=area, home_school=school)
    client.force_login(school_lead)
    data = exclusion_data(school, category=PERMANENT_EXCLUSION, sessions="", reason="PA")
    assert client.post(reverse("exclusion_new", args=[child.public_id]), data).status_code == 302
    exclusion = Exclusion.objects.get()
    assert exclusion.is_permanent
    assert exclusion.sessions is None
    events = chronology(user=school_lead, child=child, today=date.today())
    assert [(e.kind, e.text) for e in events] == [
        ("Exclusion", "Permanently excluded by Priestley High School: physical assault against an adult")
    ]


def test_a_school_cannot_record_for_another_schools_pupil(client, school_lead, area, other_school):
    child = ChildFactory(area=area, home_school=other_school)
    client.force_login(school_lead)
    url = reverse("exclusion_new", args=[child.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, exclusion_data(other_school)).status_code == 404
    assert not Exclusion.objects.exists()


def test_a_school_names_only_itself_as_the_school_that_excluded(client, school_lead, area, school, other_school):
    child = ChildFactory(area=area, home_school=school)
    client.force_login(school_lead)
    response = client.post(reverse("exclusion_new", args=[child.public_id]), exclusion_data(other_school))
    assert "school" in response.context["form"].errors
    assert not Exclusion.objects.exists()


def test_a_school_that_commissioned_a_placement_records_its_own_suspension(client, area, school, other_school):
    child = ChildFactory(area=area, home_school=other_school)
    PlacementFactory(child=child, provider=ProviderFactory(organisation__area=area), commissioner=school)
    client.force_login(member_of(school, Membership.Role.SENCO))
    assert client.post(reverse("exclusion_new", args=[child.public_id]), exclusion_data(school)).status_code == 302
    assert Exclusion.objects.get().school == school


def test_a_provider_or_practitioner_cannot_record(client, area, school):
    child = ChildFactory(area=area, home_school=school)
    provider = ProviderFactory(organisation__area=area)
    PlacementFactory(child=child, provider=provider, commissioner=school)
    client.force_login(member_of(provider.organisation, Membership.Role.OFFICE_MANAGER))
    assert client.get(reverse("child_detail", args=[child.public_id])).status_code == 200
    assert client.get(reverse("exclusion_new", args=[child.public_id])).status_code == 404
    assert client.post(reverse("exclusion_new", args=[child.public_id]), exclusion_data(school)).status_code == 404
    assert not Exclusion.objects.exists()


def test_a_suspension_needs_its_length_on_that_field(client, la_officer, area, school):
    child = ChildFactory(area=area, home_school=school)
    client.force_login(la_officer)
    response = client.post(reverse("exclusion_new", args=[child.public_id]), exclusion_data(school, sessions=""))
    assert response.context["form"].errors["sessions"] == [
        "Enter how many sessions the suspension lasts (a school day is two sessions)"
    ]
    assert not Exclusion.objects.exists()


def test_a_permanent_exclusion_has_no_length(client, la_officer, area, school):
    child = ChildFactory(area=area, home_school=school)
    client.force_login(la_officer)
    data = exclusion_data(school, category=PERMANENT_EXCLUSION, sessions="4")
    response = client.post(reverse("exclusion_new", args=[child.public_id]), data)
    assert "leave the number of sessions blank" in response.context["form"].errors["sessions"][0]


def test_the_reason_must_be_a_dfe_code(client, la_officer, area, school):
    child = ChildFactory(area=area, home_school=school)
    client.force_login(la_officer)
    response = client.post(reverse("exclusion_new", args=[child.public_id]), exclusion_data(school, reason="OT"))
    assert response.context["form"].errors["reason"] == ["Select a reason from the list"]
    assert not Exclusion.objects.exists()


def test_the_database_refuses_a_suspension_without_length(la_officer, area, school):
    child = ChildFactory(area=area, home_school=school)
    with pytest.raises(IntegrityError):
        Exclusion.objects.create(
            child=child,
            school=school,
            category=SUSPENSION,
            start_date=date.today(),
            reason="DB",
            recorded_by=la_officer,
        )


def test_the_categories_come_from_the_census_code_set():
    assert {PERMANENT_EXCLUSION, LUNCHTIME_SUSPENSION, SUSPENSION} == set(code_set("exclusion_type"))


@pytest.mark.parametrize(
    ("category", "sessions", "words"),
    [
        (SUSPENSION, 1, "half a day"),
        (SUSPENSION, 2, "1 day"),
        (SUSPENSION, 3, "1 and a half days"),
        (SUSPENSION, 10, "5 days"),
        (LUNCHTIME_SUSPENSION, 1, "1 lunchtime"),
        (LUNCHTIME_SUSPENSION, 4, "4 lunchtimes"),
        (PERMANENT_EXCLUSION, None, ""),
    ],
)
def test_the_length_in_words(category, sessions, words):
    assert Exclusion(category=category, sessions=sessions).length == words


def test_a_school_organisation_kind_is_required(client, la_officer, area, school):
    child = ChildFactory(area=area, home_school=school)
    provider = ProviderFactory(organisation__area=area)
    client.force_login(la_officer)
    response = client.post(reverse("exclusion_new", args=[child.public_id]), exclusion_data(provider.organisation))
    assert "school" in response.context["form"].errors
    assert provider.organisation.kind == OrganisationKind.AP_PROVIDER
