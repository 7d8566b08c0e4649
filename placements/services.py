"""Writes to placements. Each is one transaction with its audit event."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from children.models import Child
from core.access import can_edit_placement, can_place_child, commissioners_for, may_record_part_time_timetable
from core.audit import audit_record
from core.models import AuditAction, User
from placements.models import PartTimeTimetable, Placement
from placements.rules import (  # noqa: F401 - attendance reads FULL_TIME_HOURS here
    FULL_TIME_HOURS,
    derive,
    justification_errors,
    overlap_message,
    part_time_errors,
    rule_errors,
)
from placements.signals import placements_written
from providers.selectors import approval_status_of


def _overlapping(placement: Placement):
    """Another placement of the same child at the same provider whose dates cross this one's."""
    return (
        Placement.objects.filter(child_id=placement.child_id, provider_id=placement.provider_id)
        .exclude(pk=placement.pk)
        .open_during(placement.start_date, placement.end_date)
        .first()
    )


def _check_rules(placement: Placement, *, provider_chosen: bool) -> None:
    """The rules a placement must meet beyond its fields' own validation: the import's too, and no overlap."""
    errors = rule_errors(placement)
    status = approval_status_of(placement.provider) if provider_chosen else None
    for name, messages in justification_errors(placement, status, provider_chosen=provider_chosen).items():
        errors.setdefault(name, []).extend(messages)
    clash = _overlapping(placement)
    if clash:
        errors.setdefault("start_date", []).append(overlap_message(clash))
    if errors:
        raise ValidationError(errors)


def _save(placement: Placement, *, user: User, action: AuditAction, detail: dict, provider_chosen: bool) -> Placement:
    derive(placement)
    placement.full_clean()
    _check_rules(placement, provider_chosen=provider_chosen)
    try:
        with transaction.atomic():
            placement.save()
            placements_written([placement.pk])
            audit_record(
                user=user, action=action, object_type="placement", object_id=placement.public_id, detail=detail
            )
    except IntegrityError as clash:
        # A concurrent write got past the checks above; the database rule stopped it.
        raise ValidationError(
            {"start_date": ["Another placement for this child at this provider overlaps these dates."]}
        ) from clash
    return placement


def placement_create(*, user: User, child: Child, data: dict) -> Placement:
    """Record a placement. The LA or the child's home school may; a school is always the commissioner of its own."""
    if not can_place_child(user=user, child=child):
        raise PermissionDenied("You cannot record a placement for this child.")
    commissioner = data.get("commissioner") or user.primary_organisation
    if not commissioners_for(user=user).filter(pk=commissioner.pk).exists():
        raise PermissionDenied("You cannot record a placement commissioned by another organisation.")
    placement = Placement(child=child, created_by=user, **{**data, "commissioner": commissioner})
    return _save(
        placement,
        user=user,
        action=AuditAction.PLACEMENT_CREATED,
        detail={"child": str(child.public_id)},
        provider_chosen=True,
    )


def placement_update(*, user: User, placement: Placement, data: dict) -> Placement:
    """Change a placement; the history keeps the old values and who changed them."""
    if not can_edit_placement(user=user, placement=placement):
        raise PermissionDenied("You cannot change this placement.")
    commissioner = data.get("commissioner")
    if commissioner and not commissioners_for(user=user).filter(pk=commissioner.pk).exists():
        raise PermissionDenied("You cannot name another organisation as the commissioner.")
    stored = Placement.objects.get(pk=placement.pk)
    changed = [name for name, value in data.items() if getattr(stored, name) != value]
    for name, value in data.items():
        setattr(placement, name, value)
    return _save(
        placement,
        user=user,
        action=AuditAction.PLACEMENT_CHANGED,
        detail={"fields": changed},
        provider_chosen="provider" in changed,
    )


def part_time_timetable_record(
    *, user: User, child: Child, data: dict, timetable: PartTimeTimetable | None = None
) -> PartTimeTimetable:
    """Record, change or end a pupil's part-time timetable at their home school, which the LA then sees.

    The attendance guidance: time-limited, agreed with the parents, reviewed to increase, and part of the
    week only. One that has not ended at a time per pupil.
    """
    if not may_record_part_time_timetable(user=user, child=child):
        raise PermissionDenied("Only the pupil's school or the local authority can record a part-time timetable.")
    if not child.home_school_id:
        raise ValidationError("Record the pupil's school first: a part-time timetable is at the pupil's own school.")
    created = timetable is None
    record = timetable or PartTimeTimetable(child=child, created_by=user, school_id=child.home_school_id)
    changed = [name for name, value in data.items() if getattr(record, name, None) != value]
    for name, value in data.items():
        setattr(record, name, value)
    record.full_clean()
    errors = part_time_errors(record.timetable, record.hours_per_week)
    if errors:
        raise ValidationError({"timetable": errors})
    try:
        with transaction.atomic():
            record.save()
            audit_record(
                user=user,
                action=AuditAction.PART_TIME_TIMETABLE_RECORDED,
                object_type="part_time_timetable",
                object_id=record.public_id,
                children=[child.public_id],
                detail={"created": created, "fields": changed},
            )
    except IntegrityError as clash:
        raise ValidationError(
            {"start_date": ["This pupil already has a part-time timetable that has not ended."]}
        ) from clash
    return record


def placement_extend(*, user: User, placement: Placement, planned_end_date, reason: str) -> Placement:
    """Move a placement's planned end later, with the reason (a review's decision to extend).

    The LA of the child's area or the commissioner may; the new end must be after the current one.
    Call it inside the caller's transaction: the extension stands or falls with what decided it.
    """
    if not can_edit_placement(user=user, placement=placement):
        raise PermissionDenied("Only the local authority or the commissioner can extend a placement.")
    before = placement.planned_end_date
    if before and planned_end_date <= before:
        raise ValidationError({"new_planned_end_date": [f"The new planned end must be after {before:%-d %B %Y}"]})
    if not reason.strip():
        raise ValidationError({"extend_reason": ["Enter why the placement is extended"]})
    placement.planned_end_date = planned_end_date
    placement.full_clean()
    placement.save(update_fields=["planned_end_date"])
    placements_written([placement.pk])
    audit_record(
        user=user,
        action=AuditAction.PLACEMENT_EXTENDED,
        object_type="placement",
        object_id=placement.public_id,
        children=[placement.child.public_id],
        detail={
            "from": before.isoformat() if before else None,
            "to": planned_end_date.isoformat(),
            "reason": reason,
        },
    )
    return placement


def placement_next_review_set(*, placement: Placement, review_date) -> Placement:
    """A review has been held: the placement's next review date becomes the one it agreed, or none, when the
    schedule on the setting's calendar decides. Called inside the review's transaction, which has checked who
    may record it and that the date is after the review; the history keeps the date it replaces.
    """
    placement.review_date = review_date
    placement.full_clean()
    placement.save(update_fields=["review_date"])
    placements_written([placement.pk])
    return placement


def placement_end(*, user: User, placement: Placement, end_date) -> Placement:
    """End a placement on a day (the exit's service, casework.services.exits, records why and where the child went).

    The LA of the child's area or the commissioner may. The end is on or after the start (the model's constraint)
    and makes no overlap with another placement at the provider; the placement's other rules are its record's,
    not the ending's, so an older placement that no longer meets one still ends (as `placement_extend` moves a
    planned end). Its next review, and everything that follows its dates, are worked out again. Call it inside the
    caller's transaction: the end stands or falls with the exit.
    """
    if not can_edit_placement(user=user, placement=placement):
        raise PermissionDenied("Only the local authority or the commissioner can end a placement.")
    before = placement.end_date
    placement.end_date = end_date
    try:
        placement.full_clean()
        clash = _overlapping(placement)
        if clash:
            raise ValidationError({"end_date": [overlap_message(clash)]})
    except ValidationError:
        placement.end_date = before
        raise
    placement.save(update_fields=["end_date"])
    placements_written([placement.pk])
    audit_record(
        user=user,
        action=AuditAction.PLACEMENT_CHANGED,
        object_type="placement",
        object_id=placement.public_id,
        children=[placement.child.public_id],
        detail={"fields": ["end_date"], "from": before.isoformat() if before else None, "to": end_date.isoformat()},
    )
    return placement
