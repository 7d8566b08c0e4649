"""In a real browser, the directory (issue 13, item 1): the LA imports a GIAS extract, a school searches the
directory by need and distance from a postcode, and a bad postcode is named in the error summary. axe-core on
every page."""

import pytest

from providers.models import Provider
from tests.chromium import assert_accessible, sign_in
from tests.factories import ProviderFactory
from tests.test_provider_directory import extract, gias, north_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_la_imports_from_gias_and_a_school_finds_a_setting_near_a_postcode(
    page, live_server, area, la_officer, school_lead, tmp_path
):
    far = ProviderFactory(organisation__area=area, organisation__name="Far Away School", specialisms=["semh"])
    far.latitude, far.longitude = north_of(40)
    far.save()
    rows = [
        gias(140001, EstablishmentName="Northgate Pupil Referral Unit"),
        gias(140002, **{"TypeOfEstablishment (name)": "Community school"}),
    ]
    path = tmp_path / "edubasealldata.csv"
    path.write_bytes(extract(rows, encoding="cp1252"))

    sign_in(page, live_server, la_officer.username)
    page.goto(f"{live_server.url}/providers/")
    page.get_by_role("link", name="Import from Get Information about Schools").click()
    page.get_by_role("heading", name="Import settings from Get Information about Schools").wait_for()
    assert_accessible(page, "gias-import")
    page.get_by_label("Establishment extract").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Check edubasealldata.csv").wait_for()
    assert "Left out" in page.content()
    assert_accessible(page, "gias-import-check")
    page.get_by_role("button", name="Import these settings").click()
    page.get_by_role("heading", name="AP providers").wait_for()
    northgate = Provider.objects.get(organisation__urn="140001")
    northgate.specialisms = ["semh"]
    northgate.save()
    page.context.clear_cookies()

    sign_in(page, live_server, school_lead.username)
    page.goto(f"{live_server.url}/providers/")
    page.get_by_label("Near the postcode").fill("not a postcode")
    page.get_by_role("button", name="Apply filters").first.click()
    page.get_by_role("link", name="Enter a postcode, like WA1 1UH, or its district, like WA1").wait_for()
    assert_accessible(page, "directory-error")
    page.get_by_label("Near the postcode").fill("WA1 1UH")
    page.get_by_label("Within").select_option("10")
    page.locator("summary", has_text="Need").click()
    page.get_by_role("checkbox", name="Social, emotional and mental health").check()
    page.get_by_role("button", name="Apply filters").first.click()
    page.get_by_text("within 10 miles, nearest first").wait_for()
    assert "Northgate Pupil Referral Unit" in page.content()
    assert "Far Away School" not in page.content()
    assert_accessible(page, "directory-searched")
    page.get_by_role("link", name="Northgate Pupil Referral Unit").click()
    page.get_by_role("heading", name="Offer, staff and costs").wait_for()
    assert "Key stage 3" in page.content()
    assert_accessible(page, "provider-directory-details")
