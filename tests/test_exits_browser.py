"""In a real browser: the LA ends a placement from its reviews page, back to the home school, and records how the
return went; axe-core on every page, the form's error page too."""

from datetime import date, timedelta

import pytest

from casework.models import PlacementExit, ReintegrationAttempt
from tests.chromium import assert_accessible, sign_in
from tests.test_reviews import placement  # noqa: F401 - a placement with its setting's terms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _date(page, prefix: str, day: date) -> None:
    page.locator(f"#id_{prefix}_0").fill(str(day.day))
    page.locator(f"#id_{prefix}_1").fill(str(day.month))
    page.locator(f"#id_{prefix}_2").fill(str(day.year))


def test_the_la_ends_a_placement_back_to_school_and_the_return_is_tracked(page, live_server, la_officer, placement):  # noqa: F811
    sign_in(page, live_server, la_officer.username)
    page.goto(f"{live_server.url}/placements/{placement.public_id}/reviews/")
    assert_accessible(page, "reviews-before-exit")
    page.get_by_role("link", name="End the placement").click()
    page.get_by_role("heading", name="End the placement").wait_for()
    assert_accessible(page, "exit-form")
    page.get_by_role("button", name="Save").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "Choose why the placement ended" in page.content()
    assert_accessible(page, "exit-form-errors")
    page.get_by_label("Returned to mainstream school").check()
    _date(page, "end_date", date.today() - timedelta(days=1))
    page.get_by_label("Back to the home school").check()
    page.get_by_label("Transition plan").fill("Mornings first for two weeks; a key adult at the gate")
    page.get_by_label("Name of the person who supports the child after the move").fill("Sam Okafor")
    page.get_by_label("Their role").fill("Key worker")
    page.get_by_label("Their organisation").fill("Northgate PRU")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="How the placement ended").wait_for()
    assert_accessible(page, "reviews-after-exit")
    assert PlacementExit.objects.get().destination == "home_school"
    attempt = ReintegrationAttempt.objects.get()
    page.get_by_role("link", name="Record how it went").first.click()
    page.get_by_role("heading", name="How the return to school went").wait_for()
    assert_accessible(page, "reintegration-outcome")
    page.goto(f"{live_server.url}/returns/")
    page.get_by_role("heading", name="Returns to school: outcomes due").wait_for()
    assert_accessible(page, "reintegrations-due")
    assert attempt.six_weeks_on is not None
