"""Each open placement's next review due, kept as the records change (casework.NextReview): a review meets the
next review date given, a review agrees the next one, and a change to the placement, the setting's calendar or the
area's intervals moves it, in the same transaction as the change."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from casework.models import NextReview
from casework.selectors.reviews import review_schedule_of, reviews_of
from casework.services.next_reviews import next_reviews_fill
from core.areas import area_review_intervals_update
from placements.services import placement_update
from terms.models import Term
from terms.services import term_delete
from tests.factories import ChildFactory, PlacementFactory, ProviderFactory
from tests.helpers import date_fields
from tests.test_reviews import new_url, people, placement, review_post  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

TODAY = date.today()


def next_review(of):
    return NextReview.objects.filter(placement=of).values_list("due_on", "kind").first()


def overdue_names(client, user) -> str:
    client.force_login(user)  # afresh: a session does not last the days travelled
    return client.get(reverse("reviews_overdue")).content.decode()


def test_a_review_held_before_the_date_given_meets_it(client, people, placement):  # noqa: F811
    fresh = PlacementFactory(
        child=ChildFactory(area=placement.child.area, home_school=placement.child.home_school, first_name="Ola"),
        provider=placement.provider,
        commissioner=placement.commissioner,
        start_date=TODAY - timedelta(days=3),
    )
    # A date the commissioner gives before the review the calendar would set: it brings that one forward.
    due_by_calendar, _kind = next_review(fresh)
    given = min(TODAY + timedelta(days=10), due_by_calendar - timedelta(days=1))
    placement_update(user=people.la_officer, placement=fresh, data={"review_date": given, "timetable": "1111100000"})
    assert next_review(fresh) == (given, "given")
    client.force_login(people.la_officer)
    assert client.post(new_url(fresh), review_post(fresh, progress=[])).status_code == 302
    fresh.refresh_from_db()
    assert fresh.review_date is None
    due, kind = next_review(fresh)
    assert kind != "given"
    assert due > given
    with time_machine.travel(given + timedelta(days=1)):
        assert fresh.child.full_name not in overdue_names(client, people.la_officer)


def test_a_review_agrees_the_date_of_the_next(client, people, placement):  # noqa: F811
    client.force_login(people.la_officer)
    agreed = TODAY + timedelta(days=20)
    response = client.post(new_url(placement), review_post(placement, **date_fields("next_review_on", agreed)))
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.review_date == agreed
    assert next_review(placement) == (agreed, "given")
    assert f"{agreed:%-d %B %Y}" in client.get(response.url).content.decode()
    with time_machine.travel(agreed + timedelta(days=1)):
        assert "Tia Moss" in overdue_names(client, people.la_officer)


def test_a_next_review_must_come_after_this_one_and_not_after_an_ending(client, people, placement):  # noqa: F811
    client.force_login(people.la_officer)
    page = client.post(new_url(placement), review_post(placement, **date_fields("next_review_on", TODAY)))
    assert page.context["form"].errors["next_review_on"] == ["The next review must be after the date of this review"]
    ending = review_post(placement, decision="end", **date_fields("next_review_on", TODAY + timedelta(days=9)))
    page = client.post(new_url(placement), ending)
    assert page.context["form"].errors["next_review_on"] == [
        "Leave the date of the next review empty: the placement is to end"
    ]
    assert next_review(placement)[1] != "given"


def test_a_change_to_the_setting_calendar_or_the_areas_intervals_moves_the_next_review(people, placement):  # noqa: F811
    fresh = PlacementFactory(
        child=ChildFactory(area=placement.child.area, home_school=placement.child.home_school),
        provider=placement.provider,
        commissioner=placement.commissioner,
        start_date=TODAY,
    )
    first, kind = next_review(fresh)
    assert kind == "first"
    area = placement.child.area
    data = {"first_review_weeks": 2, "second_review_weeks": 4, "review_every_half_terms": 1}
    area_review_intervals_update(user=people.la_officer, area=area, data=data)
    sooner, _ = next_review(fresh)
    assert sooner < first
    holding = Term.objects.get(calendar__area=area, starts_on__lte=sooner, ends_on__gte=sooner)
    term_delete(user=people.la_officer, term=holding)
    assert next_review(fresh) != (sooner, "first")


def test_the_overdue_list_and_the_placements_schedule_agree(client, people, placement):  # noqa: F811
    area = placement.child.area
    for days in (10, 45, 90, 200, 400):
        PlacementFactory(
            child=ChildFactory(area=area, home_school=placement.child.home_school),
            provider=ProviderFactory(organisation__area=area),
            commissioner=placement.commissioner,
            start_date=TODAY - timedelta(days=days),
        )
    client.force_login(people.la_officer)
    listed = {p.pk: p.next_review.due_on for p in client.get(reverse("reviews_overdue")).context["page"]}
    for p in area.children.all().values_list("placements", flat=True):
        one = type(placement).objects.get(pk=p)
        schedule = review_schedule_of(
            placement=one, reviews=reviews_of(user=people.la_officer, placement=one), today=TODAY
        )
        late = next((r.due for r in schedule if r.is_overdue(TODAY)), None)
        assert listed.get(one.pk) == late


def test_a_database_from_before_next_reviews_were_kept_gets_them_after_migrate(placement):  # noqa: F811
    before = next_review(placement)
    NextReview.objects.all().delete()
    next_reviews_fill()
    assert next_review(placement) == before
