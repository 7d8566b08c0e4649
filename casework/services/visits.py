"""Recording a visit to a child where they are taught (issue 12, item 4: out of area with no review or visit)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from casework.models import PlacementVisit
from core.access import may_record_visit
from core.audit import audit_record
from core.models import AuditAction, User
from placements.models import Placement


def visit_record(*, user: User, placement: Placement, data: dict) -> PlacementVisit:
    """Record a visit to the child at the placement's setting, by the LA of the child's area or the commissioner.

    The visit is on a day of the placement, today or before; whether the child was seen is said either way.
    """
    if not may_record_visit(user=user, placement=placement):
        raise PermissionDenied("Only the local authority or the commissioner can record a visit.")
    visited_on = data.get("visited_on")
    errors = {}
    if visited_on and visited_on > date.today():
        errors["visited_on"] = ["The date of the visit must be today or in the past"]
    elif visited_on and not placement.is_open_on(visited_on):
        errors["visited_on"] = ["The date of the visit must be while the placement was open"]
    if errors:
        raise ValidationError(errors)
    visit = PlacementVisit(
        placement=placement,
        visited_on=visited_on,
        saw_the_child=data.get("saw_the_child"),
        what_was_seen=(data.get("what_was_seen") or "").strip(),
        organisation=user.primary_organisation,
        recorded_by=user,
    )
    visit.full_clean(exclude=["placement", "organisation", "recorded_by"])
    with transaction.atomic():
        visit.save()
        audit_record(
            user=user,
            action=AuditAction.VISIT_RECORDED,
            object_type="visit",
            object_id=visit.public_id,
            children=[placement.child.public_id],
            detail={"placement": str(placement.public_id), "visited_on": visit.visited_on.isoformat()},
        )
    return visit
