"""Recording a destination check of a young person who left AP in Year 11 or later (issue 12, item 3).

One check of each kind per leaving, in NCCIS activity codes, dated within or after its window, saying how the
activity is known. The September Guarantee check says whether a place was offered; the March check counts the
months from October to March in education or training and in employment, from which the destination is judged
sustained (casework.destinations).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from casework.destinations import EDUCATION_OR_TRAINING, EMPLOYMENT, destination_measure
from casework.models import MONTHS_OCTOBER_TO_MARCH, DestinationCheck, DestinationCheckKind, HowKnown
from casework.selectors.destinations import Leaving
from core.access import may_keep_destination_checks
from core.audit import audit_record
from core.codes import code_set
from core.models import AuditAction, User

CHECK_REQUIRED = {
    "activity": "Choose what the young person is doing, as an NCCIS activity",
    "checked_on": "Enter the date checked",
    "how_known": "Choose how it is known",
}
MONTHS_FIELDS = {
    "months_in_education_or_training": "in education or training",
    "months_employed": "employed",
}


def _check_errors(*, leaving: Leaving, kind: str, data: dict) -> dict[str, list[str]]:
    today = date.today()
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    due = next((c for c in leaving.schedule if c.kind == kind), None)
    if due is None:
        add("kind", "The September Guarantee is checked only for young people who left in Year 11 or Year 12")
        return errors
    if kind in leaving.recorded:
        add("kind", f"The {due.label} check is already recorded for this young person")
    for name, message in CHECK_REQUIRED.items():
        if not data.get(name):
            add(name, message)
    activity = data.get("activity")
    if activity and activity not in code_set("post16_activity"):
        add("activity", "Choose an activity from the NCCIS list")
    checked_on = data.get("checked_on")
    if checked_on:
        if checked_on > today:
            add("checked_on", "The date checked must be today or in the past")
        elif checked_on < due.opens:
            add("checked_on", f"The {due.label} check is made from {due.opens:%-d %B %Y}: date it then or later")
    if data.get("how_known") == HowKnown.OTHER and not (data.get("notes") or "").strip():
        add("notes", "Say in the notes how it is known")
    if kind == DestinationCheckKind.SEPTEMBER_GUARANTEE and data.get("offer_made") is None:
        add("offer_made", "Say whether a place in education or training was offered by the end of September")
    if kind == DestinationCheckKind.MARCH:
        _months_errors(data, activity, add)
    return errors


def _months_errors(data: dict, activity: str | None, add) -> None:
    """The March check's months from October to March, each 0 to 6, and March itself counted as what it found."""
    for name, words in MONTHS_FIELDS.items():
        months = data.get(name)
        if months is None or not 0 <= months <= MONTHS_OCTOBER_TO_MARCH:
            add(name, f"Enter how many months from October to March the young person was {words}, from 0 to 6")
    measure = destination_measure(activity)
    counted = {EDUCATION_OR_TRAINING: "months_in_education_or_training", EMPLOYMENT: "months_employed"}.get(measure)
    if counted and data.get(counted) == 0:
        words = MONTHS_FIELDS[counted]
        add(counted, f"The activity in March is one where the young person is {words}: count March among the months")


def destination_check_record(*, user: User, leaving: Leaving, kind: str, data: dict) -> DestinationCheck:
    """Record one check of a young person who left AP in Year 11 or later.

    Whoever core.access.may_keep_destination_checks names may. Refused: a check already recorded for this
    leaving, the September Guarantee for a young person who left in Year 13, a date in the future or before
    the check's window opens, an activity not in the NCCIS list, "another way" without saying how, the
    September Guarantee without saying whether a place was offered, and the March check without its months.
    """
    placement = leaving.placement
    if not may_keep_destination_checks(user=user, placement=placement):
        raise PermissionDenied(
            "Only the local authority, the setting the young person left or the virtual school can record this check."
        )
    errors = _check_errors(leaving=leaving, kind=kind, data=data)
    if errors:
        raise ValidationError(errors)
    march = kind == DestinationCheckKind.MARCH
    check = DestinationCheck(
        placement=placement,
        kind=kind,
        activity=data["activity"],
        checked_on=data["checked_on"],
        how_known=data["how_known"],
        offer_made=data.get("offer_made") if kind == DestinationCheckKind.SEPTEMBER_GUARANTEE else None,
        months_in_education_or_training=data["months_in_education_or_training"] if march else None,
        months_employed=data["months_employed"] if march else None,
        notes=(data.get("notes") or "").strip(),
        recorded_by=user,
    )
    check.full_clean(exclude=["placement", "recorded_by"])
    try:
        with transaction.atomic():
            check.save()
            audit_record(
                user=user,
                action=AuditAction.DESTINATION_CHECK_RECORDED,
                object_type="destination_check",
                object_id=check.public_id,
                children=[placement.child.public_id],
                detail={
                    "placement": str(placement.public_id),
                    "check": kind,
                    "activity": check.activity,
                    "checked_on": check.checked_on.isoformat(),
                },
            )
    except IntegrityError:
        # Recorded by someone else a moment ago: the constraint keeps one per check.
        raise ValidationError({"kind": ["This check is already recorded for this young person"]}) from None
    return check
