"""Attendance through the browser's eyes: register form, upload pages, overviews, and who may see what."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from attendance.models import AttendanceMark, AttendanceUpload
from core.models import AuditAction, AuditEvent, Membership
from tests.attendance_helpers import TODAY, make_setting, register_csv, week_of_marks
from tests.factories import ChildFactory, PlacementFactory, ProviderFactory, member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def setting(area):
    return make_setting(area)


def post_register(client, setting, codes, day=TODAY):
    from attendance.selectors import register_for_day

    lines = register_for_day(user=setting.manager, provider=setting.provider, day=day)
    data = {}
    for line, (am, pm) in zip(lines, codes, strict=False):
        data[f"am_{line.placement.public_id.hex}"] = am
        data[f"pm_{line.placement.public_id.hex}"] = pm
    return client.post(f"{reverse('attendance_register')}?date={day.isoformat()}", data)


def test_provider_takes_todays_register(client, setting):
    client.force_login(setting.manager)
    page = client.get(reverse("attendance_register"))
    assert page.status_code == 200
    for child in setting.children:
        assert child.full_name in page.content.decode()
    response = post_register(client, setting, [("/", "\\"), ("N", ""), ("K", "K")])
    assert response.status_code == 302
    assert sorted(AttendanceMark.objects.values_list("code", flat=True)) == sorted(["/", "\\", "N", "K", "K"])
    assert AuditEvent.objects.filter(action=AuditAction.ATTENDANCE_RECORDED).count() == 1


def test_the_providers_register_heading_reads_naturally(client, setting):
    client.force_login(setting.manager)
    page = client.get(reverse("attendance_register")).content.decode()
    assert '<h1 class="govuk-heading-l">Register for Friday 20 November 2026</h1>' in page
    assert "<title>Register for Friday 20 November 2026" in page
    assert "Northgate PRU" in page


def test_register_form_errors_sit_beside_the_child(client, setting):
    client.force_login(setting.manager)
    response = post_register(client, setting, [("Q9", "")])
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not AttendanceMark.objects.exists()


def test_no_register_on_a_day_outside_term(client, setting):
    client.force_login(setting.manager)
    page = client.get(reverse("attendance_register"), {"date": "2026-10-28"})
    assert "is not a school day" in page.content.decode()
    post_register(client, setting, [("/", "\\")], day=date(2026, 10, 28))
    assert not AttendanceMark.objects.exists()


def test_upload_with_errors_then_corrected(client, setting):
    client.force_login(setting.manager)
    rows = week_of_marks(setting, date(2026, 11, 16), date(2026, 11, 20))
    rows[3][3] = "ZZ"
    bad = register_csv(rows)
    response = client.post(reverse("attendance_upload"), {"file": _file(bad)})
    upload = AttendanceUpload.objects.get()
    assert response.url == reverse("attendance_upload_detail", args=[upload.public_id])
    assert (bytes(upload.content), upload.sha256) == (b"", ""), "of a refused file only its problems are kept"
    page = client.get(response.url).content.decode()
    assert "1 problem to put right" in page
    assert "not a DfE attendance code" in page
    assert "Save these marks" not in page
    problems = client.get(reverse("attendance_upload_problems", args=[upload.public_id])).content.decode()
    assert "5,Mark,ZZ" in problems
    assert client.post(reverse("attendance_upload_confirm", args=[upload.public_id])).status_code == 302
    assert not AttendanceMark.objects.exists()

    rows[3][3] = "/"
    response = client.post(reverse("attendance_upload"), {"file": _file(register_csv(rows))})
    page = client.get(response.url).content.decode()
    assert "Save these marks" in page
    client.post(response.url + "confirm/")
    assert AttendanceMark.objects.count() == len(rows)


def _file(content: bytes, name: str = "register.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_template_lists_the_settings_children_for_each_school_day(client, setting):
    client.force_login(setting.manager)
    body = client.get(reverse("attendance_template"), {"start": "16/11/2026", "end": "20/11/2026"}).content.decode()
    lines = body.lstrip("\ufeff").strip().splitlines()
    assert lines[0] == "Child,UPN,Date,Session,Mark"
    assert len(lines) - 1 == 5 * 2 * len(setting.children)
    assert setting.children[0].upn in body
    exported = AuditEvent.objects.get(action=AuditAction.ATTENDANCE_EXPORTED, user=setting.manager)
    # On the access log of each child the template names (issue 9, item 5).
    assert {c.child_public_id for c in exported.children.all()} == {c.public_id for c in setting.children}


def test_the_excel_template_offers_only_valid_marks_and_reads_back_as_it_was(client, setting):
    import zipfile
    from io import BytesIO

    client.force_login(setting.manager)
    client.post(reverse("attendance_upload"), {"file": _file(register_csv(week_of_marks(setting, TODAY, TODAY)))})
    client.post(reverse("attendance_upload_detail", args=[AttendanceUpload.objects.get().public_id]) + "confirm/")
    query = {"start": f"{TODAY:%d/%m/%Y}", "end": f"{TODAY:%d/%m/%Y}", "format": "xlsx"}
    workbook = client.get(reverse("attendance_template"), query)
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(BytesIO(workbook.content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert 'sqref="D2:D' in sheet
    assert 'sqref="E2:E' in sheet, "the Session and Mark columns have drop-downs"
    back = client.post(reverse("attendance_upload"), {"file": _file(workbook.content, "register.xlsx")})
    summary = client.get(back.url).context["summary"]
    assert (summary.new, summary.changed, summary.unchanged) == (0, 0, 2 * len(setting.children))


def test_another_provider_cannot_see_or_confirm_this_upload(client, setting, area):
    client.force_login(setting.manager)
    client.post(reverse("attendance_upload"), {"file": _file(register_csv(week_of_marks(setting, TODAY, TODAY)))})
    upload = AttendanceUpload.objects.get()
    other = ProviderFactory(organisation__area=area)
    client.force_login(member_of(other.organisation, Membership.Role.OFFICE_MANAGER, username="other"))
    assert client.get(reverse("attendance_upload_detail", args=[upload.public_id])).status_code == 404
    assert client.post(reverse("attendance_upload_confirm", args=[upload.public_id])).status_code == 404
    assert client.get(reverse("attendance_upload_problems", args=[upload.public_id])).status_code == 404
    assert not AttendanceMark.objects.exists()


def test_a_provider_reads_only_its_own_marks(client, setting, area, la_officer):
    client.force_login(setting.manager)
    post_register(client, setting, [("/", "\\")] * 3)
    other = ProviderFactory(organisation__area=area, organisation__name="Elsewhere AP")
    child = ChildFactory(area=area, home_school=setting.school, first_name="Zed")
    PlacementFactory(child=child, provider=other, commissioner=setting.school, start_date=date(2026, 9, 1))
    other_manager = member_of(other.organisation, Membership.Role.OFFICE_MANAGER, username="other")
    from core.access import marks_visible_to

    assert marks_visible_to(user=other_manager).count() == 0
    assert marks_visible_to(user=setting.manager).count() == 6
    assert marks_visible_to(user=la_officer).count() == 6


def test_school_sees_its_pupils_attendance_at_every_setting(client, setting, school_lead, area):
    # school_lead's school is not the setting's pupils' school: it sees none of them.
    client.force_login(setting.manager)
    post_register(client, setting, [("/", "\\"), ("N", "N"), ("/", "\\")])
    client.force_login(school_lead)
    page = client.get(reverse("attendance_home"), {"period": "week"}).content.decode()
    assert setting.children[0].full_name not in page
    lead = member_of(setting.school, Membership.Role.DESIGNATED_LEAD, username="pupils-school")
    client.force_login(lead)
    response = client.get(reverse("attendance_home"), {"period": "week"})
    lines = list(response.context["lines"])
    assert {line.child.public_id for line in lines} == {child.public_id for child in setting.children}
    worst = lines[0]
    assert worst.percentage == 0
    assert worst.band == "severe"
    assert worst.today == {"am": "N", "pm": "N"}


def test_la_sees_settings_that_have_not_sent_a_register(client, setting, la_officer):
    client.force_login(la_officer)
    response = client.get(reverse("attendance_home"))
    assert response.context["missing_day"] == date(2026, 11, 19)
    assert [m.provider for m in response.context["missing"]] == [setting.provider]
    assert response.context["missing"][0].marked == 0


def test_overview_query_count_does_not_grow_with_children(client, area, la_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("attendance_home"), {"period": "year"})
        return len(captured)

    setting = make_setting(area, children=2)
    client.force_login(setting.manager)
    post_register(client, setting, [("/", "\\")] * 2)
    client.force_login(la_officer)
    small = count()
    for _ in range(20):
        child = ChildFactory(area=area, home_school=setting.school)
        PlacementFactory(
            child=child, provider=setting.provider, commissioner=setting.school, start_date=date(2026, 9, 1)
        )
    client.force_login(setting.manager)
    post_register(client, setting, [("/", "\\")] * 22)
    client.force_login(la_officer)
    assert count() == small


def test_a_register_over_the_limit_is_told_its_real_size_and_not_kept(client, setting):
    client.force_login(setting.manager)
    sixty_mb = register_csv(week_of_marks(setting, date(2026, 11, 16), date(2026, 11, 20))) + b"x" * (60 * 1024 * 1024)
    response = client.post(reverse("attendance_upload"), {"file": _file(sixty_mb)})
    page = client.get(response.url).content.decode()
    assert "The file is 60.0 MB" in page
    assert bytes(AttendanceUpload.objects.get().content) == b""


def test_a_home_school_register_over_the_limit_is_told_its_real_size(client, setting):
    lead = member_of(setting.school, Membership.Role.DESIGNATED_LEAD, username="big-file")
    client.force_login(lead)
    sixty_mb = b"UPN,Date,Session,Mark\n" + b"x" * (60 * 1024 * 1024)
    page = client.post(reverse("home_school_upload"), {"file": _file(sixty_mb)}).content.decode()
    assert "The file is 60.0 MB" in page
