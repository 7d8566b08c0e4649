"""Reviews for the demo borough's placements (issue 12): held when the schedule says, on each setting's calendar.

Most are held on time or a few days early; some late; for about one open placement in ten the reviews stopped,
so that the reviews-overdue list has children behind it. A review near a placement's end decides what its
ending says (return to school, another provider, end); some reviews extend, to the planned end the placement
has now. Progress on each objective of the plan, with evidence. A random generator of its own, seeded from the
borough's seed, so that adding these changes nothing else the borough holds. Bulk-inserted; the record since
the last review is filled once the registers are written (`review_figures_fill`), in bulk.
"""

import bisect
import random
import uuid
from collections import defaultdict
from datetime import date, timedelta

from attendance.models import AttendanceMark, HomeSchoolMark
from casework.models import EndReason, ObjectiveProgress, PersonalisedPlan, PlanObjective, Review, ReviewDecision
from casework.referral_figures import review_figures
from casework.schedule import ReviewIntervals, review_schedule
from casework.selectors.referrals import exclusion_counted
from casework.selectors.reviews import SchoolYears
from children.models import Exclusion
from core.models import User
from placements.models import Placement, RegistrationType

STOPPED_SHARE = 0.1  # open placements whose reviews stopped: overdue today
LATE_SHARE = 0.15
EXTEND_SHARE = 0.3  # of placements running past their first planned end, reviewed at least once
ENDING = {
    EndReason.REINTEGRATED: ReviewDecision.REINTEGRATE,
    EndReason.ANOTHER_AP: ReviewDecision.CHANGE_PROVIDER,
    EndReason.SPECIALIST_PLACE: ReviewDecision.CHANGE_PROVIDER,
}
EVIDENCE = {
    "met": [
        "The register: {pct}% of timetabled sessions over the half term",
        "Assessed this half term: the target reached, confirmed by the home school",
        "The child's own rating and the key worker's log agree: done",
    ],
    "on_track": [
        "The register: {pct}% this half term, up from the baseline",
        "Half-termly assessment shows steady progress towards the target",
        "Incidents down week on week in the setting's behaviour log",
    ],
    "not_on_track": [
        "The register: {pct}% this half term, below the baseline",
        "No change since the last review in the setting's assessment",
        "Missed sessions and two incidents since the last review; a new plan agreed",
    ],
}
CHILD_VIEWS = [
    "Likes the small groups and the key worker; wants to go back for maths first",
    "Finds mornings hard; says the setting is calmer than school",
    "Did not want to attend the meeting; said through the key worker that lessons are 'fine'",
    "Wants more time with friends from school and to sit GCSEs",
]
FAMILY_VIEWS = [
    "Sees the child calmer at home and wants a phased return",
    "Worried about the journey; otherwise pleased with progress",
    "Wants the placement to continue until the summer",
    "Asked for more contact from the home school",
]


def reviews_build(
    *, seed: int, today: date, placements: list[Placement], objectives: dict[int, list[PlanObjective]], recorder: User
) -> tuple[list[Review], list[ObjectiveProgress]]:
    """Unsaved reviews and their progress for the placements that started by today; `objectives` by placement id."""
    rng = random.Random(f"demo-reviews-{seed}")
    ids = random.Random(f"demo-reviews-ids-{seed}")
    started = [p for p in placements if p.start_date <= today]
    if not started:
        return [], []
    years = SchoolYears(
        organisations={p.provider.organisation_id for p in started},
        start=min(p.start_date for p in started),
        end=today + timedelta(days=400),
    )
    intervals = ReviewIntervals.of_area(started[0].child.area)
    reviews, progress = [], []
    for placement in sorted(started, key=lambda p: p.pk):
        last_day = min(today, placement.end_date) if placement.end_date else today
        stopped = placement.end_date is None and rng.random() < STOPPED_SHARE
        held: list[date] = []
        school_year = years.of(placement.provider.organisation_id)
        while True:
            schedule = review_schedule(
                start=placement.start_date,
                dual=placement.registration_type == RegistrationType.DUAL,
                school_year=school_year,
                intervals=intervals,
                held=held,
                next_given=placement.review_date,
                through=last_day,
                include_next=False,
            )
            coming = next((r for r in schedule if r.held_on is None), None)
            if coming is None or (stopped and rng.random() < 0.6):
                break
            due, late = coming.due, rng.random() < LATE_SHARE
            # The date a commissioner gave is the meeting's date: held on it, or late; never a few days before,
            # which would leave the given date still to come (the schedule counts it after the last review held).
            early = rng.randint(0, 6) * (coming.kind != "given")
            day = due + timedelta(days=rng.randint(3, 25)) if late else due - timedelta(days=early)
            day = max(day, held[-1] if held else placement.start_date, placement.start_date)
            if day > last_day:
                break
            held.append(day)
        for number, day in enumerate(held, start=1):
            review = _review(rng, ids, placement, day, last=number == len(held), recorder=recorder)
            reviews.append(review)
            for objective in objectives.get(placement.pk, []):
                status = rng.choices(["met", "on_track", "not_on_track"], weights=[2 + number, 5, 2], k=1)[0]
                evidence = rng.choice(EVIDENCE[status]).format(pct=rng.randint(55, 98))
                progress.append(
                    ObjectiveProgress(
                        review=review,
                        objective=objective,
                        objective_text=objective.description,
                        status=status,
                        evidence=evidence,
                    )
                )
    return reviews, progress


def _review(rng, ids, placement: Placement, day: date, *, last: bool, recorder: User) -> Review:
    dual = placement.registration_type == RegistrationType.DUAL
    review = Review(
        public_id=uuid.UUID(int=ids.getrandbits(128), version=4),
        placement=placement,
        held_on=day,
        with_commissioner=True,
        with_provider=True,
        with_home_school=dual and rng.random() < 0.9,
        with_family=rng.random() < 0.85,
        with_child=rng.random() < 0.7,
        with_health=rng.random() < 0.2,
        with_care=placement.child.looked_after and rng.random() < 0.8,
        child_views=rng.choice(CHILD_VIEWS),
        family_views=rng.choice(FAMILY_VIEWS),
        decision=ReviewDecision.CONTINUE,
        recorded_by=recorder,
    )
    end = placement.planned_end_date
    if last and placement.end_date and (placement.end_date - day).days <= 42:
        ending = getattr(placement, "ending", None)
        review.decision = ENDING.get(ending.reason if ending else "", ReviewDecision.END)
    elif (
        last
        and end
        and end > day + timedelta(days=14)
        and (end - placement.start_date).days > 120
        and rng.random() < EXTEND_SHARE
    ):
        review.decision = ReviewDecision.EXTEND
        review.new_planned_end_date = end
        review.extend_reason = "Progress is real but the return needs another half term: agreed with the family"
    return review


def reviews_insert(reviews: list[Review], progress: list[ObjectiveProgress]) -> None:
    Review.objects.bulk_create(reviews, batch_size=1000)
    for row in progress:
        row.review_id = row.review.pk
    ObjectiveProgress.objects.bulk_create(progress, batch_size=2000)


def objectives_by_placement(plans: list[tuple[PersonalisedPlan, list[PlanObjective]]]) -> dict[int, list]:
    return {plan.placement.pk: own for plan, own in plans}


def review_figures_fill(*, since: date) -> int:
    """Keep with each review held from `since` the record since the review before it, as the service does.

    Run once the registers are written. In bulk: the children's marks and exclusions are read once.
    Returns how many reviews were filled.
    """
    reviews = list(
        Review.objects.order_by("placement_id", "held_on", "pk").only("pk", "placement_id", "held_on", "record_since")
    )
    placements = dict(Placement.objects.values_list("pk", "child_id"))
    starts = dict(Placement.objects.values_list("pk", "start_date"))
    periods, before = [], {}
    for review in reviews:
        start = before.get(review.placement_id, starts[review.placement_id])
        before[review.placement_id] = review.held_on
        if review.held_on >= since:
            periods.append((review, placements[review.placement_id], start))
    if not periods:
        return 0
    first = min(start for _, _, start in periods)
    children = {child for _, child, _ in periods}
    names = dict(Placement.objects.values_list("provider_id", "provider__organisation__name").distinct())
    setting_marks, school_marks, exclusions = defaultdict(list), defaultdict(list), defaultdict(list)
    for child_id, day, session, code, provider_id in AttendanceMark.objects.filter(
        child_id__in=children, date__gte=first
    ).values_list("child_id", "date", "session", "code", "provider_id"):
        setting_marks[child_id].append((day, session, code, names[provider_id]))
    for child_id, day, session, code, school in HomeSchoolMark.objects.filter(
        child_id__in=children, date__gte=first
    ).values_list("child_id", "date", "session", "code", "school__name"):
        school_marks[child_id].append((day, session, code, f"{school} (its own register)"))
    for exclusion in Exclusion.objects.filter(child_id__in=children, start_date__gte=first).select_related("school"):
        exclusions[exclusion.child_id].append(exclusion)
    for marks in (*setting_marks.values(), *school_marks.values()):
        marks.sort(key=lambda m: m[0])

    def within(marks: list, start: date, end: date) -> list:
        return marks[
            bisect.bisect_left(marks, start, key=lambda m: m[0]) : bisect.bisect_right(marks, end, key=lambda m: m[0])
        ]

    filled = []
    for review, child, start in periods:
        review.record_since = review_figures(
            since=start,
            until=review.held_on,
            setting_marks=within(setting_marks[child], start, review.held_on),
            school_marks=within(school_marks[child], start, review.held_on),
            exclusions=[exclusion_counted(e) for e in exclusions[child] if start <= e.start_date <= review.held_on],
        )
        filled.append(review)
    Review.objects.bulk_update(filled, ["record_since"], batch_size=1000)
    return len(filled)
