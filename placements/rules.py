"""The rules a placement meets that need nothing from the database.

The placement form (through `placements.services`) and the placements import both
apply them, so that a rule is written once. Rules that do need the database (no
overlap with the child's other placements at the provider, one open main roll at an
AP setting) are constraints on `Placement` with a check in the service in front of
them; an import checks them in memory, with `dates_overlap` and `core.constraints`.
"""

from datetime import date
from decimal import Decimal

from core.models import Organisation, OrganisationKind
from placements.models import AttendancePattern, CommissionerType, DestinationType, Placement

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


def commissioner_type_of(organisation: Organisation) -> CommissionerType:
    """The census commissioner type follows from who the commissioner is."""
    return _COMMISSIONER_TYPE_OF_KIND.get(organisation.kind, CommissionerType.OTHER)


def derive(placement: Placement) -> None:
    """Set what follows from the placement's other fields: commissioner type, and out of area."""
    placement.commissioner_type = commissioner_type_of(placement.commissioner)
    placement.out_of_area = placement.provider.location_la != placement.child.area.la_code


def rule_errors(placement: Placement) -> dict[str, list[str]]:
    """The rules beyond the fields' own validation that need no other record, by field."""
    errors: dict[str, list[str]] = {}
    if (
        placement.attendance_pattern == AttendancePattern.FULL_TIME
        and placement.hours_per_week is not None
        and placement.hours_per_week < FULL_TIME_HOURS
    ):
        errors.setdefault("hours_per_week", []).append(
            f"A full-time placement offers at least {FULL_TIME_HOURS} hours a week; record fewer hours as part time."
        )
    if placement.end_date and not placement.end_reason:
        errors.setdefault("end_reason", []).append("Select why the placement ended")
    if placement.destination_type == DestinationType.POST_16 and not placement.destination_post16_activity:
        errors.setdefault("destination_post16_activity", []).append(
            "Select the post-16 activity the young person went on to"
        )
    if placement.outreach_provider_id and placement.outreach_provider_id == placement.provider_id:
        errors.setdefault("outreach_provider", []).append(
            "The outreach provider must be a different setting from the provider"
        )
    return errors


def dates_overlap(start: date, end: date | None, other_start: date, other_end: date | None) -> bool:
    """Whether two placements' dates share a day; both ends count, and no end date means still open."""
    return start <= (other_end or date.max) and other_start <= (end or date.max)


def overlap_message(clash: Placement) -> str:
    """What to say about a placement whose dates cross `clash`, the child's other placement at the provider."""
    end = f" to {clash.end_date:%d/%m/%Y}" if clash.end_date else " with no end date"
    return OVERLAP_MESSAGE.format(start=f"{clash.start_date:%d/%m/%Y}", end=end)
