"""Recording a placement's review (issue 12, item 1).

A review records who took part, progress on each objective of the placement's plan with its evidence,
attendance and suspensions since the last review (pulled from the record), the child's and the family's
views, and the decision. A decision to extend moves the placement's planned end, through the placements
service, in the same transaction.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from casework.models import REVIEW_PARTICIPANTS, ObjectiveProgress, ProgressStatus, Review, ReviewDecision
from casework.selectors.plans import plan_of
from casework.selectors.reviews import review_record_since
from core.access import can_edit_placement, may_record_review
from core.audit import audit_record
from core.models import AuditAction, User
from core.required import missing
from placements.models import Placement, PlacementStatus
from placements.services import placement_extend, placement_next_review_set

# After these the placement ends: there is no next review to agree.
DECISIONS_THAT_END = (ReviewDecision.CHANGE_PROVIDER, ReviewDecision.REINTEGRATE, ReviewDecision.END)
REVIEW_REQUIRED = {
    "held_on": "Enter the date of the review",
    "child_views": "Enter the child's views, or how they were sought if the child gave none",
    "family_views": "Enter the family's views, or how they were sought if the family gave none",
    "decision": "Choose what was decided",
}


def _review_errors(*, placement: Placement, data: dict, progress: list[dict], objectives, last: Review | None):
    today = date.today()
    errors = missing(data, REVIEW_REQUIRED)

    def add(name, message):
        errors.setdefault(name, []).append(message)

    held_on = data.get("held_on")
    if held_on:
        if held_on > today:
            add("held_on", "The date of the review must be today or in the past")
        elif held_on < placement.start_date:
            add(
                "held_on",
                f"The date of the review must be on or after the placement's start, {placement.start_date:%-d %B %Y}",
            )
        elif last and held_on < last.held_on:
            add("held_on", f"The date of the review must be on or after the last review, on {last.held_on:%-d %B %Y}")
    if not any(data.get(name) for name, _ in REVIEW_PARTICIPANTS):
        add("took_part", "Choose who took part in the review")
    given = {p.get("objective"): p for p in progress}
    for number, objective in enumerate(objectives, start=1):
        row = given.get(objective.pk)
        if row is None or row.get("status") not in ProgressStatus.values:
            add("progress", f"Choose the progress on objective {number}: met, on track or not on track")
        elif not (row.get("evidence") or "").strip():
            add("progress", f"Enter the evidence of progress on objective {number}")
    if set(given) - {o.pk for o in objectives}:
        add("progress", "Record progress only on the objectives of this placement's plan")
    if data.get("decision") == ReviewDecision.EXTEND:
        end = data.get("new_planned_end_date")
        current = placement.planned_end_date
        if end is None:
            add("new_planned_end_date", "Enter the new planned end: the placement is extended")
        elif current and end <= current:
            add("new_planned_end_date", f"The new planned end must be after the current one, {current:%-d %B %Y}")
        elif held_on and end <= held_on:
            add("new_planned_end_date", "The new planned end must be after the date of the review")
        if not (data.get("extend_reason") or "").strip():
            add("extend_reason", "Enter why the placement is extended")
    next_review_on = data.get("next_review_on")
    if next_review_on and data.get("decision") in DECISIONS_THAT_END:
        add("next_review_on", "Leave the date of the next review empty: the placement is to end")
    elif next_review_on and held_on and next_review_on <= held_on:
        add("next_review_on", "The next review must be after the date of this review")
    return errors


def review_record(*, user: User, placement: Placement, data: dict, progress: list[dict]) -> Review:
    """Record a review of an open placement, with progress on every objective of its plan.

    The LA of the child's area, the commissioner and the setting may (they review together). Refused: a
    placement that has ended, a date in the future or before the last review, an objective without its
    progress and evidence, and an extension without a later planned end or a reason. Only the LA or the
    commissioner may extend: the setting records another decision, or the commissioner records this one.
    """
    if not may_record_review(user=user, placement=placement):
        raise PermissionDenied("Only the local authority, the commissioner or the setting can record a review.")
    if placement.status_on(date.today()) == PlacementStatus.ENDED:
        raise ValidationError("This placement has ended: there is nothing left to review.")
    if data.get("decision") == ReviewDecision.EXTEND and not can_edit_placement(user=user, placement=placement):
        raise ValidationError(
            {
                "decision": [
                    "Only the local authority or the commissioner can extend a placement: ask them to record this review"
                ]
            }
        )
    plan = plan_of(placement=placement)
    objectives = list(plan.objectives.all()) if plan else []
    last = Review.objects.filter(placement=placement).order_by("-held_on", "-pk").first()
    errors = _review_errors(placement=placement, data=data, progress=progress, objectives=objectives, last=last)
    if errors:
        raise ValidationError(errors)
    since = last.held_on if last else placement.start_date
    review = Review(
        placement=placement,
        held_on=data["held_on"],
        child_views=data["child_views"],
        family_views=data["family_views"],
        decision=data["decision"],
        recorded_by=user,
        record_since=review_record_since(placement=placement, since=since, until=data["held_on"]),
        **{name: bool(data.get(name)) for name, _ in REVIEW_PARTICIPANTS},
    )
    if review.decision == ReviewDecision.EXTEND:
        review.new_planned_end_date = data["new_planned_end_date"]
        review.extend_reason = data["extend_reason"].strip()
    review.next_review_on = data.get("next_review_on")
    review.full_clean(exclude=["placement", "recorded_by"])
    by_objective = {p["objective"]: p for p in progress}
    with transaction.atomic():
        review.save()
        ObjectiveProgress.objects.bulk_create(
            ObjectiveProgress(
                review=review,
                objective=objective,
                objective_text=objective.description,
                status=by_objective[objective.pk]["status"],
                evidence=by_objective[objective.pk]["evidence"].strip(),
            )
            for objective in objectives
        )
        if review.decision == ReviewDecision.EXTEND:
            placement_extend(
                user=user,
                placement=placement,
                planned_end_date=review.new_planned_end_date,
                reason=review.extend_reason,
            )
        # The next review date given before is met by this review: the one agreed now, if any, replaces it.
        placement_next_review_set(placement=placement, review_date=review.next_review_on)
        audit_record(
            user=user,
            action=AuditAction.REVIEW_RECORDED,
            object_type="review",
            object_id=review.public_id,
            children=[placement.child.public_id],
            detail={
                "placement": str(placement.public_id),
                "held_on": review.held_on.isoformat(),
                "decision": review.decision,
                "objectives": len(objectives),
                "next_review_on": review.next_review_on.isoformat() if review.next_review_on else None,
            },
        )
    return review
