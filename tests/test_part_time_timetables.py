"""A school tells the LA, once, about a pupil on a part-time timetable, in the same place as the AP it commissions."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEventChild
from placements.models import PartTimeTimetable
from tests.factories import ChildFactory, PlacementFactory, ProviderFactory
from tests.helpers import date_fields
from tests.test_access import SEES, STAFF, borough  # noqa: F401 - the role matrix's borough

pytestmark = pytest.mark.django_db

TODAY = date.today()
# Who records a pupil's part-time timetable: the LA of the area, and the pupil's own school (Aisha's).
RECORDS = {role: set() for role in SEES} | {"la": {"a", "b", "c", "d"}, "school": {"a"}}


def timetable_data(**overrides):
    start = overrides.pop("start", TODAY)
    data = {
        "reason": "phased_return",
        "reason_detail": "Returning after eight weeks at home with anxiety",
        "hours_per_week": "12.5",
        "timetable": ["0", "2", "4", "6"],
        "plan_to_increase": "Add an afternoon every fortnight, reviewed with mum and the pastoral lead",
        **date_fields("start_date", start),
        **date_fields("time_limit", overrides.pop("time_limit", start + timedelta(weeks=6))),
        **date_fields("review_date", overrides.pop("review", start + timedelta(weeks=2))),
        **date_fields("parents_agreed_on", overrides.pop("agreed", TODAY - timedelta(days=2))),
    }
    data.update(overrides)
    return data


def record(client, child, **overrides):
    return client.post(reverse("part_time_timetable_new", args=[child.public_id]), timetable_data(**overrides))


@pytest.mark.parametrize("role", STAFF)
def test_each_role_records_exactly_the_timetables_the_policy_names(client, borough, role):  # noqa: F811
    client.force_login(borough.users[role])
    for key, child in borough.children.items():
        status = client.get(reverse("part_time_timetable_new", args=[child.public_id])).status_code
        expected = 200 if key in RECORDS[role] else 403 if key in SEES[role] else 404
        assert status == expected, f"{role} recording a timetable for {child.first_name}"
        response = record(client, child)
        assert response.status_code == (302 if key in RECORDS[role] else expected)
    recorded = set(PartTimeTimetable.objects.values_list("child__first_name", flat=True))
    assert recorded == {borough.children[k].first_name for k in RECORDS[role]}


def test_an_inspector_records_nothing(client, borough):  # noqa: F811
    client.force_login(borough.users["nobody"])
    aisha = borough.children["a"]
    assert record(client, aisha).status_code in (403, 404)
    assert not PartTimeTimetable.objects.exists()


def test_the_school_tells_the_la_once_and_the_la_sees_it(client, borough):  # noqa: F811
    aisha = borough.children["a"]
    client.force_login(borough.users["school"])
    assert record(client, aisha).status_code == 302
    timetable = PartTimeTimetable.objects.get()
    assert (timetable.school, timetable.timetable, timetable.hours_per_week) == (aisha.home_school, "1010101000", 12.5)
    events = AuditEventChild.objects.filter(
        child_public_id=aisha.public_id, event__action="part_time_timetable_recorded"
    )
    assert events.count() == 1

    client.force_login(borough.users["la"])
    assert "1 pupil on part-time timetables" in client.get(reverse("dashboard")).content.decode()
    listed = client.get(reverse("told_by_schools") + "?show=timetables").content.decode()
    assert aisha.full_name in listed
    assert "A phased return" in listed
    page = client.get(aisha.get_absolute_url()).content.decode()
    assert "Add an afternoon every fortnight" in page
    assert "Past its time limit" not in page
    # The other school and the setting never see it: Aisha is not their pupil.
    client.force_login(borough.users["health"])
    assert aisha.full_name not in client.get(reverse("told_by_schools") + "?show=timetables").content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"timetable": [str(i) for i in range(10)]}, "timetable", "leaves out some sessions"),
        ({"timetable": []}, "timetable", "Choose the sessions the pupil is in school"),
        ({"hours_per_week": "20", "timetable": ["0", "1"]}, "timetable", "do not fit in 2 sessions"),
        ({"time_limit": TODAY - timedelta(days=1)}, "time_limit", "same as or after the start date"),
        ({"review": TODAY + timedelta(weeks=8)}, "review_date", "between the start date and the time limit"),
        ({"agreed": TODAY + timedelta(days=1)}, "parents_agreed_on", "today or in the past"),
        ({"reason": "behaviour"}, "reason", "Select a valid choice"),
        ({"plan_to_increase": ""}, "plan_to_increase", "how the hours will increase"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(client, borough, overrides, field, words):  # noqa: F811
    client.force_login(borough.users["school"])
    response = record(client, borough.children["a"], **overrides)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(words in e for e in errors.get(field, [])), errors
    assert not PartTimeTimetable.objects.exists()


def test_one_running_timetable_at_a_time_and_ending_it_lets_the_next_be_told(client, borough):  # noqa: F811
    aisha = borough.children["a"]
    client.force_login(borough.users["school"])
    assert record(client, aisha).status_code == 302
    again = record(client, aisha, start=TODAY + timedelta(days=1))
    assert "already has a part-time timetable that has not ended" in str(again.context["form"].errors)
    first = PartTimeTimetable.objects.get()
    ended = timetable_data(**date_fields("end_date", TODAY))
    assert client.post(reverse("part_time_timetable_edit", args=[first.public_id]), ended).status_code == 302
    assert record(client, aisha, start=TODAY + timedelta(days=1)).status_code == 302
    assert PartTimeTimetable.objects.count() == 2


def test_the_la_lists_the_ap_schools_commission_with_their_end_and_review(client, area, la_officer, school):
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")
    told = PlacementFactory(
        child=ChildFactory(area=area, home_school=school),
        provider=provider,
        planned_end_date=TODAY + timedelta(weeks=6),
        review_date=TODAY - timedelta(days=3),
    )
    PlacementFactory(
        child=ChildFactory(area=area, home_school=school),
        provider=provider,
        commissioner=la_officer.primary_organisation,
        reason="apc_pex",
    )
    client.force_login(la_officer)
    page = client.get(reverse("told_by_schools")).context["page"]
    assert [p.pk for p in page] == [told.pk], "only what schools commissioned"
    html = client.get(reverse("told_by_schools")).content.decode()
    assert f"{told.review_date:%-d %b %Y}" in html
    assert "Past its planned end" not in html


def test_the_list_costs_the_same_queries_however_many_arrangements(client, area, la_officer, school):
    provider = ProviderFactory(organisation__area=area)
    client.force_login(la_officer)

    def grow(count):
        for _ in range(count):
            child = ChildFactory(area=area, home_school=school)
            PlacementFactory(child=child, provider=provider, planned_end_date=TODAY, review_date=TODAY)
            PartTimeTimetable.objects.create(
                child=child, school=school, reason="health", reason_detail="x", hours_per_week=10, timetable="1100000000",
                start_date=TODAY, time_limit=TODAY, review_date=TODAY, parents_agreed_on=TODAY, plan_to_increase="x",
                created_by=la_officer,
            )  # fmt: skip

    grow(2)
    counts = []
    for _round in range(2):
        with CaptureQueriesContext(connection) as small:
            client.get(reverse("told_by_schools"))
            client.get(reverse("told_by_schools") + "?show=timetables")
        counts.append(len(small))
        grow(20)
    assert counts[0] == counts[1]
