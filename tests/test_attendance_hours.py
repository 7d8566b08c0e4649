"""Hours of education across settings, and home or one-to-one tuition sessions with their alert."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from attendance.models import Alert, TuitionSession
from core.models import Membership
from placements.models import ProvisionType
from tests.attendance_helpers import TODAY, make_setting
from tests.factories import PlacementFactory, ProviderFactory, member_of
from tests.helpers import date_fields

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def tutored(area):
    setting = make_setting(area, children=1)
    child = setting.children[0]
    tutor = ProviderFactory(organisation__area=area, organisation__name="Brightpath Tuition")
    placement = PlacementFactory(
        child=child,
        provider=tutor,
        commissioner=setting.school,
        provision_type=ProvisionType.HOME_OR_HOSPITAL_TUITION,
        start_date=date(2026, 9, 1),
        hours_per_week=Decimal("5"),
        timetable="1010000000",
    )
    manager = member_of(tutor.organisation, Membership.Role.OFFICE_MANAGER, username="tutor-office")
    return setting, placement, manager


def record(client, placement, day, status, hours="1.5", engaged=False):
    data = {**date_fields("date", day), "hours": hours, "status": status}
    if engaged:
        data["engaged"] = "true"
    return client.post(f"{reverse('tuition')}?placement={placement.public_id.hex}", data)


def test_tuition_sessions_are_counted_offered_delivered_engaged(client, tutored):
    _setting, placement, manager = tutored
    client.force_login(manager)
    record(client, placement, date(2026, 11, 16), "delivered", engaged=True)
    record(client, placement, date(2026, 11, 17), "delivered")
    record(client, placement, date(2026, 11, 18), "cancelled")
    record(client, placement, date(2026, 11, 19), "missed")
    row = client.get(reverse("tuition")).context["rows"][0][1]
    assert (row["offered"], row["delivered"], row["engaged"], row["missed_or_declined"], row["cancelled"]) == (
        3,
        2,
        1,
        1,
        1,
    )
    assert row["delivered_hours_this_week"] == Decimal("3.0")


def test_too_many_missed_sessions_raise_one_alert(client, tutored):
    _setting, placement, manager = tutored
    client.force_login(manager)
    for day in (10, 11, 12):
        record(client, placement, date(2026, 11, day), "declined")
    assert Alert.objects.filter(kind=Alert.Kind.MISSED_TUITION).count() == 1
    record(client, placement, date(2026, 11, 13), "missed")
    assert Alert.objects.filter(kind=Alert.Kind.MISSED_TUITION).count() == 1


@pytest.mark.parametrize(
    ("day", "fields", "words"),
    [
        (date(2026, 11, 23), {}, "today or earlier"),
        (date(2026, 11, 16), {"hours": "9"}, "at most 8 hours"),
        (date(2026, 11, 16), {"status": "missed", "engaged": "true"}, "Only a delivered session"),
        (date(2026, 8, 20), {}, "not placed with you"),
    ],
)
def test_bad_tuition_sessions_are_refused(client, tutored, day, fields, words):
    _setting, placement, manager = tutored
    client.force_login(manager)
    data = {**date_fields("date", day), "hours": "1", "status": "delivered", **fields}
    response = client.post(f"{reverse('tuition')}?placement={placement.public_id.hex}", data)
    assert words in response.content.decode()
    assert not TuitionSession.objects.exists()


def test_only_the_tutoring_setting_records_its_sessions(client, tutored):
    setting, placement, _manager = tutored
    client.force_login(setting.manager)
    response = record(client, placement, date(2026, 11, 16), "delivered")
    assert not TuitionSession.objects.exists()
    assert response.status_code in (200, 302)


def test_hours_this_week_add_up_across_settings_against_full_time(client, tutored, la_officer):
    setting, placement, manager = tutored
    client.force_login(manager)
    record(client, placement, date(2026, 11, 16), "delivered", hours="2")
    client.force_login(la_officer)
    hours = client.get(reverse("child_attendance", args=[setting.children[0].public_id])).context["hours"]
    assert hours.commissioned == Decimal("20.0")
    assert hours.below_entitlement
    by_setting = {line.placement.provider.name: line for line in hours.lines}
    assert by_setting["Brightpath Tuition"].attended == Decimal("2")
    assert by_setting["Northgate PRU"].offered == Decimal("15.0")
