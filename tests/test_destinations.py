"""Destinations after AP (issue 12, item 3): the young people who left in Year 11 or later, their checks at the
September Guarantee, October, March, 12 and 24 months, the checks due, the NEET flag, and the sustained
destination on the record, the timeline and the tracking pack. Every role through HTTP."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import DestinationCheck
from core.models import AuditAction, AuditEvent, AuditEventChild
from tests.casework_people import people_around
from tests.factories import ChildFactory, PlacementFactory, ProviderFactory
from tests.helpers import date_fields, page_body

pytestmark = pytest.mark.django_db

# Tia left Northgate PRU at the end of Year 11, on 17 July 2026. On 1 June 2027 her September Guarantee,
# October and March checks are overdue; the 12-month check opens on 18 June 2027.
TODAY = date(2027, 6, 1)
LEFT_ON = date(2026, 7, 17)
BORN_IN_YEAR_11 = date(2009, 12, 1)  # turned 16 in Year 11, 2025-26


@pytest.fixture(autouse=True)
def on_the_day():
    with time_machine.travel(TODAY, tick=False):
        yield


def leaver(area, school, provider, *, born=BORN_IN_YEAR_11, left_on=LEFT_ON, **names):
    child = ChildFactory(area=area, home_school=school, date_of_birth=born, **names)
    return PlacementFactory(
        child=child,
        provider=provider,
        commissioner=school,
        start_date=left_on - timedelta(days=300),
        end_date=left_on,
    )


@pytest.fixture
def placement(area, school):
    # The setting keeps sight of a placement for the longest the area allows, so that it still sees Tia's.
    area.provider_access_days = 365
    area.save()
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")
    return leaver(area, school, provider, first_name="Tia", last_name="Moss")


@pytest.fixture
def people(placement, la_officer, school):
    # Tia is looked after by the area: the virtual school keeps her checks too.
    return people_around(
        child=placement.child,
        la_officer=la_officer,
        school=school,
        provider_organisation=placement.provider.organisation,
    )


def page_url(placement):
    return reverse("leaving_destinations", args=[placement.public_id])


def new_url(placement, kind):
    return reverse("destination_check_new", args=[placement.public_id, kind])


def check_post(*, activity="230", checked_on=date(2026, 10, 20), how_known="young_person", **more) -> dict:
    return {"activity": activity, **date_fields("checked_on", checked_on), "how_known": how_known, "notes": ""} | more


def march_post(activity="230", learning="6", employed="0", **more) -> dict:
    data = check_post(activity=activity, checked_on=date(2027, 3, 15), **more)
    return data | {"months_in_education_or_training": learning, "months_employed": employed}


KEEPS = ("la_officer", "provider", "virtual_school")
REFUSED = (
    "other_la",
    "commissioning_school",
    "other_school",
    "other_provider",
    "health_involved",
    "health_not_involved",
    "social_worker_involved",
    "social_worker_not_involved",
)


def test_the_la_records_each_check_and_the_march_check_judges_the_destination_sustained(client, people, placement):
    client.force_login(people.la_officer)
    page = client.get(page_url(placement)).content.decode()
    assert "Left Northgate PRU on 17 July 2026, in Year 11" in page
    assert "Not yet known" in page
    assert page.count("Overdue") == 3  # September Guarantee, October and March

    response = client.post(
        new_url(placement, "september_guarantee"), check_post(checked_on=date(2026, 9, 25), offer_made="yes")
    )
    assert response.status_code == 302
    assert response["Location"] == page_url(placement)
    assert client.post(new_url(placement, "october"), check_post()).status_code == 302
    assert client.post(new_url(placement, "march"), march_post()).status_code == 302

    checks = {c.kind: c for c in DestinationCheck.objects.all()}
    assert checks["september_guarantee"].offer_made is True
    assert checks["october"].offer_made is None
    assert (checks["march"].months_in_education_or_training, checks["march"].months_employed) == (6, 0)
    assert checks["march"].recorded_by == people.la_officer
    event = AuditEvent.objects.filter(action=AuditAction.DESTINATION_CHECK_RECORDED).latest("pk")
    assert event.detail["check"] == "march"
    assert AuditEventChild.objects.filter(event=event, child_public_id=placement.child.public_id).exists()

    page = client.get(page_url(placement)).content.decode()
    assert "Sustained: in education or training from October to March" in page
    assert "Overdue" not in page
    assert "6 months in education or training, 0 employed" in page
    record = client.get(placement.child.get_absolute_url()).content.decode()
    assert "Destination after AP" in record
    assert "Sustained: in education or training from October to March" in record
    assert "3 of 5 recorded" in record


def test_five_months_employed_is_sustained_and_four_is_not(client, people, placement):
    client.force_login(people.la_officer)
    client.post(new_url(placement, "october"), check_post(activity="619"))
    client.post(new_url(placement, "march"), march_post(activity="330", learning="0", employed="4"))
    assert "Not sustained" in client.get(page_url(placement)).content.decode()
    DestinationCheck.objects.filter(kind="march").update(months_employed=5)
    assert "Sustained: employed for at least five months" in client.get(page_url(placement)).content.decode()


@pytest.mark.parametrize("role", KEEPS)
def test_the_la_the_setting_left_and_the_virtual_school_record_a_check(client, people, placement, role):
    client.force_login(getattr(people, role))
    assert client.get(page_url(placement)).status_code == 200
    assert client.get(new_url(placement, "october")).status_code == 200
    assert client.post(new_url(placement, "october"), check_post()).status_code == 302
    assert DestinationCheck.objects.get().recorded_by == getattr(people, role)
    assert placement.child.full_name in client.get(reverse("destinations_due")).content.decode()


@pytest.mark.parametrize("role", REFUSED)
def test_everyone_else_is_answered_not_found_and_the_refusal_is_on_the_childs_log(client, people, placement, role):
    user = getattr(people, role)
    client.force_login(user)
    missing = client.get(reverse("leaving_destinations", args=["00000000-0000-4000-8000-000000000000"]))
    refused = client.get(page_url(placement))
    assert refused.status_code == missing.status_code == 404
    assert page_body(refused) == page_body(missing)
    assert client.get(new_url(placement, "october")).status_code == 404
    assert client.post(new_url(placement, "october"), check_post()).status_code == 404
    assert not DestinationCheck.objects.exists()
    assert placement.child.full_name not in client.get(reverse("destinations_due")).content.decode()
    assert AuditEventChild.objects.filter(
        event__user=user, event__action=AuditAction.PLACEMENT_REFUSED, child_public_id=placement.child.public_id
    ).exists()
    client.force_login(people.la_officer)
    log = client.get(reverse("child_access_log", args=[placement.child.public_id])).content.decode()
    assert str(user) in log


def test_an_inspector_writes_nothing_and_reads_the_checks_in_the_tracking_pack(client, people, placement):
    client.force_login(people.la_officer)
    client.post(new_url(placement, "october"), check_post(activity="619"))
    client.force_login(people.inspector)
    assert client.get(reverse("destinations_due")).status_code == 403
    assert client.get(page_url(placement)).status_code == 403
    assert client.post(new_url(placement, "march"), march_post()).status_code == 403
    assert DestinationCheck.objects.count() == 1
    inspection = people.inspector.inspections.get()
    pack = client.get(reverse("tracking_pack", args=[inspection.public_id, placement.child.public_id]))
    assert (
        "October activity check: seeking employment, education or training (NCCIS 619), NEET" in pack.content.decode()
    )


def test_the_setting_left_keeps_the_checks_only_while_it_sees_the_placement(client, people, placement):
    area = placement.child.area
    area.provider_access_days = 30
    area.save()
    client.force_login(people.provider)
    assert client.get(page_url(placement)).status_code == 404
    assert client.post(new_url(placement, "october"), check_post()).status_code == 404
    assert placement.child.full_name not in client.get(reverse("destinations_due")).content.decode()


def test_a_check_names_what_is_missing_or_wrong_in_plain_words(client, people, placement):
    client.force_login(people.la_officer)
    errors = client.post(new_url(placement, "october"), {"notes": ""}).context["form"].errors
    assert errors["activity"] == ["Choose what the young person is doing, as an NCCIS activity"]
    assert errors["checked_on"] == ["Enter the date checked"]
    assert errors["how_known"] == ["Choose how it is known"]
    too_soon = check_post(checked_on=date(2026, 9, 30))
    errors = client.post(new_url(placement, "october"), too_soon).context["form"].errors
    assert errors["checked_on"] == ["The October activity check is made from 1 October 2026: date it then or later"]
    future = check_post(checked_on=TODAY + timedelta(days=1))
    errors = client.post(new_url(placement, "october"), future).context["form"].errors
    assert errors["checked_on"] == ["The date checked must be today or in the past"]
    errors = client.post(new_url(placement, "october"), check_post(activity="999")).context["form"].errors
    assert errors["activity"] == ["Choose an activity from the NCCIS list"]
    errors = client.post(new_url(placement, "october"), check_post(how_known="other")).context["form"].errors
    assert errors["notes"] == ["Say in the notes how it is known"]
    guarantee = check_post(checked_on=date(2026, 9, 25))
    errors = client.post(new_url(placement, "september_guarantee"), guarantee).context["form"].errors
    assert errors["offer_made"] == ["Say whether a place in education or training was offered by the end of September"]
    errors = client.post(new_url(placement, "march"), march_post(learning="7", employed="")).context["form"].errors
    assert errors["months_in_education_or_training"] == [
        "Enter how many months from October to March the young person was in education or training, from 0 to 6"
    ]
    assert errors["months_employed"] == [
        "Enter how many months from October to March the young person was employed, from 0 to 6"
    ]
    errors = client.post(new_url(placement, "march"), march_post(activity="330", learning="0", employed="0"))
    assert errors.context["form"].errors["months_employed"] == [
        "The activity in March is one where the young person is employed: count March among the months"
    ]
    assert not DestinationCheck.objects.exists()


def test_one_check_of_each_kind_per_leaving(client, people, placement):
    client.force_login(people.la_officer)
    assert client.post(new_url(placement, "october"), check_post()).status_code == 302
    page = client.post(new_url(placement, "october"), check_post(activity="619")).content.decode()
    assert "This check is already recorded" in page
    assert list(DestinationCheck.objects.values_list("activity", flat=True)) == ["230"]
    # No September Guarantee for a Year 13 leaver, and no check at all for a young person who left before Year 11.
    year_13 = leaver(placement.child.area, placement.child.home_school, placement.provider, born=date(2007, 12, 1))
    assert client.get(new_url(year_13, "september_guarantee")).status_code == 404
    assert client.get(new_url(year_13, "october")).status_code == 200
    year_9 = leaver(placement.child.area, placement.child.home_school, placement.provider, born=date(2011, 12, 1))
    assert client.get(page_url(year_9)).status_code == 404


def test_a_young_person_who_went_on_to_another_ap_placement_has_not_left(client, people, placement):
    client.force_login(people.la_officer)
    PlacementFactory(
        child=placement.child, provider=ProviderFactory(organisation__area=placement.child.area), start_date=LEFT_ON
    )
    assert client.get(page_url(placement)).status_code == 404
    assert placement.child.full_name not in client.get(reverse("destinations_due")).content.decode()


def test_the_list_shows_checks_due_and_overdue_and_the_neet_young_people_first_among_equals(client, people, placement):
    area, school, provider = placement.child.area, placement.child.home_school, placement.provider
    # Left in May 2027: nothing due yet. Left in June 2026: the 12-month check is due now, not overdue.
    quiet = leaver(area, school, provider, left_on=date(2027, 5, 20), born=date(2010, 12, 1), last_name="Quiet")
    due = leaver(area, school, provider, left_on=date(2026, 6, 20), last_name="Duenow")
    for kind, day in (("september_guarantee", date(2026, 9, 20)), ("october", date(2026, 10, 20))):
        DestinationCheck.objects.create(
            placement=due, kind=kind, activity="230", checked_on=day, how_known="nccis",
            offer_made=True if kind == "september_guarantee" else None, recorded_by=people.la_officer,
        )  # fmt: skip
    DestinationCheck.objects.create(
        placement=due, kind="march", activity="619", checked_on=date(2027, 3, 10), how_known="nccis",
        months_in_education_or_training=5, months_employed=0, recorded_by=people.la_officer,
    )  # fmt: skip
    client.force_login(people.la_officer)
    listed = client.get(reverse("destinations_due")).context["page"].object_list
    assert [leaving.child.last_name for leaving in listed] == ["Moss", "Duenow"]
    page = client.get(reverse("destinations_due")).content.decode()
    assert quiet.child.full_name not in page
    assert "1 of them NEET at their last check" in page
    overdue = client.get(reverse("destinations_due"), {"show": "overdue"}).context["page"].object_list
    assert [leaving.child.last_name for leaving in overdue] == ["Moss"]
    neet = client.get(reverse("destinations_due"), {"show": "neet"}).content.decode()
    assert "Duenow" in neet
    assert "Moss" not in neet
    assert "Seeking employment, education or training" in neet
    twelve = client.get(reverse("destinations_due"), {"check": "12_months"}).context["page"].object_list
    assert [leaving.child.last_name for leaving in twelve] == ["Duenow"]


def test_the_list_reads_the_same_few_queries_for_one_young_person_or_many(client, people, placement):
    client.force_login(people.la_officer)
    url = reverse("destinations_due")
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).context["page"].object_list) == 1
    for n in range(6):
        other = leaver(placement.child.area, placement.child.home_school, placement.provider, last_name=f"Lee{n}")
        DestinationCheck.objects.create(
            placement=other, kind="october", activity="619", checked_on=date(2026, 10, 5), how_known="nccis",
            recorded_by=people.la_officer,
        )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).context["page"].object_list) == 7
    # Session, user, memberships; the leavings with child and setting, their checks; the navigation's check.
    assert len(many) == len(one) <= 8, [q["sql"] for q in many.captured_queries]


def neet_flag(client) -> list[str]:
    """The oversight flag's rows, as the LA's page shows them: name, then what raised it."""
    response = client.get(reverse("oversight_flag", args=["neet"]))
    assert response.status_code == 200
    return [f"{row.child.full_name}: {row.detail}" for row in response.context["rows"]]


def test_the_neet_flag_names_the_young_people_neet_at_their_latest_check_and_whether_in_care(client, people, placement):
    client.force_login(people.la_officer)
    assert neet_flag(client) == []
    DestinationCheck.objects.create(
        placement=placement, kind="october", activity="640", checked_on=date(2026, 10, 5), how_known="nccis",
        recorded_by=people.la_officer,
    )  # fmt: skip
    (row,) = neet_flag(client)
    assert row.startswith(
        "Tia Moss: NEET, not available to the labour market at the October activity check on 5 October 2026"
    )
    counts = {c["flag"].key: (c["children"], c["looked_after"]) for c in client.get("/").context["oversight"]}
    assert counts["neet"] == (1, 1)  # Tia is looked after
    # Only the LA sees the flags.
    client.force_login(people.commissioning_school)
    assert client.get(reverse("oversight_flag", args=["neet"])).status_code == 404
    # A later check of anything else clears it.
    DestinationCheck.objects.create(
        placement=placement, kind="march", activity="230", checked_on=date(2027, 3, 5), how_known="nccis",
        months_in_education_or_training=4, months_employed=0, recorded_by=people.la_officer,
    )  # fmt: skip
    client.force_login(people.la_officer)
    assert neet_flag(client) == []


def test_the_timeline_tells_each_check_and_the_sustained_judgement(client, people, placement):
    client.force_login(people.la_officer)
    client.post(new_url(placement, "september_guarantee"), check_post(checked_on=date(2026, 9, 25), offer_made="no"))
    client.post(new_url(placement, "march"), march_post(activity="340", learning="0", employed="5"))
    page = client.get(reverse("child_timeline", args=[placement.child.public_id])).content.decode()
    assert "a place was not offered by the end of September" in page
    assert "March activity check: employment with training (other) (NCCIS 340)" in page
    assert "sustained: employed for at least five months from october to march" in page


def test_the_la_dashboard_links_to_the_checks_due(client, people, placement):
    client.force_login(people.la_officer)
    assert reverse("destinations_due") in client.get(reverse("dashboard")).content.decode()
