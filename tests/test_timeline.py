"""The child's chronology (issue 11, item 5): referral, fast-track, panel decision, placement and plan, in date
order, on the child's timeline page and in the tracking pack."""

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.chronology import chronology
from casework.models import ObjectiveProgress, PlacementVisit, Review
from core.models import AuditAction, AuditEvent, AuditEventChild, Membership
from inspection.models import TrackedChild
from providers.models import Provider
from tests.casework_people import people_around
from tests.factories import (
    ChildFactory,
    DecisionFactory,
    PanelFactory,
    PanelMemberFactory,
    PersonalisedPlanFactory,
    PlacementExitFactory,
    PlacementFactory,
    PlanObjectiveFactory,
    ProviderFactory,
    ReferralFactory,
    ReintegrationAttemptFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

TODAY = date.today()


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def moment(day: date):
    return timezone.make_aware(datetime.combine(day, time(10, 30)))


@pytest.fixture
def journey(area, school, la_officer):
    """Referred by the home school, fast-tracked, decided by a panel without health or care, placed with a plan."""
    child = ChildFactory(area=area, home_school=school, first_name="Tia", last_name="Moss")
    teacher = member_of(school, Membership.Role.DESIGNATED_LEAD, first_name="Ann", last_name="Lee")
    referral = ReferralFactory(
        child=child,
        referrer=school,
        status="decided",
        created_by=teacher,
        sent_by=teacher,
        sent_at=moment(days_ago(60)),
        fast_tracked_at=moment(days_ago(59)),
        fast_tracked_by=la_officer,
        fast_track_reason="Tia Moss is at risk of permanent exclusion this week",
    )
    ReferralFactory(child=child, referrer=school, status="draft", sent_at=None, sent_by=None)
    panel = PanelFactory(area=area, meets_on=days_ago(55), created_by=la_officer)
    PanelMemberFactory(panel=panel, sector="education")
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")
    decision = DecisionFactory(
        referral=referral,
        panel=panel,
        provider=provider,
        decided_by=la_officer,
        sectors_missing=panel.sectors_missing(),
    )
    placement = PlacementFactory(
        child=child, provider=provider, start_date=days_ago(50), planned_end_date=TODAY + timedelta(days=70)
    )
    plan = PersonalisedPlanFactory(placement=placement, decision=decision, agreed_on=days_ago(52), objectives=2)
    return child, placement, plan


def test_the_chronology_tells_the_journey_in_date_order(la_officer, journey):
    child, placement, _plan = journey
    end = placement.planned_end_date
    events = [(e.day, e.kind, e.text) for e in chronology(user=la_officer, child=child, today=TODAY)]
    journey_events = [e for e in events if e[1] in ("Referral", "Panel decision", "Plan", "Placement")]
    assert journey_events == [
        (days_ago(60), "Referral", "Referred by Priestley High School (Ann Lee): at risk of permanent exclusion"),
        (
            days_ago(59),
            "Referral",
            "Fast-tracked ahead of the queue by Sam Taylor: Tia Moss is at risk of permanent exclusion this week",
        ),
        (
            days_ago(55),
            "Panel decision",
            "Fair access panel decided: AP placement at a named provider at Northgate PRU, "
            "without health or social care at the panel",
        ),
        (
            days_ago(52),
            "Plan",
            f"Personalised plan for the placement at Northgate PRU agreed: 2 objectives, to end by {end.day} {end:%B %Y}",
        ),
        (days_ago(50), "Placement", journey_events[4][2]),
    ]
    assert journey_events[4][2].startswith("Started at Northgate PRU")
    assert [day for day, _kind, _text in events] == sorted(day for day, _kind, _text in events)


def review_held(placement, day, **changes):
    return Review.objects.create(
        placement=placement,
        held_on=day,
        with_commissioner=True,
        with_provider=True,
        child_views="Likes it",
        family_views="Pleased",
        decision=changes.pop("decision", "continue"),
        recorded_by=UserFactory(),
        **changes,
    )


def test_reviews_show_what_was_decided_and_the_objectives_progress(client, la_officer, journey, school):
    child, placement, plan = journey
    first, second = plan.objectives.all()
    review = review_held(placement, days_ago(8))
    for objective, status in ((first, "met"), (second, "not_on_track")):
        ObjectiveProgress.objects.create(
            review=review, objective=objective, objective_text=objective.description, status=status, evidence="Seen"
        )
    later = TODAY + timedelta(days=100)
    review_held(
        placement, days_ago(2), decision="extend", new_planned_end_date=later, extend_reason="Reading needs longer"
    )
    texts = [
        (e.day, e.kind, e.text) for e in chronology(user=la_officer, child=child, today=TODAY) if e.kind == "Review"
    ]
    assert texts == [
        (
            days_ago(8),
            "Review",
            "Review of the placement at Northgate PRU: continue as planned; objectives 1 met, none on track, "
            "1 not on track",
        ),
        (
            days_ago(2),
            "Review",
            f"Review of the placement at Northgate PRU: extend the placement to {later.day} {later:%B %Y}; "
            "no objectives on the plan",
        ),
    ]
    people = people_around(
        child=child, la_officer=la_officer, school=school, provider_organisation=placement.provider.organisation
    )
    client.force_login(people.other_provider)
    assert not [e for e in chronology(user=people.other_provider, child=child, today=TODAY) if e.kind == "Review"]
    tracked = TrackedChild.objects.get(child=child)
    client.force_login(people.inspector)
    page = client.get(reverse("tracking_pack", args=[tracked.inspection.public_id, child.public_id])).content.decode()
    assert "continue as planned; objectives 1 met, none on track, 1 not on track" in " ".join(page.split())


def test_a_decision_with_every_sector_is_not_flagged_and_one_objective_is_said_so(la_officer, journey):
    child, _placement, plan = journey
    plan.decision.sectors_missing = []
    plan.decision.save()
    plan.objectives.last().delete()
    texts = [e.text for e in chronology(user=la_officer, child=child, today=TODAY)]
    assert "Fair access panel decided: AP placement at a named provider at Northgate PRU" in texts
    assert any(t.startswith("Personalised plan for the placement at Northgate PRU agreed: 1 objective,") for t in texts)


def test_events_older_than_two_years_are_left_out(la_officer, journey):
    child, _placement, _plan = journey
    old = ReferralFactory(child=child, status="decided", sent_at=moment(TODAY - timedelta(days=800)))
    texts = [e.text for e in chronology(user=la_officer, child=child, today=TODAY)]
    assert sum(t.startswith("Referred by") for t in texts) == 1
    assert old.sent_at.date() < TODAY - timedelta(days=730)


def test_the_timeline_page_shows_the_newest_first_and_is_linked_from_the_record(client, la_officer, journey):
    child, _placement, _plan = journey
    client.force_login(la_officer)
    record = client.get(reverse("child_detail", args=[child.public_id])).content.decode()
    url = reverse("child_timeline", args=[child.public_id])
    assert f'href="{url}"' in record
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="moj-timeline"' in page
    assert page.index("Started at Northgate PRU") < page.index("Fair access panel decided") < page.index("Referred by")
    assert "without health or social care at the panel" in page
    viewed = AuditEvent.objects.filter(action=AuditAction.CHILD_VIEWED, detail__page="timeline").get()
    assert AuditEventChild.objects.filter(event=viewed, child_public_id=child.public_id).exists()


def test_each_reader_sees_the_events_of_what_they_may_see(client, la_officer, journey, school, area):
    child, placement, _plan = journey
    people = people_around(
        child=child, la_officer=la_officer, school=school, provider_organisation=placement.provider.organisation
    )
    url = reverse("child_timeline", args=[child.public_id])
    # The setting the decision names sees the referral; a setting placed without one does not.
    PlacementFactory(
        child=child, provider=Provider.objects.get(organisation=people.other_provider.primary_organisation)
    )
    expected = {
        "la_officer": True,
        "commissioning_school": True,
        "provider": True,
        "health_involved": True,
        "social_worker_involved": True,
        "virtual_school": True,
        "other_provider": False,
    }
    for who, sees_the_referral in expected.items():
        client.force_login(getattr(people, who))
        response = client.get(url)
        assert response.status_code == 200, who
        page = response.content.decode()
        assert ("Referred by" in page) == sees_the_referral, who
        # A setting sees its own placements only.
        assert ("Started at Northgate PRU" in page) == (who != "other_provider"), who
        assert ("Started at Kestrel Tuition" in page) == (who != "provider"), who
    for who in ("other_la", "other_school", "health_not_involved", "social_worker_not_involved"):
        client.force_login(getattr(people, who))
        assert client.get(url).status_code == 404, who
    refused = AuditEvent.objects.filter(action=AuditAction.CHILD_VIEW_REFUSED, user=people.other_la)
    assert refused.exists()
    client.force_login(people.inspector)
    assert client.get(url).status_code == 403


def test_the_tracking_pack_shows_the_journey_under_the_pseudonym(client, la_officer, journey, school):
    child, placement, _plan = journey
    people = people_around(
        child=child, la_officer=la_officer, school=school, provider_organisation=placement.provider.organisation
    )
    tracked = TrackedChild.objects.get(child=child)
    client.force_login(people.inspector)
    response = client.get(reverse("tracking_pack", args=[tracked.inspection.public_id, child.public_id]))
    assert response.status_code == 200
    page = " ".join(response.content.decode().split())
    assert "Referred by the home school (Ann Lee): at risk of permanent exclusion" in page
    assert f"Fast-tracked ahead of the queue by Sam Taylor: {tracked.pseudonym} {tracked.pseudonym} is at risk" in page
    assert "without health or social care at the panel" in page
    assert "Personalised plan for the placement at Northgate PRU agreed: 2 objectives" in page
    for secret in ("Tia", "Moss", "Priestley"):
        assert secret not in page, secret


def test_the_timeline_costs_a_fixed_number_of_queries(client, la_officer, journey, area, school):
    child, _placement, _plan = journey

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("child_timeline", args=[child.public_id])).status_code == 200
        return len(captured)

    client.force_login(la_officer)
    before = count()
    assert before == 21  # with the visits, the destination checks after AP and the returns to school
    for n in range(3):
        referral = ReferralFactory(
            child=child,
            status="decided",
            sent_at=moment(days_ago(40 - n)),
            fast_tracked_at=moment(days_ago(39)),
            fast_tracked_by=la_officer,
            fast_track_reason="Out of education since the exclusion",
        )
        provider = ProviderFactory(organisation__area=area)
        decision = DecisionFactory(referral=referral, provider=provider, decided_by=UserFactory())
        placement = PlacementFactory(child=child, provider=provider, start_date=days_ago(30 - n))
        objective = PlanObjectiveFactory(
            plan=PersonalisedPlanFactory(placement=placement, decision=decision, objectives=0)
        )
        review = review_held(placement, days_ago(10 - n))
        ObjectiveProgress.objects.create(
            review=review, objective=objective, objective_text="x", status="met", evidence="The register"
        )
        PlacementVisit.objects.create(
            placement=placement,
            visited_on=days_ago(5),
            saw_the_child=True,
            what_was_seen="Settled",
            organisation=area.organisations.first(),
            recorded_by=la_officer,
        )
        PlacementExitFactory(placement=placement, recorded_by=la_officer)
        ReintegrationAttemptFactory(
            child=child,
            school=school,
            returned_on=days_ago(20 - n),
            outcome_6_weeks="sustained",
            recorded_by=la_officer,
        )
    assert count() == before


def test_a_placement_still_to_come_starts_and_one_begun_started(la_officer, area, school):
    child = ChildFactory(area=area, home_school=school)
    provider = ProviderFactory(organisation__area=area, organisation__name="Kestrel Tuition")
    PlacementFactory(child=child, provider=provider, start_date=TODAY + timedelta(days=7))
    texts = [e.text for e in chronology(user=la_officer, child=child, today=TODAY)]
    assert any(t.startswith("Starts at Kestrel Tuition") for t in texts), texts
    later = [e.text for e in chronology(user=la_officer, child=child, today=TODAY + timedelta(days=7))]
    assert any(t.startswith("Started at Kestrel Tuition") for t in later), later


def test_the_chronology_says_how_a_placement_ended_and_how_each_return_to_school_went(la_officer, area, school):
    """Issue 12, item 5: exits and reintegration attempts are in the chronology."""
    child = ChildFactory(area=area, home_school=school)
    provider = ProviderFactory(organisation__area=area, organisation__name="Kestrel Tuition")
    placement = PlacementFactory(child=child, provider=provider, start_date=days_ago(120), end_date=days_ago(90))
    PlacementExitFactory(placement=placement, reason="reintegrated", destination="home_school")
    ReintegrationAttemptFactory(
        child=child,
        school=school,
        placement=placement,
        returned_on=days_ago(89),
        outcome_6_weeks="sustained",
        outcome_12_weeks="broke_down",
        why_failed="Anxiety about the corridors",
    )
    texts = [e.text for e in chronology(user=la_officer, child=child, today=TODAY)]
    assert (
        "Left Kestrel Tuition: returned to mainstream school; went on to back to the home school; supported after "
        "the move by Sam Okafor, Key worker, The AP setting"
    ) in texts, texts
    assert (
        f"Returned to {school.name}: at 6 weeks sustained, at 12 weeks broke down (Anxiety about the corridors)"
    ) in texts, texts
