"""A placement's reviews (issue 12, item 1): the schedule on the setting's calendar, recording a review with
progress on each objective and the record since the last review, extending, and the reviews overdue."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import ObjectiveProgress, Review
from core.models import AuditAction, AuditEvent, AuditEventChild
from terms.demo import standard_terms
from terms.models import Closure, Term
from tests.casework_people import people_around
from tests.factories import (
    ChildFactory,
    ExclusionFactory,
    PersonalisedPlanFactory,
    PlacementFactory,
    PlanObjectiveFactory,
    ProviderFactory,
)
from tests.helpers import date_fields
from tests.test_access import SEES, STAFF, borough  # noqa: F401 - the role matrix's borough

pytestmark = pytest.mark.django_db

TODAY = date.today()
# Who records a review: the LA of the area, the commissioner (the school commissions Aisha's and Cara's
# placements) and the setting (Northgate PRU holds Aisha's and Cara's).
RECORDS = {role: set() for role in SEES} | {"la": {"a", "b", "c", "d"}, "school": {"a", "c"}, "provider": {"a", "c"}}


def with_terms(area):
    terms, closures = standard_terms(
        area.calendars.get(is_area_default=True), first_year=TODAY.year - 2, last_year=TODAY.year + 1
    )
    Term.objects.bulk_create(terms)
    Closure.objects.bulk_create(closures)


@pytest.fixture
def placement(area, school):
    with_terms(area)
    child = ChildFactory(area=area, home_school=school, first_name="Tia", last_name="Moss")
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")
    placement = PlacementFactory(
        child=child,
        provider=provider,
        commissioner=school,
        start_date=TODAY - timedelta(days=120),
        planned_end_date=TODAY + timedelta(days=60),
    )
    plan = PersonalisedPlanFactory(placement=placement, objectives=0)
    PlanObjectiveFactory(plan=plan, description="Attend 90% of timetabled sessions")
    PlanObjectiveFactory(plan=plan, description="Reading age up by a year")
    return placement


@pytest.fixture
def people(placement, la_officer, school):
    return people_around(
        child=placement.child,
        la_officer=la_officer,
        school=school,
        provider_organisation=placement.provider.organisation,
    )


def review_post(placement, *, held_on=TODAY, progress=None, **overrides) -> dict:
    plan = getattr(placement, "personalised_plan", None)
    objectives = list(plan.objectives.all()) if plan else []
    rows = progress if progress is not None else [("on_track", "Up from 62% to 84%")] * len(objectives)
    data = {
        **date_fields("held_on", held_on),
        "took_part": ["with_commissioner", "with_provider", "with_family", "with_child"],
        "child_views": "Likes the small classes; wants to go back for maths first",
        "family_views": "Mum sees her calmer at home and wants a phased return",
        "decision": "continue",
        **date_fields("new_planned_end_date", None),
        "extend_reason": "",
        "progress-TOTAL_FORMS": str(len(rows)),
        "progress-INITIAL_FORMS": str(len(rows)),
        "progress-MIN_NUM_FORMS": "0",
        "progress-MAX_NUM_FORMS": "1000",
    }
    for i, (objective, (status, evidence)) in enumerate(zip(objectives, rows, strict=False)):
        data |= {f"progress-{i}-objective": str(objective.pk), f"progress-{i}-status": status}
        data[f"progress-{i}-evidence"] = evidence
    data.update(overrides)
    return data


def new_url(placement):
    return reverse("review_new", args=[placement.public_id])


def reviews_url(placement):
    return reverse("placement_reviews", args=[placement.public_id])


def test_the_setting_records_a_review_and_everyone_who_sees_the_placement_reads_it(client, people, placement):
    ExclusionFactory(child=placement.child, start_date=TODAY - timedelta(days=10), sessions=4)
    ExclusionFactory(child=placement.child, start_date=placement.start_date - timedelta(days=30), sessions=6)
    client.force_login(people.provider)
    page = client.get(new_url(placement)).content.decode()
    assert "Attend 90% of timetabled sessions" in page
    assert "Reading age up by a year" in page
    progress = [("met", "94% over the half term"), ("not_on_track", "Reading test: no change")]
    response = client.post(new_url(placement), review_post(placement, progress=progress))
    review = Review.objects.get()
    assert response.status_code == 302
    assert response["Location"] == review.get_absolute_url()
    assert (review.recorded_by, review.decision, review.held_on) == (people.provider, "continue", TODAY)
    assert review.took_part == ["The commissioner", "The provider", "The family", "The child"]
    assert (
        "The commissioner, the provider, the family, the child"
        in client.get(review.get_absolute_url()).content.decode()
    )
    assert [(p.objective_text, p.status) for p in ObjectiveProgress.objects.order_by("pk")] == [
        ("Attend 90% of timetabled sessions", "met"),
        ("Reading age up by a year", "not_on_track"),
    ]
    # Suspensions since the start (the first review), from the record: the one before the placement is not counted.
    assert review.record_since["from"] == placement.start_date.isoformat()
    assert (review.record_since["suspensions"], review.record_since["suspension_days"]) == (1, "2")
    event = AuditEvent.objects.get(action=AuditAction.REVIEW_RECORDED)
    assert event.detail["decision"] == "continue"
    assert event.detail["objectives"] == 2
    assert AuditEventChild.objects.filter(event=event, child_public_id=placement.child.public_id).exists()

    for reader in (
        people.la_officer,
        people.commissioning_school,
        people.social_worker_involved,
        people.virtual_school,
    ):
        client.force_login(reader)
        page = client.get(review.get_absolute_url()).content.decode()
        assert "Reading test: no change" in page, reader
        assert "Not on track" in page
        assert "wants a phased return" in page
        schedule = client.get(reviews_url(placement)).content.decode()
        assert review.get_absolute_url() in schedule
    for outsider in (people.other_la, people.other_school, people.other_provider, people.health_not_involved):
        client.force_login(outsider)
        assert client.get(review.get_absolute_url()).status_code == 404
        assert client.get(reviews_url(placement)).status_code == 404


def test_the_next_review_counts_from_the_last_one(client, people, placement):
    client.force_login(people.la_officer)
    first = TODAY - timedelta(days=40)
    assert client.post(new_url(placement), review_post(placement, held_on=first)).status_code == 302
    ExclusionFactory(child=placement.child, start_date=TODAY - timedelta(days=50), sessions=2)
    assert client.post(new_url(placement), review_post(placement)).status_code == 302
    second = Review.objects.order_by("held_on").last()
    assert second.record_since["from"] == first.isoformat()
    assert second.record_since["suspensions"] == 0
    response = client.post(new_url(placement), review_post(placement, held_on=first - timedelta(days=1)))
    assert "must be on or after the last review" in response.content.decode()


@pytest.mark.parametrize("role", STAFF)
def test_each_role_records_exactly_the_reviews_the_policy_names(client, borough, role):  # noqa: F811
    client.force_login(borough.users[role])
    for key, child in borough.children.items():
        placement = child.placements.get()
        status = client.get(new_url(placement)).status_code
        expected = 200 if key in RECORDS[role] else 403 if key in SEES[role] else 404
        assert status == expected, f"{role} recording a review for {child.first_name}"
        data = {**date_fields("held_on", TODAY), "took_part": ["with_provider"], "decision": "continue"}
        data |= {"child_views": "Happy", "family_views": "Happy", "progress-TOTAL_FORMS": "0"}
        data |= {"progress-INITIAL_FORMS": "0"}
        assert client.post(new_url(placement), data).status_code == (302 if key in RECORDS[role] else expected)
        assert client.get(reviews_url(placement)).status_code == (200 if key in SEES[role] else 404)
    recorded = set(Review.objects.values_list("placement__child__first_name", flat=True))
    assert recorded == {borough.children[k].first_name for k in RECORDS[role]}


def test_the_commissioner_extends_the_placement_with_a_reason(client, people, placement):
    client.force_login(people.commissioning_school)
    later = placement.planned_end_date + timedelta(days=42)
    data = review_post(placement, decision="extend", **date_fields("new_planned_end_date", later))
    data["extend_reason"] = "Reading needs another half term before the return"
    assert client.post(new_url(placement), data).status_code == 302
    placement.refresh_from_db()
    assert placement.planned_end_date == later
    extended = AuditEvent.objects.get(action=AuditAction.PLACEMENT_EXTENDED)
    assert extended.detail["to"] == later.isoformat()
    assert "Reading needs" in extended.detail["reason"]
    assert placement.history.first().planned_end_date == later


def test_an_extension_needs_a_later_end_and_a_reason_and_the_commissioner(client, people, placement):
    client.force_login(people.la_officer)
    end = placement.planned_end_date
    response = client.post(new_url(placement), review_post(placement, decision="extend"))
    errors = response.context["form"].errors
    assert errors["new_planned_end_date"] == ["Enter the new planned end: the placement is extended"]
    assert errors["extend_reason"] == ["Enter why the placement is extended"]
    data = review_post(placement, decision="extend", **date_fields("new_planned_end_date", end), extend_reason="More")
    errors = client.post(new_url(placement), data).context["form"].errors
    assert errors["new_planned_end_date"] == [f"The new planned end must be after the current one, {end:%-d %B %Y}"]
    client.force_login(people.provider)
    later = review_post(
        placement, decision="extend", **date_fields("new_planned_end_date", end + timedelta(days=30)), extend_reason="x"
    )
    errors = client.post(new_url(placement), later).context["form"].errors
    assert errors["decision"][0].startswith("Only the local authority or the commissioner can extend a placement")
    assert not Review.objects.exists()
    placement.refresh_from_db()
    assert placement.planned_end_date == end


def test_a_review_needs_progress_on_every_objective_and_a_date_not_in_the_future(client, people, placement):
    client.force_login(people.la_officer)
    response = client.post(new_url(placement), review_post(placement, held_on=TODAY + timedelta(days=1)))
    assert response.context["form"].errors["held_on"] == ["The date of the review must be today or in the past"]
    response = client.post(new_url(placement), review_post(placement, progress=[("met", "94%"), ("", "")]))
    errors = response.context["progress"].forms[1].errors
    assert errors["status"] == ["Choose the progress on objective 2: met, on track or not on track"]
    assert errors["evidence"] == ["Enter the evidence of progress on objective 2"]
    # A row left out of the post altogether is caught by the service.
    data = review_post(placement, progress=[("met", "94%")])
    data["progress-TOTAL_FORMS"] = "1"
    page = client.post(new_url(placement), data).content.decode()
    assert "Choose the progress on objective 2: met, on track or not on track" in page
    response = client.post(new_url(placement), review_post(placement, took_part=[], child_views=""))
    errors = response.context["form"].errors
    assert errors["took_part"] == ["Choose who took part in the review"]
    assert errors["child_views"] == ["Enter the child's views, or how they were sought if the child gave none"]
    assert not Review.objects.exists()


def test_an_ended_placement_is_not_reviewed(client, people, placement):
    placement.end_date = TODAY - timedelta(days=3)
    placement.save()
    client.force_login(people.la_officer)
    assert "Record a review" not in client.get(reviews_url(placement)).content.decode()
    page = client.post(new_url(placement), review_post(placement)).content.decode()
    assert "This placement has ended: there is nothing left to review." in page
    assert not Review.objects.exists()


def test_the_schedule_shows_reviews_due_held_and_overdue(client, people, placement):
    client.force_login(people.la_officer)
    page = client.get(reviews_url(placement)).content.decode()
    # 120 days in, nothing held: the 6-week review is overdue, as is each half term's since.
    assert "First review" in page
    assert "Second review" in page
    assert "Review overdue" in page
    client.post(new_url(placement), review_post(placement))
    page = client.get(reviews_url(placement)).content.decode()
    assert "Held late" in page
    assert "Continue as planned" in page


def test_the_overdue_list_names_each_placement_once_for_the_la_and_the_commissioner(client, people, placement):
    on_time = PlacementFactory(
        child=ChildFactory(area=placement.child.area, home_school=placement.child.home_school, last_name="Onetime"),
        provider=placement.provider,
        commissioner=placement.commissioner,
        start_date=TODAY - timedelta(days=5),
    )
    client.force_login(people.la_officer)
    page = client.get(reverse("reviews_overdue")).content.decode()
    assert "Tia Moss" in page
    assert on_time.child.full_name not in page
    assert "1 placement with a review overdue" in page
    for _ in range(5):
        PlacementFactory(
            child=ChildFactory(area=placement.child.area, home_school=placement.child.home_school),
            provider=ProviderFactory(organisation__area=placement.child.area),
            commissioner=placement.commissioner,
            start_date=TODAY - timedelta(days=200),
        )
    with CaptureQueriesContext(connection) as queries:
        overdue = list(client.get(reverse("reviews_overdue")).context["page"])
    assert len(overdue) == 6
    assert overdue[0].days_overdue >= overdue[-1].days_overdue > 0
    # Session, user and memberships (3); how many overdue, and the page of them with their child, setting,
    # commissioner and next review (2); the navigation's membership check (1): the same for six as for one.
    assert len(queries) == 6, [q["sql"] for q in queries.captured_queries]
    client.force_login(people.commissioning_school)
    assert len(client.get(reverse("reviews_overdue")).context["page"]) == 6
    client.force_login(people.other_la)
    assert "No review is overdue." in client.get(reverse("reviews_overdue")).content.decode()
    client.force_login(people.la_officer)
    client.post(new_url(placement), review_post(placement))
    assert "Tia Moss" not in client.get(reverse("reviews_overdue")).content.decode()


def intervals_post(first="4", second="8", every="2") -> dict:
    return {"first_review_weeks": first, "second_review_weeks": second, "review_every_half_terms": every}


@pytest.mark.parametrize("role", STAFF)
def test_only_the_la_sets_when_placements_are_reviewed(client, borough, role):  # noqa: F811
    client.force_login(borough.users[role])
    url = reverse("review_intervals")
    expected = 200 if role == "la" else 404
    assert client.get(url).status_code == expected
    assert client.post(url, intervals_post()).status_code == (302 if role == "la" else 404)
    area = borough.children["a"].area
    area.refresh_from_db()
    changed = (area.first_review_weeks, area.second_review_weeks, area.review_every_half_terms) == (4, 8, 2)
    assert changed == (role == "la")


def test_the_las_intervals_move_the_reviews_due(client, people, placement):
    client.force_login(people.la_officer)
    before = client.get(reviews_url(placement)).context["schedule"][0][0]
    page = client.get(reverse("reviews_overdue")).content.decode()
    assert "the first review after 6 school weeks" in page
    assert "Change when placements are reviewed" in page
    response = client.post(reverse("review_intervals"), intervals_post(first="8", second="8"))
    assert response.context["form"].errors["second_review_weeks"] == [
        "The second review must come more school weeks after the start than the first"
    ]
    assert client.post(reverse("review_intervals"), intervals_post()).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.REVIEW_INTERVALS_CHANGED)
    assert event.detail["before"]["first_review_weeks"] == "6"
    assert event.detail["after"]["first_review_weeks"] == "4"
    after = client.get(reviews_url(placement)).context["schedule"][0][0]
    assert "the first review after 4 school weeks" in client.get(reverse("reviews_overdue")).content.decode()
    assert (before.kind, after.kind) == ("first", "first")
    assert after.due < before.due
    client.force_login(people.commissioning_school)
    assert "Change when placements are reviewed" not in client.get(reverse("reviews_overdue")).content.decode()
