"""Hours of education: what each placement commissioned, what was offered this week and what the child attended.

A full-time education is about 25 hours a week (placements.services.FULL_TIME_HOURS);
a child whose settings together offer less is on a reduced timetable, which the area
must be able to see and justify.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from attendance.models import AttendanceMark, TuitionSession
from attendance.rules import code_groups
from placements.models import Placement, ProvisionType
from placements.services import FULL_TIME_HOURS
from terms.calendar import Calendars

TUITION_WINDOW = timedelta(days=28)


@dataclass
class PlacementHours:
    placement: Placement
    commissioned: Decimal
    offered: Decimal
    attended: Decimal
    tuition: dict | None = None


@dataclass
class WeekHours:
    start: date
    end: date
    lines: list[PlacementHours]

    @property
    def commissioned(self) -> Decimal:
        return sum((line.commissioned for line in self.lines), Decimal(0))

    @property
    def offered(self) -> Decimal:
        return sum((line.offered for line in self.lines), Decimal(0))

    @property
    def attended(self) -> Decimal:
        return sum((line.attended for line in self.lines), Decimal(0))

    @property
    def entitlement(self) -> Decimal:
        return FULL_TIME_HOURS

    @property
    def below_entitlement(self) -> bool:
        return self.commissioned < FULL_TIME_HOURS


def _per_session(placement: Placement) -> Decimal:
    sessions = placement.timetable.count("1")
    return (placement.hours_per_week / sessions).quantize(Decimal("0.01")) if sessions else Decimal(0)


def week_hours(*, placements: list[Placement], today: date) -> WeekHours:
    """This week's hours across a child's placements (the ones the viewer may see), on each setting's school days."""
    start = today - timedelta(days=today.weekday())
    end = start + timedelta(days=4)
    active = [p for p in placements if p.is_open_during(start, end)]
    calendars = Calendars.load(start=start, end=end, organisations={p.provider.organisation_id for p in active})
    attended_codes = code_groups().attended
    attended = {}
    for placement_id, code in AttendanceMark.objects.filter(
        placement__in=[p.pk for p in active], date__range=(start, end)
    ).values_list("placement_id", "code"):
        attended[placement_id] = attended.get(placement_id, 0) + (code in attended_codes)
    lines = []
    for placement in active:
        rate = _per_session(placement)
        offered_sessions = sum(
            placement.is_timetabled(day, session)
            for day in calendars.of_organisation(placement.provider.organisation_id).days(start, end)
            if placement.is_open_on(day)
            for session in (1, 2)
        )
        line = PlacementHours(
            placement=placement,
            commissioned=placement.hours_per_week,
            offered=rate * offered_sessions,
            attended=rate * attended.get(placement.pk, 0),
        )
        if placement.provision_type == ProvisionType.HOME_OR_HOSPITAL_TUITION:
            line.tuition = tuition_summary(placement=placement, today=today)
            line.offered = line.tuition["offered_hours_this_week"]
            line.attended = line.tuition["delivered_hours_this_week"]
        lines.append(line)
    return WeekHours(start=start, end=end, lines=lines)


def tuition_summary(*, placement: Placement, today: date) -> dict:
    """Tuition sessions over the last four weeks: offered, delivered, engaged with, missed or declined."""
    week_start = today - timedelta(days=today.weekday())
    sessions = list(
        TuitionSession.objects.filter(placement=placement, date__gt=today - TUITION_WINDOW, date__lte=today)
    )
    this_week = [s for s in sessions if s.date >= week_start]
    offered = [s for s in sessions if s.status != TuitionSession.Status.CANCELLED]
    return {
        "offered": len(offered),
        "delivered": sum(s.status == TuitionSession.Status.DELIVERED for s in sessions),
        "engaged": sum(s.engaged for s in sessions),
        "missed_or_declined": sum(
            s.status in (TuitionSession.Status.MISSED, TuitionSession.Status.DECLINED) for s in sessions
        ),
        "cancelled": sum(s.status == TuitionSession.Status.CANCELLED for s in sessions),
        "offered_hours_this_week": sum(
            (s.hours for s in this_week if s.status != TuitionSession.Status.CANCELLED), Decimal(0)
        ),
        "delivered_hours_this_week": sum(
            (s.hours for s in this_week if s.status == TuitionSession.Status.DELIVERED), Decimal(0)
        ),
    }
