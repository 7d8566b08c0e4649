"""Every dashboard figure leads to a register page listing exactly the children behind it."""

import pytest
from django.urls import reverse

from core.models import User
from demo.borough import borough_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_officer():
    borough_build(children=80, seed=7)
    return User.objects.get(username="la-officer")


def test_each_dashboard_figure_matches_its_register_page(client, demo_officer):
    client.force_login(demo_officer)
    dashboard = client.get(reverse("dashboard")).context
    register = client.get(reverse("register"), {"period": "current"}).context
    assert register["page"].paginator.count == dashboard["total"] > 0
    checked = 0
    for breakdown in dashboard["breakdowns"]:
        key = breakdown["dimension"].key
        for value, label, count in breakdown["rows"]:
            listed = client.get(reverse("register"), {"period": "current", key: value}).context["page"].paginator.count
            assert listed == count, f"{key}={value} ({label})"
            checked += count > 0
    assert checked > 20


def test_register_search_by_name_and_upn(client, demo_officer):
    client.force_login(demo_officer)
    first = client.get(reverse("register")).context["page"][0]
    for term in (first.upn, first.last_name, f"{first.first_name} {first.last_name}"):
        found = [c.pk for c in client.get(reverse("register"), {"q": term}).context["page"]]
        assert first.pk in found, term


def test_register_sorts_and_pages(client, demo_officer):
    client.force_login(demo_officer)
    by_age = list(client.get(reverse("register"), {"sort": "age"}).context["page"])
    assert [c.date_of_birth for c in by_age] == sorted((c.date_of_birth for c in by_age), reverse=True)
    second = client.get(reverse("register"), {"page": 2}).context["page"]
    assert second.number == 2 or second.paginator.num_pages == 1


def test_unknown_filter_values_are_ignored_not_errors(client, demo_officer):
    client.force_login(demo_officer)
    response = client.get(reverse("register"), {"need": "<script>", "sort": "password", "period": "x", "page": "-1"})
    assert response.status_code == 200
    assert response.context["query"].filters == {}


def test_the_dashboard_counts_placements_without_a_personalised_plan(client, demo_officer):
    client.force_login(demo_officer)
    dashboard = client.get(reverse("dashboard")).context
    plan = next(b for b in dashboard["breakdowns"] if b["dimension"].key == "plan")
    counts = {value: count for value, _label, count in plan["rows"]}
    assert counts["yes"] > 0
    assert counts["no"] > 0, "the demo leaves some open-ended placements without a plan"
    listed = client.get(reverse("register"), {"period": "current", "plan": "no"}).context["page"]
    for child in listed:
        assert any(not hasattr(p, "personalised_plan") for p in child.register_placements)


def test_the_attendance_overview_pages_every_line_worst_first_as_the_whole_list_sorts(client, demo_officer):
    """The overview's pages, sorted and paged by the database, hold the lines of the whole list in its order."""
    from datetime import date

    from django.conf import settings

    from attendance.periods import Period
    from attendance.selectors import attendance_by_child, worst_first

    today = date.today()
    period = Period("year", date(today.year - 1, 9, 1), today)
    whole = attendance_by_child(user=demo_officer, period=period, today=today)
    assert len(whole) > settings.REGISTER_PAGE_SIZE  # more than one page

    paged, number = [], 1
    client.force_login(demo_officer)
    while True:
        response = client.get(reverse("attendance_home"), {"period": "custom", "start": f"{period.start:%d/%m/%Y}",
                                                           "end": f"{period.end:%d/%m/%Y}", "page": number})  # fmt: skip
        page = response.context["lines"]
        paged += list(page.object_list)
        if not page.has_next():
            break
        number += 1
    assert [(line.child, line.provider, line.possible, line.attended) for line in paged] == [
        (line.child, line.provider, line.possible, line.attended) for line in worst_first(paged)
    ]
    assert sorted((line.child.public_id, line.provider.public_id) for line in paged) == sorted(
        (line.child.public_id, line.provider.public_id) for line in whole
    )
    assert [line.percentage for line in paged] == [line.percentage for line in whole]
