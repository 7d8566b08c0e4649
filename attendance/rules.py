"""How DfE counts attendance codes: the one place the percentage rules live.

Which codes count as a possible session, which as attendance (present or approved
educational activity such as K and B), which as authorised or unauthorised absence,
all come from `core/reference/attendance_codes.csv`. Every screen, export and API
gets its numbers from `attendance_totals` and `attendance_percentage` below.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django.db.models import Count, Q, QuerySet

from core.codes import code_set

ATTENDED_CATEGORIES = {"present", "attending_approved_educational_activity"}
# Persistent absence is missing 10% or more of possible sessions; severe, 50% or more.
PERSISTENT_ABSENCE_BELOW = Decimal(90)
SEVERE_ABSENCE_BELOW = Decimal(50)


@dataclass(frozen=True)
class CodeGroups:
    possible: frozenset[str]
    attended: frozenset[str]
    authorised: frozenset[str]
    unauthorised: frozenset[str]


@cache
def code_groups() -> CodeGroups:
    codes = code_set("attendance").values()

    def where(test) -> frozenset[str]:
        return frozenset(c.code for c in codes if test(c.row))

    possible = where(lambda r: r["counts_as_possible_session"] == "Y")
    return CodeGroups(
        possible=possible,
        attended=where(lambda r: r["category"] in ATTENDED_CATEGORIES) & possible,
        authorised=where(lambda r: r["category"] == "authorised_absence"),
        unauthorised=where(lambda r: r["category"] == "unauthorised_absence"),
    )


def attendance_percentage(attended: int, possible: int) -> Decimal | None:
    """Attended sessions as a percentage of possible sessions, to one decimal place; None when none were possible."""
    if not possible:
        return None
    return (Decimal(100 * attended) / Decimal(possible)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def absence_band(percentage: Decimal | None) -> str:
    """ "severe", "persistent" or "" — the DfE absence thresholds."""
    if percentage is None:
        return ""
    if percentage < SEVERE_ABSENCE_BELOW:
        return "severe"
    if percentage < PERSISTENT_ABSENCE_BELOW:
        return "persistent"
    return ""


def attendance_totals(marks: QuerySet, *group_by: str) -> QuerySet:
    """Possible, attended, authorised and unauthorised sessions, counted in the database per group."""
    groups = code_groups()
    return (
        marks.order_by()
        .values(*group_by)
        .annotate(
            possible=Count("pk", filter=Q(code__in=groups.possible)),
            attended=Count("pk", filter=Q(code__in=groups.attended)),
            authorised=Count("pk", filter=Q(code__in=groups.authorised)),
            unauthorised=Count("pk", filter=Q(code__in=groups.unauthorised)),
        )
    )
