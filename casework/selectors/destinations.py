"""Reads of young people who left AP in Year 11 or later, their destination checks, the checks due and who is NEET.

Each starts from core.access (leavings_visible_to, destination_checks_visible_to). When each check is due and
whether a destination was sustained are worked out by casework.destinations, which touches no database.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from casework.destinations import (
    TRACKED_FOR,
    DueCheck,
    Sustained,
    destination_schedule,
    neet_codes,
    neet_label,
    sustained_destination,
    tracked_until,
)
from casework.models import DestinationCheck, DestinationCheckKind
from core.access import destination_checks_visible_to, leaving_get_for_user, leavings_visible_to
from core.models import User
from placements.models import Placement
from placements.selectors import born_in_year_group, year_group_on

# What the list of checks due shows: every young person with a check due or overdue, or NEET at their last check.
SHOW_DUE, SHOW_OVERDUE, SHOW_NEET = "due", "overdue", "neet"
SHOWS = {
    SHOW_DUE: "Checks due or overdue, and anyone NEET",
    SHOW_OVERDUE: "Checks overdue",
    SHOW_NEET: "NEET at their last check",
}


def _left_ap(placements: QuerySet) -> QuerySet:
    """The placements that ended with no later AP placement of the child: the young person has left AP.

    A later placement is looked for among all the child's placements, seen or not: only whether one exists
    decides, and nothing of it is shown. Two ending the same day: the later-recorded one is the leaving.
    """
    later = Placement.objects.filter(child_id=OuterRef("child_id")).filter(
        Q(end_date__isnull=True)
        | Q(end_date__gt=OuterRef("end_date"))
        | Q(end_date=OuterRef("end_date"), pk__gt=OuterRef("pk"))
    )
    return placements.filter(end_date__isnull=False).exclude(Exists(later))


@dataclass
class Leaving:
    """A young person who left AP in Year 11 or later: the placement they left, their checks owed and recorded."""

    placement: Placement
    year_group: int
    schedule: list[DueCheck]
    recorded: dict[str, DestinationCheck] = field(default_factory=dict)

    @classmethod
    def of(cls, placement: Placement, checks=()) -> "Leaving":
        year = year_group_on(placement.child.date_of_birth, placement.end_date)
        schedule = destination_schedule(left_on=placement.end_date, year_group=year)
        return cls(placement, year, schedule, {c.kind: c for c in checks})

    @property
    def child(self):
        return self.placement.child

    def outstanding(self, today: date) -> list[DueCheck]:
        """The checks whose window has opened and that are not recorded, earliest first."""
        return [c for c in self.schedule if c.is_open(today) and c.kind not in self.recorded]

    def overdue(self, today: date) -> list[DueCheck]:
        return [c for c in self.outstanding(today) if c.is_overdue(today)]

    def rows(self) -> list[tuple[DueCheck, DestinationCheck | None]]:
        """Each check owed, with what was recorded at it."""
        return [(due, self.recorded.get(due.kind)) for due in self.schedule]

    @property
    def latest(self) -> DestinationCheck | None:
        """The check most recently made: what the young person was last known to be doing."""
        return max(self.recorded.values(), key=lambda c: (c.checked_on, c.pk), default=None)

    @property
    def neet(self) -> str:
        """ "NEET" or "NEET, not available to the labour market" if the latest check says so; else ""."""
        return neet_label(self.latest.activity) if self.latest else ""

    @property
    def sustained(self) -> Sustained:
        october = self.recorded.get(DestinationCheckKind.OCTOBER)
        march = self.recorded.get(DestinationCheckKind.MARCH)
        return sustained_destination(
            october=october.activity if october else None,
            march=march.activity if march else None,
            months_in_education_or_training=march.months_in_education_or_training if march else None,
            months_employed=march.months_employed if march else None,
        )


def _leavings(user: User, today: date, placements: QuerySet | None = None) -> list[Leaving]:
    """The leavings of Year 11 or later among the placements the user may keep checks of, with their checks.

    Two queries: the placements (with child and setting), and their checks.
    """
    placements = placements if placements is not None else leavings_visible_to(user=user, today=today)
    # No one leaves in Year 11 or later who is not in Year 11 or later today.
    oldest_year_11 = born_in_year_group(11, today)[1]
    candidates = [
        p
        for p in _left_ap(placements)
        .filter(end_date__lte=today, child__date_of_birth__lte=oldest_year_11)
        .select_related("child", "provider__organisation")
        .order_by("pk")
        if year_group_on(p.child.date_of_birth, p.end_date) >= 11
    ]
    checks: dict[int, list[DestinationCheck]] = {}
    if candidates:
        for check in (
            destination_checks_visible_to(user=user, today=today)
            .filter(placement_id__in=[p.pk for p in candidates])
            .select_related("recorded_by")
        ):
            checks.setdefault(check.placement_id, []).append(check)
    return [Leaving.of(p, checks.get(p.pk, ())) for p in candidates]


def _still_followed(user: User, today: date) -> QuerySet:
    """The user's leavings that may still be followed today: those that ended in the last two years and a quarter,
    with a few days' margin for the months' ends (`tracked_until` decides each exactly)."""
    return leavings_visible_to(user=user, today=today).filter(
        end_date__range=(today - TRACKED_FOR - timedelta(days=3), today)
    )


def checks_due(*, user: User, today: date, show: str = SHOW_DUE, kind: str = "") -> list[Leaving]:
    """The young people still followed (two years and a quarter from leaving) with a check due or overdue, or
    NEET at their last check; narrowed to the checks overdue, or to those NEET, and to one kind of check.
    Longest overdue first, then the NEET, then by name. Two queries however many young people."""
    found = []
    for leaving in _leavings(user, today, _still_followed(user, today)):
        if today > tracked_until(left_on=leaving.placement.end_date):
            continue
        outstanding = [c for c in leaving.outstanding(today) if not kind or c.kind == kind]
        overdue = [c for c in outstanding if c.is_overdue(today)]
        wanted = {
            SHOW_DUE: bool(outstanding) or (bool(leaving.neet) and not kind),
            SHOW_OVERDUE: bool(overdue),
            SHOW_NEET: bool(leaving.neet),
        }[show]
        if wanted:
            found.append(leaving)

    def order(leaving: Leaving):
        overdue = leaving.overdue(today)
        longest = max((c.days_overdue(today) for c in overdue), default=0)
        return (-longest, not leaving.neet, leaving.child.last_name, leaving.child.first_name, leaving.placement.pk)

    return sorted(found, key=order)


def leaving_read(*, user: User, public_id, today: date) -> Leaving:
    """One leaving with its checks, through the gateway (core.access.leaving_get_for_user): 404 alike for missing
    and forbidden, and for a placement that is not a leaving of Year 11 or later (nothing to check)."""
    placement = leaving_get_for_user(user=user, public_id=public_id)
    leavings = _leavings(user, today, leavings_visible_to(user=user, today=today).filter(pk=placement.pk))
    if not leavings:
        raise Http404("Not a young person who left AP in Year 11 or later")
    return leavings[0]


def leavings_of_child(*, user: User, child, today: date) -> list[Leaving]:
    """The child's leaving of AP in Year 11 or later, if they left and the user may see its checks."""
    return _leavings(user, today, leavings_visible_to(user=user, today=today).filter(child=child))


NEET_CHECK_FIELDS = (
    "kind",
    "activity",
    "checked_on",
    "placement__end_date",
    "placement__child_id",
    "placement__child__looked_after",
    "placement__provider__organisation__name",
)


def neet_at_latest_check(*, user: User, today: date) -> list[dict]:
    """The latest checks of the young people still followed that say NEET: what `checks_due(show=SHOW_NEET)` finds
    from each leaving's checks (`Leaving.neet`), read in one query for the LA's oversight flag, each as
    `NEET_CHECK_FIELDS`. A later check of any other activity clears it."""
    later = DestinationCheck.objects.filter(placement_id=OuterRef("placement_id")).filter(
        Q(checked_on__gt=OuterRef("checked_on")) | Q(checked_on=OuterRef("checked_on"), pk__gt=OuterRef("pk"))
    )
    leavings = _left_ap(_still_followed(user, today))
    checks = (
        destination_checks_visible_to(user=user, today=today)
        .filter(activity__in=neet_codes(), placement__in=leavings)
        .exclude(Exists(later))
        .order_by()
        .values(*NEET_CHECK_FIELDS)
    )
    return [c for c in checks if today <= tracked_until(left_on=c["placement__end_date"])]
