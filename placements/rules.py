"""The rules a placement meets that need nothing from the database.

The placement form (through `placements.services`) and the placements import both
apply them, so that a rule is written once. Rules that do need the database (no
overlap with the child's other placements at the provider, one open main roll at an
AP setting) are constraints on `Placement` with a check in the service in front of
them; an import checks them in memory, with `core.periods.overlap` and `core.constraints`.
"""

import math
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from core.codes import code_set
from core.models import Organisation, OrganisationKind
from placements.models import (
    FULL_WEEK,
    MAX_HOURS_PER_WEEK,
    AttendancePattern,
    CommissionerType,
    Placement,
    ProvisionType,
)
from providers.models import APPROVED, ApprovalStatus, Registration

# DfE: full-time education is education for the equivalent of a full school week, about 25 hours.
FULL_TIME_HOURS = Decimal(25)

OVERLAP_MESSAGE = (
    "This child already has a placement at this provider from {start}{end}. "
    "Change the dates so they do not overlap, or edit the existing placement."
)

_COMMISSIONER_TYPE_OF_KIND = {
    OrganisationKind.LOCAL_AUTHORITY: CommissionerType.LOCAL_AUTHORITY,
    OrganisationKind.VIRTUAL_SCHOOL: CommissionerType.LOCAL_AUTHORITY,
    OrganisationKind.SCHOOL: CommissionerType.SCHOOL,
    OrganisationKind.ACADEMY_TRUST: CommissionerType.ACADEMY_TRUST,
    OrganisationKind.HEALTH: CommissionerType.HEALTH,
    OrganisationKind.SOCIAL_CARE: CommissionerType.SOCIAL_CARE,
}


# A placement is recorded when it is agreed, which can be a term or two ahead, never years.
START_HORIZON_MONTHS = 12

# A session is a morning or an afternoon; the longest school week, 32.5 hours, is ten sessions of 3.25.
MAX_HOURS_PER_SESSION = Decimal(MAX_HOURS_PER_WEEK) / 10
NO_SESSION = "0" * 10

# The types of provision that say what kind of school the provider is: a PRU or AP academy is
# state-maintained, independent AP is not. Tuition, online and outreach fit any registration.
_PROVISION_FOR_REGISTRATION = {
    ProvisionType.PRU_OR_AP_ACADEMY: {Registration.STATE_MAINTAINED},
    ProvisionType.INDEPENDENT_AP: {Registration.INDEPENDENT_REGISTERED, Registration.INDEPENDENT_UNREGISTERED},
}

# Who arranged the placement decides the census its reason is returned in: a school's in the
# school census (AP placements arranged by schools), everyone else's in the LA's AP census.
# `arranged_by` in core/reference/ap_placement_reason.csv says which each reason belongs to.
SCHOOL_ARRANGED = "school"
LA_ARRANGED = "local_authority"
SCHOOL_COMMISSIONERS = {CommissionerType.SCHOOL, CommissionerType.ACADEMY_TRUST}


def latest_start(today: date) -> date:
    """The furthest ahead a placement may start: START_HORIZON_MONTHS after today."""
    return today + relativedelta(months=START_HORIZON_MONTHS)


def start_date_errors(start: date | None, today: date) -> list[str]:
    """A start date years ahead is a typing slip (2099 for 2025), not a plan."""
    if start and start > latest_start(today):
        return [
            f"The start date must be no later than {latest_start(today):%d/%m/%Y}, "
            f"{START_HORIZON_MONTHS} months from today: check the year"
        ]
    return []


def arranged_by(commissioner_type: str) -> str:
    """Which census a placement commissioned by this type of organisation is returned in."""
    return SCHOOL_ARRANGED if commissioner_type in SCHOOL_COMMISSIONERS else LA_ARRANGED


def reason_choices(arranger: str) -> list[tuple[str, str]]:
    """The reasons for placement of the census a school-arranged or LA-arranged placement is returned in."""
    return [(c.code, c.label) for c in code_set("ap_placement_reason").values() if c.row["arranged_by"] == arranger]


def commissioner_type_of(organisation: Organisation) -> CommissionerType:
    """The census commissioner type follows from who the commissioner is."""
    return _COMMISSIONER_TYPE_OF_KIND.get(organisation.kind, CommissionerType.OTHER)


def derive(placement: Placement) -> None:
    """Set what follows from the placement's other fields: commissioner type, and out of area."""
    placement.commissioner_type = commissioner_type_of(placement.commissioner)
    placement.out_of_area = placement.provider.location_la != placement.child.area.la_code


def rule_errors(placement: Placement, today: date | None = None) -> dict[str, list[str]]:
    """The rules beyond the fields' own validation that need no other record, by field.

    The placement form and the placements import both apply all of them through this one function.
    """
    errors = _field_errors(placement, today or date.today())
    for extra in (timetable_errors(placement), reason_errors(placement), notification_errors(placement)):
        for name, messages in extra.items():
            errors.setdefault(name, []).extend(messages)
    return errors


def _field_errors(placement: Placement, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for message in start_date_errors(placement.start_date, today):
        errors.setdefault("start_date", []).append(message)
    allowed = _PROVISION_FOR_REGISTRATION.get(placement.provision_type)
    if allowed and placement.provider_id and placement.provider.registration not in allowed:
        errors.setdefault("provision_type", []).append(
            f"{placement.provider} is {placement.provider.get_registration_display().lower()}, so the type of "
            f"provision cannot be {ProvisionType(placement.provision_type).label}: choose the type that matches "
            "the provider's registration"
        )
    if (
        placement.attendance_pattern == AttendancePattern.FULL_TIME
        and placement.hours_per_week is not None
        and placement.hours_per_week < FULL_TIME_HOURS
    ):
        errors.setdefault("hours_per_week", []).append(
            f"A full-time placement offers at least {FULL_TIME_HOURS} hours a week; record fewer hours as part time."
        )
    if placement.outreach_provider_id and placement.outreach_provider_id == placement.provider_id:
        errors.setdefault("outreach_provider", []).append(
            "The outreach provider must be a different setting from the provider"
        )
    return errors


def timetable_unstated(attendance_pattern: str) -> str:
    """The timetable of a placement whose sessions are not given (an empty cell in a file).

    A full-time placement is at every session; a part-time one is at none yet, which
    `timetable_errors` refuses: only the person recording it knows which sessions they are.
    """
    return FULL_WEEK if attendance_pattern == AttendancePattern.FULL_TIME else NO_SESSION


def timetable_errors(placement: Placement) -> dict[str, list[str]]:
    """The sessions are given and agree with the hours: the hours fit in them, and part time is not every session."""
    timetable = placement.timetable or ""
    sessions = timetable.count("1")
    hours = placement.hours_per_week
    part_time = placement.attendance_pattern == AttendancePattern.PART_TIME
    errors: list[str] = []
    if not sessions:
        errors.append(
            f"A {'part-time ' if part_time else ''}placement needs the sessions the child attends, "
            "for example Mon, Tue AM"
        )
    if hours is not None and sessions and hours > sessions * MAX_HOURS_PER_SESSION:
        needed = math.ceil(hours / MAX_HOURS_PER_SESSION)
        errors.append(
            f"{hours} hours a week do not fit in {sessions} session{'s' if sessions != 1 else ''} "
            f"(a session is at most {MAX_HOURS_PER_SESSION} hours): choose at least {needed} sessions, "
            "or record fewer hours"
        )
    if part_time and len(timetable) == 10 and sessions == 10:
        errors.append(
            "A part-time placement does not cover all ten sessions: choose only the sessions the child attends, "
            "or record the placement as full time"
        )
    return {"timetable": errors} if errors else {}


def part_time_errors(timetable: str, hours: Decimal | None) -> list[str]:
    """A part-time timetable at school: some sessions, not all ten, and hours that fit in them."""
    sessions = (timetable or "").count("1")
    if not sessions:
        return ["Choose the sessions the pupil is in school"]
    if sessions == 10:
        return ["A part-time timetable leaves out some sessions: choose only those the pupil is in school"]
    if hours is not None and hours > sessions * MAX_HOURS_PER_SESSION:
        return [
            f"{hours} hours a week do not fit in {sessions} session{'s' if sessions != 1 else ''}: "
            "choose more sessions, or record fewer hours"
        ]
    return []


def reason_errors(placement: Placement) -> dict[str, list[str]]:
    """The reason comes from the census of whoever arranged the placement (school census or AP census)."""
    if not placement.reason or not placement.commissioner_type:
        return {}
    arranger = arranged_by(placement.commissioner_type)
    if placement.reason in dict(reason_choices(arranger)):
        return {}
    whose = "a school" if arranger == SCHOOL_ARRANGED else "the local authority"
    census = "school census" if arranger == SCHOOL_ARRANGED else "AP census"
    reasons = ", ".join(label for _code, label in reason_choices(arranger))
    return {
        "reason": [
            f"This placement is arranged by {whose}: choose a reason for placement from the {census} list ({reasons})"
        ]
    }


def notification_errors(placement: Placement) -> dict[str, list[str]]:
    """A school that commissions AP tells the LA, once, when it will end and when it will be reviewed.

    The DfE's 2025 guidance: schools always inform the local authority of the placements they commission,
    and every placement has a timeline. Asked of an open placement a school is recording, by form or file;
    a placement that has already ended is history, told as it was.
    """
    if placement.pk or placement.end_date or arranged_by(placement.commissioner_type) != SCHOOL_ARRANGED:
        return {}
    errors = {}
    if not placement.planned_end_date:
        errors["planned_end_date"] = [
            "Enter the planned end date: a school tells the local authority how long the placement is for"
        ]
    if not placement.review_date:
        errors["review_date"] = ["Enter the date of the first review: when you, the setting and the family will meet"]
    elif placement.planned_end_date and placement.review_date > placement.planned_end_date:
        errors["review_date"] = ["The first review must be on or before the planned end date"]
    return errors


def justification_errors(placement: Placement, approval_status: str | None, *, provider_chosen: bool) -> dict:
    """A child placed at a provider the area has not approved needs the reason why, for the LA to see (issue 13).

    Asked when the provider is chosen (a new placement, or a change of provider) for a placement still open; a
    placement that has ended is history, told as it was. `approval_status` is the area's latest decision on the
    provider, None while there is none: a provider nobody has decided on is not approved either.
    """
    if not provider_chosen or placement.end_date or approval_status in APPROVED:
        return {}
    if placement.provider_justification.strip():
        return {}
    if approval_status is None:
        standing = f"The area has not decided on the approval of {placement.provider}"
    else:
        standing = f"The area's approval of {placement.provider} is {ApprovalStatus(approval_status).label.lower()}"
    return {
        "provider_justification": [
            f"{standing}: say why this provider, rather than an approved one, is right for the child"
        ]
    }


def overlap_message(clash: Placement) -> str:
    """What to say about a placement whose dates cross `clash`, the child's other placement at the provider."""
    end = f" to {clash.end_date:%d/%m/%Y}" if clash.end_date else " with no end date"
    return OVERLAP_MESSAGE.format(start=f"{clash.start_date:%d/%m/%Y}", end=end)
