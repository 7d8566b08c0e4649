"""In Chromium: a provider takes today's register, uploads a file with errors then corrected; LA and school
pages of attendance and alerts; axe-core finds nothing serious on any of them."""

from datetime import date, datetime

import pytest
import time_machine

from attendance.models import AttendanceMark
from core.models import Membership
from tests.attendance_helpers import make_setting, register_csv
from tests.chromium import assert_accessible, sign_in
from tests.factories import member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A Thursday in term, late morning: after the daily check.
NOW = datetime(2026, 11, 19, 11, 15)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


def test_provider_register_and_upload_then_la_and_school_views(page, live_server, clock, area, la_officer, tmp_path):  # noqa: F811
    setting = make_setting(area, children=3)
    today = NOW.date()
    children = sorted(setting.children, key=lambda c: (c.last_name, c.first_name))

    sign_in(page, live_server, setting.manager.username)
    page.get_by_role("link", name="Attendance", exact=True).click()
    assert_accessible(page, "attendance-provider-home")
    page.get_by_role("link", name="Take today's register").click()
    page.get_by_label(f"{children[0].full_name}, morning").select_option("/")
    page.get_by_label(f"{children[1].full_name}, morning").select_option("N")
    assert_accessible(page, "attendance-register")
    page.get_by_role("button", name="Save register").click()
    page.get_by_text("marks recorded or changed").wait_for()
    assert AttendanceMark.objects.filter(date=today).count() == 2

    rows = [
        [c.upn, f"{d:%d/%m/%Y}", s, "/"]
        for d in (date(2026, 11, 16), date(2026, 11, 17))
        for c in children
        for s in ("AM", "PM")
    ]
    rows[2][3] = "ZZ"
    bad = tmp_path / "register.csv"
    bad.write_bytes(register_csv(rows))
    page.get_by_role("link", name="Attendance", exact=True).click()
    page.get_by_label("Register file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_text("1 problem to put right").wait_for()
    assert page.get_by_role("cell", name="ZZ", exact=True).is_visible()
    assert_accessible(page, "attendance-upload-errors")

    rows[2][3] = "/"
    good = tmp_path / "register-corrected.csv"
    good.write_bytes(register_csv(rows))
    page.get_by_role("link", name="Upload another file").click()
    page.get_by_label("Register file").set_input_files(str(good))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("button", name="Save these marks").click()
    page.get_by_text("Saved 12 new and 0 changed marks.").wait_for()
    assert AttendanceMark.objects.count() == 14

    from django.utils import timezone

    from attendance.alerts import alerts_raise

    alerts_raise(now=timezone.make_aware(NOW), notify=False)

    context = page.context
    context.clear_cookies()
    sign_in(page, live_server, la_officer.username)
    page.goto(f"{live_server.url}/attendance/?period=week")
    assert page.get_by_text(children[1].full_name).first.is_visible()
    assert_accessible(page, "attendance-la-overview")
    page.get_by_role("link", name="By setting").click()
    assert_accessible(page, "attendance-la-by-setting")
    page.get_by_role("link", name="Attendance alerts").click()
    assert_accessible(page, "alerts")
    page.get_by_role("link", name=f"Record what happened about {children[1].full_name}").click()
    page.get_by_role("button", name="Close the alert").click()
    page.locator(".govuk-error-summary").wait_for()
    assert_accessible(page, "alert-close-error")
    page.get_by_label("Absence explained").check()
    page.get_by_role("button", name="Close the alert").click()
    page.get_by_text("Alert closed").wait_for()
    page.goto(f"{live_server.url}/attendance/children/{children[0].public_id}/")
    assert_accessible(page, "child-attendance")

    context.clear_cookies()
    member_of(setting.school, Membership.Role.DESIGNATED_LEAD, username="dsl-browser")
    sign_in(page, live_server, "dsl-browser")
    page.get_by_role("link", name="Attendance", exact=True).click()
    page.get_by_role("link", name="Your register for pupils in AP").click()
    page.get_by_label(f"{children[2].full_name}, morning").select_option("B")
    assert_accessible(page, "home-school-register")
    page.get_by_role("button", name="Save register").click()
    page.get_by_text("saved for 1 sessions").wait_for()


def test_a_silly_date_and_a_settings_absence_rate_read_plainly(page, live_server, clock, area, la_officer):  # noqa: F811
    """The register asked for 01/01/0001 shows today and says why; by setting, the LA reads a rate, not a label."""
    setting = make_setting(area, children=3)
    sign_in(page, live_server, setting.manager.username)
    page.goto(f"{live_server.url}/attendance/register/?date=01/01/0001")
    page.get_by_text("The register shows today instead").wait_for()
    assert "Success" not in page.locator(".govuk-notification-banner__title").inner_text()
    assert_accessible(page, "attendance-register-silly-date")
    children = sorted(setting.children, key=lambda c: (c.last_name, c.first_name))
    page.get_by_label(f"{children[0].full_name}, morning").select_option("N")
    page.get_by_label(f"{children[1].full_name}, morning").select_option("/")
    page.get_by_label(f"{children[2].full_name}, morning").select_option("/")
    page.get_by_role("button", name="Save register").click()
    page.get_by_text("marks recorded or changed").wait_for()

    page.context.clear_cookies()
    sign_in(page, live_server, la_officer.username)
    page.goto(f"{live_server.url}/attendance/?by=provider&period=week")
    page.get_by_role("cell", name="1 of 3 pupils (33.3%)").first.wait_for()
    assert_accessible(page, "attendance-by-setting-rates")
