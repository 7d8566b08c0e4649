"""A page's number of SQL queries is pinned, and must not grow with the number of children."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ChildFactory,
    ExclusionFactory,
    InvolvementFactory,
    PersonalisedPlanFactory,
    PlacementFactory,
    ProviderFactory,
)

pytestmark = pytest.mark.django_db

# Each page's number of SQL queries, pinned: a change that adds one must say why here.
PINNED = {
    # The "Providers needing attention" panel adds one query for the visits overdue, one for the actions, one
    # for the providers' checks expired or expiring. Today's open placements are read once for the breakdowns, the
    # flags they raise, the hours across settings and the registration test, with one more for the settings' names.
    "dashboard": ("/", 19),
    # The children behind a flag are paged by the database, sorted by name: counted, then one page read.
    "oversight flag": ("/oversight/registration-risk/", 6),
    "register": ("/register/", 10),
    "filtered register": (
        "/register/?period=current&registration=state_maintained&pattern=part_time&sort=-start",
        10,
    ),
    # One more for the LA: its providers' checks expired or expiring, counted (issue 13, item 3); one more as the
    # directory counts its settings for its pages (issue 13, item 1). Searched from a postcode, it is pinned in
    # tests/test_provider_directory.py, with providers that are near.
    "provider list": ("/providers/", 7),
    "children": ("/children/", 7),
    # One fewer since the LA is known not to be a provider's staff without asking the database.
    # The database sorts and pages the lines (counted, then a page): only the page's children and settings are read.
    "attendance by child": ("/attendance/", 10),
    "attendance by setting": ("/attendance/?by=provider", 11),
    "attendance by type": ("/attendance/?by=type", 10),
    "alerts": ("/alerts/", 5),
    "children recorded twice": ("/children/recorded-twice/", 5),
    "inspections": ("/inspections/", 6),
}
PAGES = [(name, url) for name, (url, _count) in PINNED.items()]


def grow(area, school, children: int, providers: list):
    for i in range(children):
        child = ChildFactory(area=area, home_school=school)
        PlacementFactory(child=child, provider=providers[i % len(providers)], commissioner=school)
        if i % 5 == 0:
            InvolvementFactory(child=child)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_pages_cost_the_same_queries_at_50_and_500_children(client, la_officer, area, school):
    providers = [ProviderFactory(organisation__area=area) for _ in range(3)]
    grow(area, school, 50, providers)
    client.force_login(la_officer)
    small = {name: queries_for(client, url) for name, url in PAGES}
    grow(area, school, 450, providers)
    large = {name: queries_for(client, url) for name, url in PAGES}
    assert small == large
    assert small == {name: count for name, (_url, count) in PINNED.items()}


def test_child_and_provider_pages_do_not_grow_with_placements(client, la_officer, area, school):
    child = ChildFactory(area=area, home_school=school)
    providers = [ProviderFactory(organisation__area=area) for _ in range(12)]
    PlacementFactory(child=child, provider=providers[0], commissioner=school)
    client.force_login(la_officer)
    child_url = reverse("child_detail", args=[child.public_id])
    provider_url = reverse("provider_detail", args=[providers[0].public_id])
    before = (queries_for(client, child_url), queries_for(client, provider_url))
    for provider in providers[1:]:
        PlacementFactory(child=child, provider=provider, commissioner=school)
        PlacementFactory(child=ChildFactory(area=area, home_school=school), provider=providers[0], commissioner=school)
    assert (queries_for(client, child_url), queries_for(client, provider_url)) == before


def test_child_page_does_not_grow_with_exclusions_and_plans(client, la_officer, area, school):
    child = ChildFactory(area=area, home_school=school)
    providers = [ProviderFactory(organisation__area=area) for _ in range(6)]
    PersonalisedPlanFactory(placement=PlacementFactory(child=child, provider=providers[0], commissioner=school))
    ExclusionFactory(child=child)
    client.force_login(la_officer)
    url = reverse("child_detail", args=[child.public_id])
    before = queries_for(client, url)
    for provider in providers[1:]:
        PersonalisedPlanFactory(
            placement=PlacementFactory(child=child, provider=provider, commissioner=school), objectives=3
        )
        ExclusionFactory(child=child)
    assert queries_for(client, url) == before
