"""The oversight flags, through HTTP: each raised by the records and cleared by them, the children behind each
with those looked after shown apart, for the LA only, at a fixed number of queries however many rows."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import EndReason
from core.models import AuditAction, AuditEvent, FullTimeTest
from placements.models import AttendancePattern, MainRoll, PartTimeTimetable, ProvisionType, RegistrationType
from providers.models import Registration
from terms.demo import standard_terms
from terms.models import Closure, Term
from tests.factories import (
    ChildFactory,
    ExclusionFactory,
    PersonalisedPlanFactory,
    PlacementExitFactory,
    PlacementFactory,
    ProviderFactory,
)
from tests.test_access import borough  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

# A Monday in the autumn term on the area's default calendar; half term was 26-30 October.
TODAY = date(2026, 12, 7)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def flagged(client, key) -> list[str]:
    """The first names on a flag's list, as the page shows them."""
    response = client.get(reverse("oversight_flag", args=[key]))
    assert response.status_code == 200
    return [row.child.first_name for row in response.context["rows"]]


def single(child, provider, commissioner, **fields):
    """A placement that is the whole of the child's education."""
    defaults = {
        "registration_type": RegistrationType.SINGLE,
        "main_roll": MainRoll.AP,
        "attendance_pattern": AttendancePattern.FULL_TIME,
        "hours_per_week": Decimal(25),
        "start_date": TODAY - timedelta(days=60),
    }
    return PlacementFactory(child=child, provider=provider, commissioner=commissioner, **(defaults | fields))


@pytest.fixture
def setting(area):
    return ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")


def test_past_planned_end_is_raised_by_the_date_and_cleared_by_ending_the_placement(
    client, la_officer, area, school, setting
):
    child = ChildFactory(area=area, home_school=school, first_name="Ola")
    care = ChildFactory(area=area, home_school=school, first_name="Cai", looked_after=True, looked_after_by=area)
    over = PlacementFactory(child=child, provider=setting, planned_end_date=TODAY - timedelta(days=1))
    PlacementFactory(
        child=care,
        provider=setting,
        start_date=TODAY - timedelta(days=120),
        planned_end_date=TODAY - timedelta(days=90),
    )
    PlacementFactory(child=ChildFactory(area=area, home_school=school), provider=setting, planned_end_date=TODAY)
    client.force_login(la_officer)
    assert flagged(client, "past-planned-end") == ["Cai", "Ola"]  # looked after first
    page = client.get(reverse("oversight_flag", args=["past-planned-end"])).content.decode()
    assert "Looked after" in page
    assert "90 days ago" in page
    over.end_date = TODAY - timedelta(days=1)
    over.save()
    assert flagged(client, "past-planned-end") == ["Cai"]


def test_the_dashboard_lists_each_flag_with_its_children_and_those_looked_after(
    client, la_officer, area, school, setting
):
    care = ChildFactory(area=area, home_school=school, first_name="Cai", looked_after=True, looked_after_by=area)
    PlacementFactory(child=care, provider=setting, planned_end_date=TODAY - timedelta(days=3))
    client.force_login(la_officer)
    response = client.get("/")
    rows = {row["flag"].key: (row["children"], row["looked_after"]) for row in response.context["oversight"]}
    assert rows["past-planned-end"] == (1, 1)
    assert rows["without-education"] == (0, 0)
    assert "time-limits" not in rows  # off by default
    assert reverse("oversight_flag", args=["past-planned-end"]) in response.content.decode()
    assert "Oversight" in response.content.decode()


def objectives_due_on(plan, day):
    for objective in plan.objectives.all():
        objective.target_date = day
        objective.save()


def test_plans_past_their_last_objective_or_an_off_site_directions_maximum(client, la_officer, area, school, setting):
    objectives_due = PersonalisedPlanFactory(
        placement=PlacementFactory(
            child=ChildFactory(area=area, home_school=school, first_name="Ola"),
            provider=setting,
            planned_end_date=TODAY + timedelta(days=30),
        )
    )
    objectives_due_on(objectives_due, TODAY - timedelta(days=1))
    directed = PersonalisedPlanFactory(
        placement=PlacementFactory(
            child=ChildFactory(area=area, home_school=school, first_name="Dee"),
            provider=setting,
            planned_end_date=TODAY + timedelta(days=30),
        ),
        off_site_direction=True,
        maximum_end_date=TODAY - timedelta(days=2),
    )
    PersonalisedPlanFactory(
        placement=PlacementFactory(
            child=ChildFactory(area=area, home_school=school, first_name="Fin"), provider=setting
        ),
        off_site_direction=True,
        maximum_end_date=TODAY,
    )
    client.force_login(la_officer)
    assert sorted(flagged(client, "plan-past-its-time")) == ["Dee", "Ola"]
    objectives_due_on(objectives_due, TODAY + timedelta(days=20))
    directed.maximum_end_date = TODAY + timedelta(days=20)
    directed.save()
    assert flagged(client, "plan-past-its-time") == []


def test_tuition_and_part_time_below_the_areas_minimum_hours_which_the_la_changes(
    client, la_officer, area, school, setting
):
    tuition = ChildFactory(area=area, home_school=school, first_name="Tia")
    part = ChildFactory(area=area, home_school=school, first_name="Pat")
    PlacementFactory(
        child=tuition,
        provider=setting,
        provision_type=ProvisionType.HOME_OR_HOSPITAL_TUITION,
        attendance_pattern=AttendancePattern.FULL_TIME,
        hours_per_week=Decimal(5),
    )
    PlacementFactory(child=part, provider=setting, hours_per_week=Decimal("14.5"))
    PlacementFactory(child=ChildFactory(area=area, home_school=school), provider=setting, hours_per_week=Decimal(15))
    client.force_login(la_officer)
    assert sorted(flagged(client, "below-minimum-hours")) == ["Pat", "Tia"]
    response = client.post(
        reverse("oversight_settings"),
        {"minimum_hours": "10", "full_time_test": FullTimeTest.MORE_THAN_18_HOURS},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.OVERSIGHT_SETTINGS_CHANGED).exists()
    assert flagged(client, "below-minimum-hours") == ["Tia"]


def test_under_full_time_across_every_setting_without_a_reason(client, la_officer, area, school, setting):
    other = ProviderFactory(organisation__area=area)
    short = ChildFactory(area=area, home_school=school, first_name="Sam")
    single(short, setting, school, hours_per_week=Decimal(10))
    topped_up = ChildFactory(area=area, home_school=school, first_name="Tom")
    single(topped_up, setting, school, hours_per_week=Decimal(10))
    dual = ChildFactory(area=area, home_school=school, first_name="Dua")
    PlacementFactory(child=dual, provider=setting, hours_per_week=Decimal(10))  # dual roll: school gives the rest
    reasoned = ChildFactory(area=area, home_school=school, first_name="Rae")
    PersonalisedPlanFactory(
        placement=single(reasoned, setting, school, hours_per_week=Decimal(10), attendance_pattern="part_time")
    )
    client.force_login(la_officer)
    assert sorted(flagged(client, "below-full-time")) == ["Sam", "Tom"]
    assert (
        "2 children, those looked after first"
        in client.get(reverse("oversight_flag", args=["below-full-time"])).content.decode()
    )
    PlacementFactory(
        child=topped_up,
        provider=other,
        hours_per_week=Decimal(15),
        start_date=TODAY - timedelta(days=5),
    )
    assert flagged(client, "below-full-time") == ["Sam"]


def test_part_time_timetables_past_their_time_limit_or_review(client, la_officer, area, school):
    def timetable(name, limit, review):
        return PartTimeTimetable.objects.create(
            child=ChildFactory(area=area, home_school=school, first_name=name), school=school, reason="health",
            reason_detail="x", hours_per_week=10, timetable="1100000000", start_date=TODAY - timedelta(days=60),
            time_limit=limit, review_date=review, parents_agreed_on=TODAY - timedelta(days=60),
            plan_to_increase="x", created_by=la_officer,
        )  # fmt: skip

    past = timetable("Lim", TODAY - timedelta(days=1), TODAY - timedelta(days=20))
    timetable("Rev", TODAY + timedelta(days=10), TODAY - timedelta(days=1))
    timetable("Fine", TODAY + timedelta(days=10), TODAY)
    client.force_login(la_officer)
    assert sorted(flagged(client, "part-time-timetables-overdue")) == ["Lim", "Rev"]
    past.end_date = TODAY
    past.save()
    assert flagged(client, "part-time-timetables-overdue") == ["Rev"]


@pytest.fixture
def term_dates(area):
    calendar = area.calendars.get(is_area_default=True)
    terms, closures = standard_terms(calendar, first_year=2025, last_year=2026)
    Term.objects.bulk_create(terms)
    Closure.objects.bulk_create(closures)


@pytest.mark.usefixtures("term_dates")
def test_without_education_from_the_sixth_school_day_after_a_permanent_exclusion(
    client, la_officer, area, school, setting
):
    # Monday 30 November is the first day; Friday 4 December the fifth; Monday 7 December (today) the sixth.
    sixth = ChildFactory(area=area, home_school=school, first_name="Six")
    ExclusionFactory(child=sixth, category="PERM", sessions=None, start_date=date(2026, 11, 30))
    fifth = ChildFactory(area=area, home_school=school, first_name="Five")
    ExclusionFactory(child=fifth, category="PERM", sessions=None, start_date=date(2026, 12, 1))
    short = ChildFactory(area=area, home_school=school, first_name="Short")
    ExclusionFactory(child=short, start_date=date(2026, 11, 30), sessions=10)  # five days: back at school
    long = ChildFactory(area=area, home_school=school, first_name="Long")
    ExclusionFactory(child=long, start_date=date(2026, 11, 30), sessions=15)
    moved = ChildFactory(area=area, home_school=school, first_name="Moved", looked_after=True, looked_after_by=area)
    PlacementExitFactory(
        placement=PlacementFactory(
            child=moved, provider=setting, start_date=date(2026, 9, 7), end_date=date(2026, 10, 23)
        ),
        reason=EndReason.BROKE_DOWN,
        destination="other",
    )
    client.force_login(la_officer)
    names = flagged(client, "without-education")
    assert names[0] == "Moved"  # looked after first
    assert sorted(names[1:]) == ["Long", "Six"]
    page = client.get(reverse("oversight_flag", args=["without-education"])).content.decode()
    assert "6 school days without education since 30 November 2026" in page
    # From Saturday 24 October, less the half term week (26-30 October): 2 November to 7 December.
    assert "26 school days without education since 24 October 2026" in page
    PlacementFactory(child=sixth, provider=setting, start_date=TODAY)
    assert flagged(client, "without-education") == ["Moved", "Long"]


def unregistered(area, name="Back Lane Workshop"):
    return ProviderFactory(
        organisation__area=area, organisation__name=name, registration=Registration.INDEPENDENT_UNREGISTERED
    )


def test_registration_risk_adds_every_commissioners_hours(client, la_officer, la, area, school, other_school):
    workshop = unregistered(area)
    children = [ChildFactory(area=area, home_school=school, first_name=f"K{i}", sen_provision="N") for i in range(5)]
    # No commissioner alone places five children there: the school two, the LA two, another school one.
    for child, commissioner in zip(children[:4], [school, school, la, la], strict=True):
        PlacementFactory(child=child, provider=workshop, commissioner=commissioner, hours_per_week=Decimal(20))
    client.force_login(la_officer)
    assert flagged(client, "registration-risk") == []  # four children
    PlacementFactory(child=children[4], provider=workshop, commissioner=other_school, hours_per_week=Decimal("18.5"))
    assert sorted(flagged(client, "registration-risk")) == [f"K{i}" for i in range(5)]


def test_registration_risk_for_one_looked_after_child_and_the_majority_reading(client, la_officer, area, school):
    workshop = unregistered(area)
    care = ChildFactory(area=area, home_school=school, first_name="Cai", looked_after=True, looked_after_by=area)
    PlacementFactory(child=care, provider=workshop, hours_per_week=Decimal(12))
    PlacementFactory(child=care, provider=ProviderFactory(organisation__area=area), hours_per_week=Decimal(10))
    client.force_login(la_officer)
    assert flagged(client, "registration-risk") == []  # 12 hours is not over 18
    client.post(reverse("oversight_settings"), {"minimum_hours": "15", "full_time_test": FullTimeTest.MAJORITY})
    assert flagged(client, "registration-risk") == ["Cai"]  # 12 of 22 hours is the majority


def test_the_proposed_time_limits_are_flagged_only_when_the_area_turns_them_on(client, la_officer, area, school):
    workshop = unregistered(area)
    full = ChildFactory(area=area, home_school=school, first_name="Full")
    PlacementFactory(
        child=full, provider=workshop, attendance_pattern=AttendancePattern.FULL_TIME,
        start_date=TODAY - timedelta(weeks=12), hours_per_week=Decimal(10),
    )  # fmt: skip
    alongside = ChildFactory(area=area, home_school=school, first_name="Along")
    PlacementFactory(child=alongside, provider=workshop, timetable="1111100000", hours_per_week=Decimal(10))
    PlacementFactory(
        child=ChildFactory(area=area, home_school=school), provider=workshop, timetable="1111000000",
        hours_per_week=Decimal(10),
    )  # fmt: skip
    client.force_login(la_officer)
    assert client.get(reverse("oversight_flag", args=["time-limits"])).status_code == 404
    client.post(
        reverse("oversight_settings"),
        {"minimum_hours": "15", "full_time_test": FullTimeTest.MORE_THAN_18_HOURS, "time_limits_flagged": "on"},
    )
    assert sorted(flagged(client, "time-limits")) == ["Along", "Full"]


@pytest.mark.usefixtures("term_dates")
def test_reviews_overdue_are_raised_by_the_setting_calendar_and_cleared_by_holding_one(
    client, la_officer, area, school, setting
):
    from tests.test_reviews import review_post

    late = single(ChildFactory(area=area, home_school=school, first_name="Ola"), setting, school)
    late.start_date = date(2026, 10, 5)
    late.save()
    care = ChildFactory(area=area, home_school=school, first_name="Cai", looked_after=True, looked_after_by=area)
    single(care, setting, school, start_date=date(2026, 9, 7))
    # Its first review falls due six school weeks on, in January.
    single(ChildFactory(area=area, home_school=school, first_name="New"), setting, school, start_date=TODAY)
    client.force_login(la_officer)
    assert flagged(client, "reviews-overdue") == ["Cai", "Ola"]
    page = client.get(reverse("oversight_flag", args=["reviews-overdue"])).content.decode()
    # Six school weeks from 5 October, the half term week not counted: Friday 20 November.
    assert "First review was due 20 November 2026, 17 days ago" in page
    held = review_post(late, held_on=TODAY, progress=[])
    assert client.post(reverse("review_new", args=[late.public_id]), held).status_code == 302
    assert flagged(client, "reviews-overdue") == ["Cai"]


@pytest.mark.usefixtures("term_dates")
def test_out_of_area_with_no_review_or_visit_this_half_term(client, la_officer, area, school, setting):
    from casework.models import PlacementVisit, Review
    from tests.test_visits import visit_post

    def away(name, start=date(2026, 9, 7), **child):
        kid = ChildFactory(area=area, home_school=school, first_name=name, **child)
        return single(kid, setting, school, start_date=start, out_of_area=True, journey_minutes=75)

    def reviewed(placement, on):
        Review.objects.create(
            placement=placement, held_on=on, decision="continue", child_views="-", family_views="-",
            with_commissioner=True, recorded_by=la_officer,
        )  # fmt: skip

    far = away("Far")
    reviewed(far, date(2026, 10, 15))  # before the half term began
    PlacementVisit.objects.create(
        placement=far, visited_on=date(2026, 9, 20), saw_the_child=True, what_was_seen="-",
        organisation=la_officer.primary_organisation, recorded_by=la_officer,
    )  # fmt: skip
    away("Cai", looked_after=True, looked_after_by=area)  # never reviewed or visited
    reviewed(away("Revd"), date(2026, 11, 20))
    PlacementVisit.objects.create(
        placement=away("Seen"), visited_on=date(2026, 11, 16), saw_the_child=False, what_was_seen="-",
        organisation=la_officer.primary_organisation, recorded_by=la_officer,
    )  # fmt: skip
    away("New", start=date(2026, 11, 16))  # begun this half term
    single(ChildFactory(area=area, home_school=school, first_name="Near"), setting, school)
    client.force_login(la_officer)
    assert flagged(client, "out-of-area-unseen") == ["Cai", "Far"]
    page = client.get(reverse("oversight_flag", args=["out-of-area-unseen"])).content.decode()
    assert "Last review 15 October 2026; last visit 20 September 2026 (75 minutes away)" in page
    assert "Never reviewed; never visited (75 minutes away)" in page
    visit = client.post(reverse("visit_new", args=[far.public_id]), visit_post(date(2026, 12, 4)))
    assert visit.status_code == 302
    assert flagged(client, "out-of-area-unseen") == ["Cai"]


def test_returns_to_school_with_an_outcome_due_and_not_recorded(client, la_officer, area, school):
    from tests.factories import ReintegrationAttemptFactory

    ola = ChildFactory(area=area, home_school=school, first_name="Ola")
    care = ChildFactory(area=area, home_school=school, first_name="Cai", looked_after=True, looked_after_by=area)
    six_due = ReintegrationAttemptFactory(
        child=ola, returned_on=TODAY - timedelta(days=50), six_weeks_on=TODAY - timedelta(days=2)
    )
    ReintegrationAttemptFactory(
        child=care,
        returned_on=TODAY - timedelta(days=100),
        six_weeks_on=TODAY - timedelta(days=50),
        outcome_6_weeks="sustained",
        twelve_weeks_on=TODAY - timedelta(days=5),
    )
    # Not due yet, and due but recorded: not flagged.
    ReintegrationAttemptFactory(
        child=ChildFactory(area=area, home_school=school), six_weeks_on=TODAY + timedelta(days=1)
    )
    ReintegrationAttemptFactory(
        child=ChildFactory(area=area, home_school=school),
        six_weeks_on=TODAY - timedelta(days=9),
        outcome_6_weeks="partly",
    )
    client.force_login(la_officer)
    assert flagged(client, "return-outcomes-due") == ["Cai", "Ola"]
    page = client.get(reverse("oversight_flag", args=["return-outcomes-due"])).content.decode()
    assert "how it went at 12 weeks was due 2 December 2026" in page
    assert "how it went at 6 weeks was due 5 December 2026" in page
    recorded = client.post(reverse("reintegration_outcome", args=[six_due.public_id]), {"outcome_6_weeks": "sustained"})
    assert recorded.status_code == 302
    assert flagged(client, "return-outcomes-due") == ["Cai"]


@pytest.mark.parametrize("role", ["school", "provider", "health", "social", "virtual", "nobody"])
def test_only_the_la_sees_the_oversight_flags(client, borough, role):  # noqa: F811
    client.force_login(borough.users[role])
    # An inspector is refused every page not theirs (403); everyone else is told "not found".
    assert client.get(reverse("oversight_flag", args=["past-planned-end"])).status_code in (403, 404)
    assert client.get(reverse("oversight_settings")).status_code in (403, 404)
    assert b"oversight/past-planned-end" not in client.get("/").content


def test_the_la_sees_only_its_own_areas_children(client, borough):  # noqa: F811
    for child in borough.children.values():
        child.placements.update(planned_end_date=TODAY - timedelta(days=1))
    client.force_login(borough.users["la"])
    assert sorted(flagged(client, "past-planned-end")) == ["Aisha", "Ben", "Cara", "Dev"]
    page = client.get(reverse("oversight_flag", args=["past-planned-end"]))
    rows = page.context["rows"]
    assert f"{len(rows)} placements, children looked after first" in page.content.decode()


@pytest.mark.usefixtures("term_dates")
def test_a_flags_page_costs_the_same_queries_at_3_and_30_rows(client, la_officer, area, school, setting):
    from tests.test_query_counts import queries_for

    def grow(n):
        for _ in range(n):
            child = ChildFactory(area=area, home_school=school)
            PlacementFactory(
                child=child,
                provider=setting,
                start_date=TODAY - timedelta(days=90),
                planned_end_date=TODAY - timedelta(days=1),
                out_of_area=True,
            )

    client.force_login(la_officer)
    grow(3)
    keys = (
        "past-planned-end",
        "without-education",
        "registration-risk",
        "reviews-overdue",
        "out-of-area-unseen",
        "neet",
    )
    urls = [reverse("oversight_flag", args=[f]) for f in keys]
    small = [queries_for(client, url) for url in urls]
    assert len(flagged(client, "reviews-overdue")) == len(flagged(client, "out-of-area-unseen")) == 3
    grow(27)
    with CaptureQueriesContext(connection):
        assert [queries_for(client, url) for url in urls] == small
    assert len(flagged(client, "out-of-area-unseen")) == 30
    assert small == PINNED_FLAG_PAGES


PINNED_FLAG_PAGES = [6, 6, 7, 6, 8, 5]
