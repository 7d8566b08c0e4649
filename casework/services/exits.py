"""Ending a placement, and the returns to school that follow (issue 12, item 2).

An ending records why, where the child went (core/reference/destinations.csv), the NCCIS activity where the
destination needs it, and a transition plan with the person who supports the child after the move. The
placement's end date is written through the placements service, so its next review and everything that follows
its dates stay right. A destination that returns the child to school starts a reintegration attempt, whose
outcome is recorded at 6 and 12 school weeks on the school's calendar.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from casework.models import (
    OUTCOME_WEEKS,
    Destination,
    EndReason,
    PlacementExit,
    ReintegrationAttempt,
    ReintegrationOutcome,
    destinations_where,
)
from casework.schedule import school_weeks_on
from casework.selectors.reviews import LOOK_AHEAD, SchoolYears
from children.models import Child
from core.access import (
    may_add_reintegration_attempt,
    may_record_exit,
    may_record_reintegration_outcome,
)
from core.audit import audit_record
from core.codes import code_set
from core.models import AuditAction, Organisation, OrganisationKind, User
from core.required import is_blank, missing
from placements.models import Placement
from placements.services import placement_end

# A return to school is recorded in the days after the ending: not before it, nor long after.
RETURN_WITHIN = timedelta(days=366)
EXIT_REQUIRED = {
    "reason": "Choose why the placement ended",
    "end_date": "Enter the date the placement ended",
    "destination": "Choose where the child went after the placement",
    "transition_plan": "Enter the transition plan: how the move is prepared and supported",
    "support_name": "Enter the name of the person who supports the child after the move",
    "support_role": "Enter the role of the person who supports the child after the move",
    "support_organisation": "Enter the organisation of the person who supports the child after the move",
}
ATTEMPT_REQUIRED = {
    "returned_on": "Enter the date the child returned to school",
    "school": "Choose the school the child returned to",
    "support": "Enter the support in place at the school",
}
# The school a destination returns the child to, when the exit names none: the home school for "back to the
# home school"; another must be chosen.
HOME_SCHOOL = Destination.HOME_SCHOOL


def _exit_errors(*, placement: Placement, data: dict, today: date) -> dict[str, list[str]]:
    errors = missing(data, EXIT_REQUIRED)

    def add(name, message):
        errors.setdefault(name, []).append(message)

    if data.get("reason") and data["reason"] not in EndReason.values:
        add("reason", "Choose why the placement ended from the list")
    destination = data.get("destination")
    if destination and destination not in Destination.values:
        add("destination", "Choose where the child went from the list")
    end = data.get("end_date")
    if end:
        if end < placement.start_date:
            add("end_date", f"The end date must be on or after the placement's start, {placement.start_date:%-d %B %Y}")
        elif end > today + timedelta(days=31):
            add("end_date", "The end date must be within a month from today")
    activity = (data.get("post16_activity") or "").strip()
    if destination in destinations_where("post16_activity_needed"):
        if not activity:
            add("post16_activity", "Choose the post-16 activity the young person went on to (NCCIS code)")
        elif activity not in code_set("post16_activity"):
            add("post16_activity", "Choose the post-16 activity from the NCCIS list")
    elif activity:
        add("post16_activity", "Leave the post-16 activity empty: it is only for post-16 destinations and NEET")
    if destination == Destination.OTHER and is_blank(data.get("destination_detail")):
        add("destination_detail", "Say where the child went: the destination is 'other'")
    until = data.get("support_until")
    if until and end and until < end:
        add("support_until", "The support must last until the end date or after it")
    returning = destinations_where("returns_to_school")
    if destination in returning and destination != HOME_SCHOOL and data.get("school") is None:
        add("school", "Choose the school the child goes to")
    if destination == HOME_SCHOOL and placement.child.home_school_id is None:
        add("destination", "The child has no home school on record: choose another mainstream school instead")
    return errors


def placement_exit_record(*, user: User, placement: Placement, data: dict) -> PlacementExit:
    """End a placement: why, when, where the child went, the transition plan and who supports the child after.

    The LA of the child's area or the commissioner may (core.access.may_record_exit). The end date goes on the
    placement through placements.services.placement_end (its rules, its next review, its audit); a placement
    already ended gets its exit recorded or corrected the same way. A destination that returns the child to
    school (the home school, another mainstream school, a special school) starts a reintegration attempt from
    the day after the end, at that school, with the named support; none is started twice for one placement.
    All or nothing: one transaction.
    """
    if not may_record_exit(user=user, placement=placement):
        raise PermissionDenied("Only the local authority or the commissioner can end a placement.")
    today = date.today()
    errors = _exit_errors(placement=placement, data=data, today=today)
    if errors:
        raise ValidationError(errors)
    exit_ = PlacementExit.objects.filter(placement=placement).first() or PlacementExit(placement=placement)
    created = exit_.pk is None
    exit_.reason = data["reason"]
    exit_.destination = data["destination"]
    exit_.post16_activity = (data.get("post16_activity") or "").strip()
    exit_.destination_detail = (data.get("destination_detail") or "").strip()
    exit_.transition_plan = data["transition_plan"].strip()
    exit_.support_name = data["support_name"].strip()
    exit_.support_role = data["support_role"].strip()
    exit_.support_organisation = data["support_organisation"].strip()
    exit_.support_until = data.get("support_until")
    exit_.recorded_by = user
    exit_.full_clean(exclude=["placement", "recorded_by"])
    with transaction.atomic():
        if placement.end_date != data["end_date"]:
            placement_end(user=user, placement=placement, end_date=data["end_date"])
        exit_.save()
        attempt = None
        if exit_.returns_to_school and not placement.reintegration_attempts.exists():
            school = placement.child.home_school if exit_.destination == HOME_SCHOOL else data["school"]
            attempt = _attempt_save(
                user=user,
                child=placement.child,
                placement=placement,
                returned_on=placement.end_date + timedelta(days=1),
                school=school,
                support=f"{exit_.transition_plan}\nSupported by {exit_.support_shown}",
            )
        audit_record(
            user=user,
            action=AuditAction.EXIT_RECORDED,
            object_type="placement_exit",
            object_id=exit_.public_id,
            children=[placement.child.public_id],
            detail={
                "placement": str(placement.public_id),
                "created": created,
                "end_date": placement.end_date.isoformat(),
                "reason": exit_.reason,
                "destination": exit_.destination,
                "reintegration_attempt": str(attempt.public_id) if attempt else None,
            },
        )
    return exit_


def outcome_dates(*, school: Organisation, returned_on: date) -> tuple[date | None, date | None]:
    """The 6th and 12th school weeks' last school days from a return, on the school's calendar."""
    years = SchoolYears(organisations=[school.pk], start=returned_on, end=returned_on + LOOK_AHEAD)
    six, twelve = school_weeks_on(school_year=years.of(school.pk), start=returned_on, weeks=OUTCOME_WEEKS)
    return six, twelve


def _attempt_save(
    *, user: User, child: Child, placement: Placement | None, returned_on: date, school: Organisation, support: str
) -> ReintegrationAttempt:
    six, twelve = outcome_dates(school=school, returned_on=returned_on)
    attempt = ReintegrationAttempt(
        child=child,
        placement=placement,
        returned_on=returned_on,
        school=school,
        support=support.strip(),
        six_weeks_on=six,
        twelve_weeks_on=twelve,
        recorded_by=user,
    )
    attempt.full_clean(exclude=["child", "placement", "school", "recorded_by"])
    attempt.save()
    audit_record(
        user=user,
        action=AuditAction.REINTEGRATION_RECORDED,
        object_type="reintegration_attempt",
        object_id=attempt.public_id,
        children=[child.public_id],
        detail={
            "placement": str(placement.public_id) if placement else None,
            "school": school.pk,
            "returned_on": returned_on.isoformat(),
        },
    )
    return attempt


def reintegration_attempt_record(*, user: User, child: Child, data: dict) -> ReintegrationAttempt:
    """Record by hand a child's return to school (one not started by an exit: a managed move, a return from
    elective home education). The LA of the child's area or the child's home school may. The school is a school;
    the date is today or before, and after the placement it came from ended, if one is named.
    """
    if not may_add_reintegration_attempt(user=user, child=child):
        raise PermissionDenied("Only the local authority or the child's school can record a return to school.")
    errors = missing(data, ATTEMPT_REQUIRED)
    school = data.get("school")
    if school is not None and school.kind != OrganisationKind.SCHOOL:
        errors.setdefault("school", []).append("Choose a school: the child returns to a school")
    returned_on = data.get("returned_on")
    placement = data.get("placement")
    if returned_on and returned_on > date.today():
        errors.setdefault("returned_on", []).append("The date of the return must be today or in the past")
    if placement is not None:
        if placement.child_id != child.pk:
            errors.setdefault("placement", []).append("Choose one of this child's placements")
        elif returned_on and placement.end_date and returned_on <= placement.end_date:
            errors.setdefault("returned_on", []).append(
                f"The date of the return must be after the placement ended, on {placement.end_date:%-d %B %Y}"
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _attempt_save(
            user=user,
            child=child,
            placement=placement,
            returned_on=returned_on,
            school=school,
            support=data["support"],
        )


def reintegration_outcome_record(*, user: User, attempt: ReintegrationAttempt, data: dict) -> ReintegrationAttempt:
    """Record how a return to school went at 6 and/or 12 school weeks, and why, if it broke down.

    The LA of the child's area, the school the child returned to or the placement's commissioner may
    (core.access.may_record_reintegration_outcome). An outcome is recorded from its date on the school's calendar
    (not before); a breakdown says why; after a breakdown at 6 weeks the 12-week outcome is "broke down" too.
    """
    if not may_record_reintegration_outcome(user=user, attempt=attempt):
        raise PermissionDenied(
            "Only the local authority, the school the child returned to or the commissioner can record how it went."
        )
    today = date.today()
    errors: dict[str, list[str]] = {}
    given = {}
    for weeks in OUTCOME_WEEKS:
        name = f"outcome_{weeks}_weeks"
        value = data.get(name) or ""
        if not value:
            continue
        if value not in ReintegrationOutcome.values:
            errors.setdefault(name, []).append(f"Choose the outcome at {weeks} weeks from the list")
            continue
        due = getattr(attempt, "six_weeks_on" if weeks == 6 else "twelve_weeks_on")
        known = value != ReintegrationOutcome.NOT_YET_KNOWN
        if known and (due or attempt.returned_on + timedelta(weeks=weeks)) > today:
            errors.setdefault(name, []).append(
                f"The outcome at {weeks} weeks can be recorded from {(due or attempt.returned_on + timedelta(weeks=weeks)):%-d %B %Y}"
            )
        given[name] = value
    if not given:
        errors.setdefault("outcome_6_weeks", []).append("Choose the outcome at 6 weeks or at 12 weeks")
    six = given.get("outcome_6_weeks", attempt.outcome_6_weeks)
    twelve = given.get("outcome_12_weeks", attempt.outcome_12_weeks)
    if six == ReintegrationOutcome.BROKE_DOWN and twelve and twelve != ReintegrationOutcome.BROKE_DOWN:
        errors.setdefault("outcome_12_weeks", []).append(
            "The return broke down at 6 weeks: the outcome at 12 weeks is 'broke down' too"
        )
    why = (data.get("why_failed") or "").strip() or attempt.why_failed
    if ReintegrationOutcome.BROKE_DOWN in (six, twelve) and not why:
        errors.setdefault("why_failed", []).append("Enter why the return to school broke down")
    if errors:
        raise ValidationError(errors)
    if six == ReintegrationOutcome.BROKE_DOWN:
        twelve = ReintegrationOutcome.BROKE_DOWN
    attempt.outcome_6_weeks, attempt.outcome_12_weeks, attempt.why_failed = six, twelve, why
    attempt.full_clean(exclude=["child", "placement", "school", "recorded_by"])
    with transaction.atomic():
        attempt.save(update_fields=["outcome_6_weeks", "outcome_12_weeks", "why_failed"])
        audit_record(
            user=user,
            action=AuditAction.REINTEGRATION_OUTCOME_RECORDED,
            object_type="reintegration_attempt",
            object_id=attempt.public_id,
            children=[attempt.child.public_id],
            detail={"outcome_6_weeks": six, "outcome_12_weeks": twelve},
        )
    return attempt
