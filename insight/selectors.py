"""Reads that cross domains: the dashboard, the register with each child's attendance, and every child a user may see."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, CharField, Count, Exists, OuterRef, QuerySet, Value, When

from attendance.selectors import AttendanceLine, placements_attendance
from core.access import children_visible_to, placements_visible_to
from core.models import User
from placements.register import DIMENSIONS
from placements.selectors import CURRENT, name_or_upn, placements_in_period
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
        open_today = [p for p in placements if p.is_open_on(today)]
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


# Where a child stands with AP today, from the placements the user may see: (value, words).
STANDINGS = [
    ("in_ap", "In AP"),
    ("planned", "Placement planned"),
    ("left", "Left AP"),
    ("never", "Never placed"),
]


@dataclass(frozen=True)
class ChildSearch:
    text: str = ""
    standing: str = ""

    @classmethod
    def from_params(cls, params) -> "ChildSearch":
        standing = params.get("standing", "")
        return cls(
            text=" ".join(params.get("q", "").split())[:100],
            standing=standing if standing in dict(STANDINGS) else "",
        )


def children_found(*, user: User, search: ChildSearch, today: date | None = None) -> QuerySet:
    """Every child the user may see, found by name or UPN, each with its `standing`."""
    today = today or date.today()
    placements = placements_visible_to(user=user, today=today).filter(child=OuterRef("pk"))
    standing = Case(
        When(Exists(placements.open_on(today)), then=Value("in_ap")),
        When(Exists(placements.filter(start_date__gt=today)), then=Value("planned")),
        When(Exists(placements), then=Value("left")),
        default=Value("never"),
        output_field=CharField(),
    )
    children = (
        children_visible_to(user=user, today=today)
        .select_related("home_school")
        .annotate(standing=standing)
        .order_by("last_name", "first_name", "pk")
    )
    if search.text:
        children = children.filter(name_or_upn(search.text))
    if search.standing:
        children = children.filter(standing=search.standing)
    return children


def dashboard_counts(*, user: User, today: date | None = None) -> dict:
    """How many children are in AP today, in total and by each dimension of the register."""
    today = today or date.today()
    current = placements_in_period(user=user, period=CURRENT, today=today)
    breakdowns = []
    for dimension in DIMENSIONS:
        counted = {
            dimension.value_key(row[dimension.lookup]): row["children"]
            for row in current.values(dimension.lookup).annotate(children=Count("child_id", distinct=True))
        }
        rows = [(value, label, counted.get(value, 0)) for value, label in dimension.choices()]
        breakdowns.append({"dimension": dimension, "rows": rows})
    total = current.values("child_id").distinct().count()
    return {"total": total, "breakdowns": breakdowns, "today": today}
