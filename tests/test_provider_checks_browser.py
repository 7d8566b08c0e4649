"""In a real browser: the LA records a provider's check with its evidence file, sees where every check stands,
lists the checks expiring, and produces the written confirmation for a school. axe-core on every page."""

from datetime import date, timedelta

import pytest

from providers.models import ProviderCheck
from tests.chromium import assert_accessible, sign_in
from tests.factories import ProviderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_la_records_a_check_lists_what_is_expiring_and_produces_a_schools_confirmation(
    page, live_server, area, school, la_officer, tmp_path
):
    provider = ProviderFactory(organisation__area=area, organisation__name="Back Lane Workshop")
    ProviderCheck.objects.create(
        provider=provider,
        check_type="first_aid",
        outcome="satisfactory",
        evidence="Two first aiders' certificates",
        seen_by="Sam Patel",
        seen_on=date.today() - timedelta(days=360),
        expires_on=date.today() + timedelta(days=5),
        recorded_by=la_officer,
        recorded_for=la_officer.primary_organisation,
    )
    certificate = tmp_path / "el-certificate.pdf"
    certificate.write_bytes(b"%PDF-1.4 certificate")

    sign_in(page, live_server, la_officer.username)
    page.goto(f"{live_server.url}/providers/")
    assert_accessible(page, "provider-directory-checks")
    page.get_by_role("link", name="1 provider check expired or expiring").click()
    page.get_by_role("heading", name="Providers' checks expired or expiring").wait_for()
    assert "First aid" in page.content()
    assert_accessible(page, "checks-expiring")

    page.get_by_role("link", name="Back Lane Workshop").click()
    page.get_by_role("heading", name="Safeguarding and compliance checks").wait_for()
    assert_accessible(page, "provider-checks")
    page.get_by_role("link", name="Record insurance: employer's liability").click()
    page.get_by_role("heading", name="Record a check").wait_for()
    assert_accessible(page, "check-form")
    page.get_by_role("radio", name="Seen and satisfactory").check()
    page.get_by_role("button", name="Save the check").click()
    page.get_by_text("Enter the evidence seen").first.wait_for()
    assert_accessible(page, "check-form-errors")
    page.get_by_role("radio", name="Seen and satisfactory").check()
    page.get_by_label("Evidence seen").fill("Certificate displayed in reception: Zurich, £10m, ends 31 March")
    page.get_by_label("Evidence file").set_input_files(str(certificate))
    page.get_by_role("button", name="Save the check").click()
    page.get_by_role("heading", name="Safeguarding and compliance checks").wait_for()
    assert "el-certificate.pdf" in page.content()
    assert ProviderCheck.objects.filter(check_type="insurance_employers_liability").get().content == (
        b"%PDF-1.4 certificate"
    )

    page.get_by_role("link", name="Written confirmation of checks").click()
    page.get_by_role("heading", name="Written confirmation of checks").wait_for()
    assert_accessible(page, "check-confirmation-choose")
    page.get_by_label("For which commissioner").select_option(label=school.name)
    page.get_by_role("button", name="Produce the confirmation").click()
    page.get_by_role("heading", name="Back Lane Workshop").wait_for()
    assert "Not a full confirmation" in page.content()
    assert "Insurance: employer's liability" in page.content()
    assert_accessible(page, "check-confirmation")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
