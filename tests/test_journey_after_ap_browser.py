"""In a real browser, the journey of issue 12: from a placement to its first review, which decides to end it, to the
exit and where the young person went, to a destination check after they left in Year 11; and the LA's dashboard
flags the first review while it is overdue. Clicks and typing wherever the pages offer a link; axe-core on every page.

The day is fixed, 12 October 2026, so that Jo's review is overdue, her September Guarantee check is overdue and her
October check is due, whatever day the suite runs.
"""

import re
from datetime import date

import pytest
import time_machine

from casework.models import DestinationCheck, PlacementExit, Review
from tests.chromium import assert_accessible, sign_in
from tests.factories import ChildFactory, PersonalisedPlanFactory, PlacementFactory, ProviderFactory
from tests.test_reviews import with_terms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = date(2026, 10, 12)


@pytest.fixture(autouse=True)
def on_the_day():
    with time_machine.travel(DAY, tick=True):
        yield


def _date(page, prefix: str, day: date) -> None:
    page.locator(f"#id_{prefix}_0").fill(str(day.day))
    page.locator(f"#id_{prefix}_1").fill(str(day.month))
    page.locator(f"#id_{prefix}_2").fill(str(day.year))


def test_a_placement_is_reviewed_ended_and_the_young_person_followed_after_ap(
    page, live_server, area, school, la_officer
):
    with_terms(area)
    # Jo turned 16 in January 2026, in Year 11; her placement ran from March to the end of the summer term.
    child = ChildFactory(
        area=area, home_school=school, first_name="Jo", last_name="Reed", date_of_birth=date(2010, 1, 15)
    )
    placement = PlacementFactory(
        child=child,
        provider=ProviderFactory(organisation__area=area, organisation__name="Northgate PRU"),
        commissioner=school,
        start_date=date(2026, 3, 2),
        planned_end_date=date(2026, 7, 17),
    )
    PersonalisedPlanFactory(placement=placement, objectives=1)

    sign_in(page, live_server, la_officer.username)
    # The dashboard flags her review: the first fell due six school weeks after the start, in April.
    page.get_by_role("link", name="children: Reviews overdue").click()
    page.get_by_role("heading", name="Reviews overdue").wait_for()
    assert "Reed, Jo" in page.content()
    assert_accessible(page, "flag-reviews-overdue")

    page.get_by_role("link", name="Reed, Jo").click()
    page.get_by_role("link", name="Reviews of the placement at Northgate PRU").click()
    page.get_by_role("link", name="Record a review").click()
    page.get_by_role("heading", name="Record a review").wait_for()
    assert_accessible(page, "review-form")
    _date(page, "held_on", date(2026, 7, 10))
    for who in ("The commissioner", "The provider", "The family", "The child"):
        page.get_by_role("checkbox", name=who, exact=True).check()
    page.get_by_role("radio", name="Met", exact=True).check()
    page.get_by_label("Evidence").fill("Attended 94% since Easter; sat her GCSEs")
    page.get_by_label("The child's views").fill("Wants to go to college for hair and beauty")
    page.get_by_label("The family's views").fill("Mum wants her supported on the first days at college")
    page.get_by_role("radio", name="End the placement", exact=True).check()
    page.get_by_role("button", name="Save").click()

    # The decision to end it leads to the exit.
    page.get_by_role("heading", name="End the placement").wait_for()
    assert_accessible(page, "exit-form")
    assert Review.objects.get().decision == "end"
    _date(page, "end_date", date(2026, 7, 17))
    page.get_by_label("Post-16 education").check()
    page.get_by_label("Post-16 activity (NCCIS code)").select_option("230")
    page.get_by_label("Transition plan").fill("Two visits to the college in July; her key worker meets her on day one")
    page.get_by_label("Name of the person who supports the child after the move").fill("Sam Okafor")
    page.get_by_label("Their role").fill("Key worker")
    page.get_by_label("Their organisation").fill("Northgate PRU")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="How the placement ended").wait_for()
    assert_accessible(page, "reviews-after-exit")
    exit_ = PlacementExit.objects.get()
    assert (exit_.destination, exit_.post16_activity) == ("post_16_education", "230")

    # She left in Year 11: the LA follows her, and records her October activity.
    page.goto(f"{live_server.url}/destinations/")
    assert_accessible(page, "destinations-due")
    page.get_by_role("link", name="Jo Reed", exact=True).click()
    assert_accessible(page, "leaving-destinations")
    page.get_by_role("link", name=re.compile(r"Record it\W+October activity")).click()
    assert_accessible(page, "destination-check-form")
    page.get_by_label("What the young person is doing").select_option("230")
    _date(page, "checked_on", date(2026, 10, 9))
    page.get_by_label("Confirmed by the college, training provider or employer").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Jo Reed's timeline").wait_for()
    assert_accessible(page, "leaving-destinations-after")
    check = DestinationCheck.objects.get()
    assert (check.kind, check.activity, check.checked_on) == ("october", "230", date(2026, 10, 9))

    # The timeline tells the review, the ending and the check.
    page.get_by_role("link", name="Jo Reed's timeline").click()
    page.get_by_text("Review of the placement at Northgate PRU").wait_for()
    timeline = page.content()
    assert "Review of the placement at Northgate PRU: end the placement" in timeline
    assert "went on to post-16 education" in timeline
    assert "October activity" in timeline
    assert "supported after the move by Sam Okafor" in timeline
    assert_accessible(page, "timeline-after-ap")
