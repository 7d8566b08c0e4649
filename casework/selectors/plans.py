"""Reads of personalised plans, the child's timetable across settings and timeline. Each starts from core.access."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch, Q

from casework.chronology import Event, chronology
from casework.models import Decision, PersonalisedPlan, PlanObjective
from core.access import child_get_for_user, placements_visible_to, referrals_visible_to, refuse
from core.audit import audit_record
from core.models import AuditAction, User
from placements.models import SESSION_NAMES, Placement
from placements.rules import FULL_TIME_HOURS


def plan_of(*, placement: Placement) -> PersonalisedPlan | None:
    """The placement's personalised plan with its objectives, if one was agreed; the placement comes from the gateway."""
    return (
        PersonalisedPlan.objects.filter(placement=placement)
        .select_related("agreed_by", "decision__panel__kind", "decision__referral")
        .prefetch_related(Prefetch("objectives", queryset=PlanObjective.objects.order_by("position", "pk")))
        .first()
    )


@dataclass(frozen=True)
class SettingsTimetable:
    """Where the child is expected each session of the week, across every setting they attend, and the hours."""

    placements: list[Placement]
    days: list[tuple[str, list[list[Placement]]]]  # (day, [settings in the morning, in the afternoon])
    total_hours: Decimal

    @property
    def full_time(self) -> bool:
        return self.total_hours >= FULL_TIME_HOURS

    @property
    def full_time_hours(self) -> int:
        return FULL_TIME_HOURS


def settings_timetable(*, user: User, child, today: date) -> SettingsTimetable:
    """The child's placements not ended by today (those planned too), read from each placement, never retyped."""
    placements = list(
        placements_visible_to(user=user)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today), child=child)
        .select_related("provider__organisation")
        .order_by("start_date", "pk")
    )
    days = []
    for day_index in range(5):
        sessions = [[p for p in placements if p.timetable[day_index * 2 + part] == "1"] for part in range(2)]
        days.append((SESSION_NAMES[day_index * 2].split()[0], sessions))
    return SettingsTimetable(placements, days, sum((p.hours_per_week for p in placements), Decimal(0)))


def decision_get_for_user(*, user: User, public_id) -> Decision:
    """A panel's decision by public id, if the user may see its referral; else 404, on the child's log."""
    try:
        return (
            Decision.objects.filter(referral__in=referrals_visible_to(user=user))
            .select_related("referral__child__area", "provider__organisation", "panel__kind")
            .get(public_id=public_id)
        )
    except (Decision.DoesNotExist, ValueError):
        # The address's converter makes public_id a UUID: the look-up of whose child it was cannot fail.
        child = Decision.objects.filter(public_id=public_id).values_list("referral__child__public_id", flat=True)
        refuse(
            user=user,
            action=AuditAction.CHILD_VIEW_REFUSED,
            object_type="decision",
            object_id=public_id,
            child_public_id=child.first(),
        )


def child_timeline(*, user: User, public_id, today: date) -> tuple:
    """A child and their chronology, as this user may see it; the read is on the child's access log."""
    child = child_get_for_user(user=user, public_id=public_id)
    with transaction.atomic():
        events: list[Event] = chronology(user=user, child=child, today=today)
        audit_record(
            user=user,
            action=AuditAction.CHILD_VIEWED,
            object_type="child",
            object_id=child.public_id,
            detail={"page": "timeline"},
        )
    return child, list(reversed(events))
