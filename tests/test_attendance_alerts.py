"""The same-day safeguarding check: raised when it should be, not when it should not, never twice."""

from datetime import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from attendance.alerts import alerts_raise
from attendance.models import Alert
from core.models import AuditAction, AuditEvent, Membership, OrganisationKind
from tests.attendance_helpers import TODAY, make_setting
from tests.factories import OrganisationFactory, member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

CHECK_TIME = timezone.make_aware(datetime(2026, 11, 20, 10, 45))


@pytest.fixture
def frozen_today():
    with time_machine.travel(CHECK_TIME, tick=False):
        yield


@pytest.fixture
def setting(area):
    return make_setting(area, children=3)


def mark(setting, child, code, session="AM"):
    from attendance.ingest import RawMark
    from attendance.services import marks_commit

    marks_commit(
        user=setting.manager,
        provider=setting.provider,
        rows=[RawMark(1, child.upn, TODAY.isoformat(), session, code)],
        source="form",
        today=TODAY,
    )


def test_no_mark_and_unexplained_absence_raise_alerts_present_does_not(setting):
    a, b, c = setting.children
    mark(setting, a, "/")
    mark(setting, b, "N")
    raised = alerts_raise(now=CHECK_TIME)
    assert {(alert.child, alert.kind) for alert in raised} == {
        (b, Alert.Kind.UNEXPLAINED_ABSENCE),
        (c, Alert.Kind.NO_MARK),
    }


def test_the_daily_check_is_audited_as_the_system_which_cannot_sign_in(client, setting):
    """Issue 10, item 11: scheduled work has an actor, and each child's log shows the alert raised about them."""
    raised = alerts_raise(now=CHECK_TIME)
    event = AuditEvent.objects.get(action=AuditAction.ALERTS_RAISED)
    assert event.user.username == "ap-oversight-system"
    assert {c.child_public_id for c in event.children.all()} == {a.child.public_id for a in raised}
    alerts_raise(now=CHECK_TIME)
    assert AuditEvent.objects.filter(action=AuditAction.ALERTS_RAISED).count() == 1, "nothing new, nothing logged"
    signed_in = client.post(reverse("login"), {"username": "ap-oversight-system", "password": ""})
    assert "_auth_user_id" not in client.session
    assert signed_in.status_code == 200
    assert not event.user.is_active
    assert not event.user.has_usable_password()


def test_running_twice_raises_nothing_twice(setting):
    assert len(alerts_raise(now=CHECK_TIME)) == 3
    assert alerts_raise(now=CHECK_TIME) == []
    call_command("attendance_alerts", at="2026-11-20T11:30")
    assert Alert.objects.count() == 3


def test_nothing_before_the_areas_check_time_or_on_a_day_off(setting):
    assert alerts_raise(now=timezone.make_aware(datetime(2026, 11, 20, 9, 0))) == []
    with time_machine.travel(datetime(2026, 10, 28, 11, 0), tick=False):
        assert alerts_raise(now=timezone.make_aware(datetime(2026, 10, 28, 11, 0))) == []
    assert not Alert.objects.exists()


def test_a_child_not_timetabled_this_morning_is_not_expected(setting):
    placement = setting.children[0].placements.get()
    placement.timetable = (
        "0111111111"
        if TODAY.weekday() == 0
        else "1111111101"[: TODAY.weekday() * 2] + "0" + "1" * (9 - TODAY.weekday() * 2)
    )
    placement.save()
    raised = alerts_raise(now=CHECK_TIME)
    assert setting.children[0] not in {alert.child for alert in raised}


def test_email_goes_to_la_home_school_setting_and_virtual_school_and_names_no_child(
    setting, area, la_officer, django_capture_on_commit_callbacks
):
    child = setting.children[0]
    child.looked_after, child.looked_after_by = True, area
    child.save()
    virtual = OrganisationFactory(kind=OrganisationKind.VIRTUAL_SCHOOL, area=area, urn="")
    vsh = member_of(virtual, Membership.Role.VIRTUAL_SCHOOL_HEAD, username="vsh", email="vsh@example.org")
    member_of(setting.school, Membership.Role.DESIGNATED_LEAD, username="dsl", email="dsl@example.org")
    la_officer.email = "officer@example.org"
    la_officer.save()
    setting.manager.email = "office@example.org"
    setting.manager.save()
    other_school = member_of(OrganisationFactory(area=area), username="elsewhere", email="elsewhere@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        alerts_raise(now=CHECK_TIME)
    recipients = {message.to[0] for message in mail.outbox}
    assert recipients == {"vsh@example.org", "dsl@example.org", "officer@example.org", "office@example.org"}
    assert other_school.email not in recipients
    for message in mail.outbox:
        assert all(c.last_name not in message.body and c.upn not in message.body for c in setting.children)
    assert len(mail.outbox) == 4, "one email each, however many alerts"
    assert "3 children" in mail.outbox[0].body
    assert vsh.email in recipients


def test_an_alert_stays_open_until_someone_records_what_happened(client, setting, la_officer):
    alert = alerts_raise(now=CHECK_TIME)[0]
    client.force_login(la_officer)
    assert alert.child.full_name in client.get(reverse("alerts")).content.decode()
    response = client.post(reverse("alert_detail", args=[alert.public_id]), {"note": "Called mum"})
    assert "Choose what happened" in response.content.decode()
    alert.refresh_from_db()
    assert alert.is_open
    client.post(reverse("alert_detail", args=[alert.public_id]), {"outcome": "seen_safe", "note": "Called mum"})
    alert.refresh_from_db()
    assert (alert.is_open, alert.outcome, alert.closed_by) == (False, "seen_safe", la_officer)
    assert AuditEvent.objects.filter(action=AuditAction.ALERT_CLOSED).exists()
    assert alert.child.full_name not in client.get(reverse("alerts")).content.decode()
    # Each look at it is on the child's access log (issue 9, item 5).
    viewed = AuditEvent.objects.filter(action=AuditAction.ALERT_VIEWED, children__child_public_id=alert.child.public_id)
    assert viewed.count() == 2


def test_another_school_neither_sees_nor_closes_an_alert(client, setting, school_lead):
    alert = alerts_raise(now=CHECK_TIME)[0]
    client.force_login(school_lead)
    assert alert.child.full_name not in client.get(reverse("alerts")).content.decode()
    response = client.post(reverse("alert_detail", args=[alert.public_id]), {"outcome": "seen_safe"})
    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.is_open
    # The refusal is on the child's access log (issue 9, item 5).
    refused = AuditEvent.objects.filter(user=school_lead, action=AuditAction.CHILD_VIEW_REFUSED)
    assert refused.filter(children__child_public_id=alert.child.public_id).exists()


def school_marks(client, setting, codes, day=TODAY):
    from attendance.selectors import home_school_register

    lead = member_of(setting.school, Membership.Role.DESIGNATED_LEAD, username="pupils-dsl")
    client.force_login(lead)
    lines = home_school_register(user=lead, school=setting.school, day=day)
    data = {}
    for line, (am, pm) in zip(lines, codes, strict=False):
        data[f"am_{line.placement.public_id.hex}"] = am
        data[f"pm_{line.placement.public_id.hex}"] = pm
    return client.post(f"{reverse('home_school_register')}?date={day.isoformat()}", data)


def test_home_school_says_at_ap_but_the_setting_does_not(client, setting):
    a, b, c = sorted(setting.children, key=lambda child: (child.last_name, child.first_name))
    assert school_marks(client, setting, [("B", ""), ("K", ""), ("D", "")]).status_code == 302
    mark(setting, a, "/")
    mark(setting, b, "N")
    raised = [alert for alert in alerts_raise(now=CHECK_TIME) if alert.kind == Alert.Kind.REGISTERS_DISAGREE]
    assert {alert.child: alert.detail for alert in raised} == {
        b: "Home school marked K (morning); Northgate PRU marked N",
        c: "Home school marked D (morning); Northgate PRU has no mark",
    }
    assert not [a for a in alerts_raise(now=CHECK_TIME) if a.kind == Alert.Kind.REGISTERS_DISAGREE]


def test_home_school_absent_is_not_a_disagreement(client, setting):
    school_marks(client, setting, [("I", "I")])
    raised = alerts_raise(now=CHECK_TIME)
    assert not [a for a in raised if a.kind == Alert.Kind.REGISTERS_DISAGREE]


def test_a_school_cannot_mark_another_schools_pupil(client, setting, area):
    from django.core.exceptions import PermissionDenied

    from attendance.models import HomeSchoolMark
    from attendance.services import home_school_marks_record

    other = OrganisationFactory(kind=OrganisationKind.SCHOOL, area=area)
    lead = member_of(other, Membership.Role.DESIGNATED_LEAD, username="other-dsl")
    with pytest.raises(PermissionDenied):
        home_school_marks_record(user=lead, school=other, day=TODAY, marks=[(setting.children[0], 1, "B")])
    assert not HomeSchoolMark.objects.exists()


def test_la_sets_the_time_of_the_daily_check(client, setting, la_officer, school_lead):
    client.force_login(school_lead)
    assert client.post(reverse("attendance_settings"), {"attendance_alert_time": "11:00"}).status_code == 404
    client.force_login(la_officer)
    bad = client.post(reverse("attendance_settings"), {"attendance_alert_time": "half ten", "tuition_alert_after": "0"})
    errors = bad.context["form"].errors
    assert "Enter a time like 10:30" in errors["attendance_alert_time"]
    assert "Enter a number from 1 to 20" in errors["tuition_alert_after"]
    client.post(reverse("attendance_settings"), {"attendance_alert_time": "11:00", "tuition_alert_after": "4"})
    assert alerts_raise(now=CHECK_TIME) == [], "10:45 is now before the check"
    assert AuditEvent.objects.filter(action=AuditAction.AREA_SETTINGS_CHANGED).exists()


def test_a_school_uploads_its_register_from_its_mis(client, setting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from attendance.models import HomeSchoolMark
    from tests.attendance_helpers import register_csv

    lead = member_of(setting.school, Membership.Role.DESIGNATED_LEAD, username="mis-dsl")
    client.force_login(lead)
    rows = [[c.upn, "20/11/2026", "AM", "B"] for c in setting.children]
    bad = rows + [[setting.children[0].upn, "21/11/2026", "AM", "B"]]
    response = client.post(reverse("home_school_upload"), {"file": SimpleUploadedFile("mis.csv", register_csv(bad))})
    assert "is not a school day" in response.content.decode()
    assert not HomeSchoolMark.objects.exists()
    response = client.post(reverse("home_school_upload"), {"file": SimpleUploadedFile("mis.csv", register_csv(rows))})
    assert response.status_code == 302
    assert HomeSchoolMark.objects.filter(code="B").count() == 3


# Issue 9, item 15: an alert whose mark was since corrected says so; the LA sees both registers day by day.


def test_an_alert_whose_mark_was_since_corrected_says_so(client, setting, la_officer):
    a, b, c = sorted(setting.children, key=lambda child: (child.last_name, child.first_name))
    mark(setting, a, "N")
    school_marks(client, setting, [("", ""), ("", ""), ("B", "")])
    mark(setting, c, "N")
    alerts_raise(now=CHECK_TIME)
    client.force_login(la_officer)
    page = client.get(reverse("alerts")).content.decode()
    assert "Since corrected" not in page
    mark(setting, a, "M")  # the absence was a medical appointment
    mark(setting, b, "/")  # marked late
    mark(setting, c, "B")  # at the setting after all: the registers agree
    page = client.get(reverse("alerts")).content.decode()
    assert "The mark was since corrected to M." in page
    assert "The setting has since marked /." in page
    assert "The setting&#x27;s mark was since corrected to B: the registers now agree." in page
    alert = Alert.objects.get(child=a)
    detail = client.get(reverse("alert_detail", args=[alert.public_id])).content.decode()
    assert "Since corrected" in detail
    assert "The mark was since corrected to M." in detail
    assert alert.is_open, "a corrected mark does not close the alert: someone records what happened"


def test_the_la_sees_the_home_schools_marks_beside_the_settings_day_by_day(client, setting, la_officer):
    child = sorted(setting.children, key=lambda c: (c.last_name, c.first_name))[0]
    school_marks(client, setting, [("B", "D")])
    mark(setting, child, "/")
    client.force_login(la_officer)
    response = client.get(reverse("child_attendance", args=[child.public_id]))
    row = response.context["settings_rows"][0]
    today = [entry for entry in row["home"] if entry[0] == TODAY]
    assert today == [(TODAY, "B", "D")]
    assert [entry for entry in row["recent"] if entry[0] == TODAY] == [(TODAY, "/", "")]
    page = response.content.decode()
    assert "Home school, morning" in page
    assert "Setting, morning" in page
    # The setting sees its own marks, not the school's register.
    client.force_login(setting.manager)
    response = client.get(reverse("child_attendance", args=[child.public_id]))
    assert response.context["settings_rows"][0]["home"] is None
    assert "Home school, morning" not in response.content.decode()


def test_a_school_register_with_two_marks_for_one_session_is_refused_naming_both_rows(client, setting):
    """Issue 9: two rows disagreeing about one session were resolved by keeping the last; the school must choose."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from attendance.models import HomeSchoolMark
    from tests.attendance_helpers import register_csv

    lead = member_of(setting.school, Membership.Role.DESIGNATED_LEAD, username="mis-dsl")
    client.force_login(lead)
    pupil = setting.children[0]
    rows = [
        [pupil.upn, "20/11/2026", "AM", "B"],
        [pupil.upn, "20/11/2026", "PM", "B"],
        [pupil.upn, "20/11/2026", "AM", "O"],
    ]
    response = client.post(reverse("home_school_upload"), {"file": SimpleUploadedFile("mis.csv", register_csv(rows))})
    page = response.content.decode()
    assert "disagrees with row 2, which gives B for this pupil&#x27;s morning session on 20/11/2026" in page
    assert not HomeSchoolMark.objects.exists()
    # The same mark twice is one mark.
    twice = [*rows[:2], rows[0]]
    response = client.post(reverse("home_school_upload"), {"file": SimpleUploadedFile("mis.csv", register_csv(twice))})
    assert response.status_code == 302
    assert HomeSchoolMark.objects.filter(child=pupil).count() == 2
