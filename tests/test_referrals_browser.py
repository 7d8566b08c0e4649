"""In a real browser: a school refers a pupil not yet on the system, the LA fast-tracks it; axe-core on every page."""

from datetime import date, timedelta

import pytest

from casework.models import Referral
from tests.chromium import assert_accessible, sign_in
from tests.factories import valid_upn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _date(page, prefix: str, day: date) -> None:
    page.locator(f"#id_{prefix}_0").fill(str(day.day))
    page.locator(f"#id_{prefix}_1").fill(str(day.month))
    page.locator(f"#id_{prefix}_2").fill(str(day.year))


def test_a_school_adds_and_refers_a_pupil_and_the_la_fast_tracks_the_referral(
    page, live_server, school_lead, la_officer, school
):
    upn = valid_upn(4711)
    sign_in(page, live_server, school_lead.username)
    page.get_by_role("link", name="Referrals", exact=True).click()
    assert_accessible(page, "referrals-school")
    page.get_by_role("link", name="Refer a child").click()
    page.get_by_label("Unique pupil number (UPN)").fill(upn)
    page.get_by_role("button", name="Find the child").click()
    page.get_by_role("heading", name=f"No child you may see has UPN {upn}").wait_for()
    assert_accessible(page, "referral-find-none")

    page.get_by_role("link", name="Add the child").click()
    assert page.get_by_label("Unique pupil number (UPN)").input_value() == upn
    page.get_by_label("First name").fill("Riley")
    page.get_by_label("Last name").fill("Hughes")
    _date(page, "date_of_birth", date.today() - timedelta(days=14 * 365))
    page.get_by_label("Female").check()
    page.get_by_label("Ethnicity").select_option("WBRI")
    page.get_by_label("SEN support").check()
    page.get_by_label("Primary SEN need").select_option("SEMH")
    page.get_by_label("No EHC plan").check()
    page.get_by_role("button", name="Save").click()

    page.get_by_role("heading", name=f"Children with UPN {upn}").wait_for()
    assert_accessible(page, "referral-find-found")
    page.get_by_role("link", name="Refer Riley Hughes").click()
    assert "Social, emotional and mental health" in page.get_by_label("The child's needs").input_value()
    assert_accessible(page, "referral-form")
    page.get_by_label("Main reason for the referral").select_option("ebsa")
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("heading", name="Check your answers before sending the referral").wait_for()
    assert page.get_by_text("Say what has been tried in school").is_visible()
    assert_accessible(page, "referral-check-incomplete")
    page.get_by_role("button", name="Send the referral").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Enter the date the family consented to the referral" in summary.inner_text()
    assert_accessible(page, "referral-send-refused")

    page.get_by_role("link", name="Complete the referral").click()
    page.get_by_label("What has been tried in school").fill("Mentoring since September by the Head of Year")
    page.get_by_label("Risks and safeguarding").fill("None known")
    page.locator("#id_child_views_gathered_5").check()  # "They declined to give their views"
    page.get_by_label("The parent or carer's views").fill("Wants a fresh start")
    page.locator("#id_family_views_gathered_0").check()  # "In person"
    _date(page, "family_consented_on", date.today())
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name="Now send the referral").wait_for()
    page.get_by_role("button", name="Send the referral").click()
    page.get_by_text("sent to the local authority").wait_for()
    assert_accessible(page, "referral-sent")
    referral = Referral.objects.get(child__upn=upn)
    assert referral.status == "sent"
    assert referral.child_views_gathered == "declined"

    page.context.clear_cookies()
    sign_in(page, live_server, la_officer.username)
    page.goto(f"{live_server.url}/referrals/")
    page.get_by_role("link", name="Riley Hughes").click()
    page.get_by_role("link", name="Fast-track").click()
    assert_accessible(page, "referral-fast-track")
    page.get_by_label("Why does this referral need to go ahead of the queue?").fill("Out of school for six weeks")
    page.get_by_role("button", name="Fast-track").click()
    page.get_by_text("it is now at the head of the queue").wait_for()
    assert_accessible(page, "referral-detail-la")
    page.get_by_role("link", name="Back to referrals").click()
    assert page.locator("tbody tr").first.get_by_text("Fast-tracked").is_visible()
    assert_accessible(page, "referral-queue")
