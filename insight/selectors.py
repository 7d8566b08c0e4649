"""Reads that cross domains: the register with each child's attendance beside the placements."""

from dataclasses import dataclass
from datetime import date

from attendance.selectors import AttendanceLine, placements_attendance
from core.models import User
from terms.calendar import academic_year_of


@dataclass(frozen=True)
class RegisterAttendance:
    """A child's attendance at their current placement since the start of the school year (or of the placement)."""

    placement: object
    line: AttendanceLine | None

    @property
    def percentage(self):
        return self.line.percentage if self.line else None

    @property
    def band(self) -> str:
        return self.line.band if self.line and self.line.possible else ""


def attendance_year_start(today: date) -> date:
    return date(academic_year_of(today), 9, 1)


def register_attendance(*, user: User, children, today: date) -> list:
    """The children of a register page, each given `attendance` at their current placement this school year.

    The current placement is the latest-started one open today, else the latest; the children
    come with `register_placements` prefetched, so this is one query however long the page.
    """
    children = list(children)
    current = {}
    for child in children:
        placements = child.register_placements  # newest first
        open_today = [p for p in placements if p.start_date <= today and (p.end_date is None or p.end_date >= today)]
        chosen = (open_today or placements or [None])[0]
        if chosen is not None:
            current[child.pk] = chosen
    lines = placements_attendance(
        user=user,
        placement_ids=[p.pk for p in current.values()],
        start=attendance_year_start(today),
        end=today,
    )
    for child in children:
        placement = current.get(child.pk)
        child.attendance = RegisterAttendance(placement, lines.get(placement.pk) if placement else None)
    return children
