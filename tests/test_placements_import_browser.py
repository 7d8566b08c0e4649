"""Importing placements in a real browser: a file with a problem, corrected, then imported; axe-core clean."""

import pytest

from placements.models import Placement
from tests.chromium import assert_accessible, sign_in
from tests.factories import ChildFactory, ProviderFactory, valid_upn
from tests.import_helpers import as_csv
from tests.import_helpers import placement_row as row

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def choose_file(page, content: bytes) -> None:  # noqa: F811
    page.get_by_label("List of placements").set_input_files(
        {"name": "placements.csv", "mimeType": "text/csv", "buffer": content}
    )


def test_la_officer_imports_a_list_of_placements(page, live_server, la_officer, area, school):  # noqa: F811
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate Pupil Referral Unit")
    for i in (1, 2):
        ChildFactory(area=area, home_school=school, upn=valid_upn(i))
    sign_in(page, live_server, la_officer.username)
    page.goto(f"{live_server.url}/register/")
    page.get_by_role("link", name="Import placements").click()
    assert_accessible(page, "placements-import")
    choose_file(page, as_csv([row(1, provider), row(2, provider, **{"Hours per week": "40"})]))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Problems", exact=True).wait_for()
    assert page.get_by_role("cell", name="Hours per week must be between 0 and 32.5.").is_visible()
    assert_accessible(page, "placements-import-problems")
    page.get_by_role("link", name="Import placements").click()
    choose_file(page, as_csv([row(1, provider), row(2, provider)]))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import these placements").wait_for()
    assert_accessible(page, "placements-import-check")
    page.get_by_role("button", name="Import these placements").click()
    page.get_by_text("2 placements added").wait_for()
    assert_accessible(page, "placements-import-done")
    assert Placement.objects.count() == 2
