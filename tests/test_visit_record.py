"""The visit record: activities of an inspection and their summary."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from inspection.models import Inspection, VisitActivity
from tests.factories import ProviderFactory
from tests.helpers import date_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection(la_officer, area):
    today = date.today()
    return Inspection.objects.create(
        area=area,
        notified_on=today,
        visit_starts_on=today + timedelta(days=7),
        visit_ends_on=today + timedelta(days=11),
        lead_inspector="Jo",
        created_by=la_officer,
    )


def post(client, inspection, **data):
    return client.post(reverse("visit_record", args=[inspection.public_id]), data)


def test_activities_are_recorded_and_summarised(client, la_officer, inspection, area):
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")
    client.force_login(la_officer)
    day = inspection.visit_starts_on
    post(
        client,
        inspection,
        kind="set_up",
        title="Set-up call with the lead inspector",
        **date_fields("held_on", inspection.notified_on),
    )
    post(
        client,
        inspection,
        kind="tracking",
        title="Tracking meeting 1",
        attendees="SENCO, social worker",
        **date_fields("held_on", day),
    )
    post(
        client,
        inspection,
        kind="tracking",
        title="Tracking meeting 2",
        **date_fields("held_on", day + timedelta(days=1)),
    )
    post(
        client,
        inspection,
        kind="sampling",
        title="Visit",
        provider=provider.pk,
        **date_fields("held_on", day + timedelta(days=2)),
    )
    page = client.get(reverse("visit_record", args=[inspection.public_id]))
    assert page.context["summary"] == [
        ("Set-up discussion", 1),
        ("Tracking meeting", 2),
        ("Sampling visit to a provider", 1),
    ]
    assert "Northgate PRU" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"kind": "sampling", "title": "Visit"}, "provider", "Choose the setting visited"),
        ({"kind": "meeting", "title": "Late", "late": True}, "held_on", "between the notification"),
        ({"kind": "meeting", "title": ""}, "title", "Describe the activity"),
    ],
)
def test_bad_activities_are_refused(client, la_officer, inspection, data, field, words):
    client.force_login(la_officer)
    day = inspection.visit_ends_on + timedelta(days=3) if data.pop("late", False) else inspection.visit_starts_on
    response = post(client, inspection, **data, **date_fields("held_on", day))
    assert any(words in e for e in response.context["form"].errors.get(field, [])), response.context["form"].errors
    assert not VisitActivity.objects.exists()


def test_a_school_cannot_see_the_visit_record(client, school_lead, inspection):
    client.force_login(school_lead)
    assert client.get(reverse("visit_record", args=[inspection.public_id])).status_code == 404
