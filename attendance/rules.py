"""How DfE counts attendance codes: the one place the percentage rules live.

Which codes count as a possible session, which as attendance (present or approved
educational activity such as K and B), which as authorised or unauthorised absence,
all come from `core/reference/attendance_codes.csv`. Every screen, export and API
gets its numbers from `attendance_totals` and `attendance_percentage` below.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django.db.models import Count, QuerySet

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


def attendance_totals(marks: QuerySet, *group_by: str) -> list[dict]:
    """Possible, attended, authorised and unauthorised sessions per group of marks.

    The database counts marks per group and code; the codes are sorted into DfE's
    categories here, once per group and code rather than once per mark.
    """
    groups = code_groups()
    totals: dict[tuple, dict] = {}
    for *key, code, count in marks.order_by().values_list(*group_by, "code").annotate(count=Count("pk")):
        counts = totals.get(tuple(key))
        if counts is None:
            counts = totals[tuple(key)] = dict(zip(group_by, key, strict=True)) | dict.fromkeys(_CATEGORIES, 0)
        if code in groups.possible:
            counts["possible"] += count
            if code in groups.attended:
                counts["attended"] += count
        if code in groups.authorised:
            counts["authorised"] += count
        elif code in groups.unauthorised:
            counts["unauthorised"] += count
    return list(totals.values())


_CATEGORIES = ("possible", "attended", "authorised", "unauthorised")
