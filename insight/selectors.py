"""Reads that cross domains: the dashboard, the register with each child's attendance, every child a user may
see, and attendance compared across settings and types of provision."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, CharField, DateField, Exists, OuterRef, QuerySet, Subquery, Value, When

from attendance.periods import Period
from attendance.rules import absence_band, attendance_totals
from attendance.selectors import AttendanceLine, placements_attendance, worst_first
from casework.models import PlacementVisit, PlanObjective, Review
from core.access import children_visible_to, marks_visible_to, placements_visible_to
from core.models import User
from placements.models import ProvisionType
from placements.register import DIMENSIONS
from placements.selectors import CURRENT, name_or_upn, placements_in_period
from providers.models import Provider
from terms.calendar import LOOK_BACK, Calendars, academic_year_of


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


# What the dashboard's breakdowns and the oversight flags weigh of each placement open today.
CURRENT_FIELDS = (
    *(dimension.lookup for dimension in DIMENSIONS),
    "pk",
    "child_id",
    "child__looked_after",
    "child__last_name",
    "child__first_name",
    "child__date_of_birth",
    "child__sen_provision",
    "provider_id",
    "provider__organisation__name",
    "main_roll",
    "hours_per_week",
    "start_date",
    "planned_end_date",
    "timetable",
    "journey_minutes",
    "personalised_plan__off_site_direction",
    "personalised_plan__maximum_end_date",
    "next_review__due_on",
    "next_review__kind",
    "last_target",
    "last_review",
    "last_visit",
)


def current_placements(*, user: User, today: date) -> list[dict]:
    """The placements open today that the user sees, each with what the dashboard's breakdowns and the oversight
    flags weigh: one read, whatever number of breakdowns and flags are worked out from it.

    With each: the date its plan's last objective is due, and, out of the area, the dates of its last review and
    last visit (worked out for those only).
    """

    def latest(model, field: str):
        dates = model.objects.filter(placement=OuterRef("pk")).order_by(f"-{field}").values(field)[:1]
        return Case(When(out_of_area=True, then=Subquery(dates)), output_field=DateField())

    last_target = (
        PlanObjective.objects.filter(plan__placement=OuterRef("pk"), target_date__isnull=False)
        .order_by("-target_date")
        .values("target_date")[:1]
    )
    return list(
        placements_in_period(user=user, period=CURRENT, today=today)
        .annotate(
            last_target=Subquery(last_target),
            last_review=latest(Review, "held_on"),
            last_visit=latest(PlacementVisit, "visited_on"),
        )
        .order_by()
        .values(*CURRENT_FIELDS)
    )


def dashboard_counts(*, user: User, today: date | None = None, current: list[dict] | None = None) -> dict:
    """How many children are in AP today, in total and by each dimension of the register (a child counted once
    under each value any of their placements has)."""
    today = today or date.today()
    current = current_placements(user=user, today=today) if current is None else current
    breakdowns = []
    for dimension in DIMENSIONS:
        children = defaultdict(set)
        for placement in current:
            children[dimension.value_key(placement[dimension.lookup])].add(placement["child_id"])
        rows = [(value, label, len(children.get(value, ()))) for value, label in dimension.choices()]
        breakdowns.append({"dimension": dimension, "rows": rows})
    total = len({placement["child_id"] for placement in current})
    return {"total": total, "breakdowns": breakdowns, "today": today}


# The attendance overview: settings and types of provision compared, and the registers not yet sent.


def _grouped(marks, group: str, labels: dict, providers: dict | None = None) -> list[AttendanceLine]:
    """One line per group, from each pupil's totals in it: the group's sessions, and its pupils by band."""
    lines: dict = {}
    for row in attendance_totals(marks, group, "child_id"):
        line = lines.get(row[group])
        if line is None:
            line = lines[row[group]] = AttendanceLine(
                possible=0,
                attended=0,
                authorised=0,
                unauthorised=0,
                provider=(providers or {}).get(row[group]),
                label=labels.get(row[group], "Not recorded"),
            )
        for count in ("possible", "attended", "authorised", "unauthorised"):
            setattr(line, count, getattr(line, count) + row[count])
        if row["possible"]:
            band = absence_band(row["attended"], row["possible"])
            line.pupils += 1
            line.persistent += band in ("persistent", "severe")
            line.severe += band == "severe"
    return worst_first(list(lines.values()))


def attendance_by_provider(*, user: User, period: Period) -> list[AttendanceLine]:
    """Attendance of the visible children at each setting over the period, worst first."""
    marks = marks_visible_to(user=user).filter(date__range=(period.start, period.end))
    providers = Provider.objects.select_related("organisation").in_bulk(
        marks.values_list("provider_id", flat=True).distinct()
    )
    return _grouped(marks, "provider_id", {pk: p.name for pk, p in providers.items()}, providers)


def attendance_by_provision_type(*, user: User, period: Period) -> list[AttendanceLine]:
    """Attendance over the period by type of provision (PRU, independent AP, tuition, ...)."""
    marks = marks_visible_to(user=user).filter(date__range=(period.start, period.end))
    return _grouped(marks, "placement__provision_type", dict(ProvisionType.choices))


@dataclass
class MissingRegister:
    provider: Provider
    expected: int
    marked: int
    day: date | None = None


def registers_missing(*, user: User, today: date) -> tuple[date | None, list[MissingRegister]]:
    """Each setting's last school day before today (by its own calendar), and the settings that did not mark
    every child placed with them that day. The date returned is the area's default calendar's last school day.

    A fixed number of queries, however many settings and children.
    """
    area = user.primary_organisation.area
    since = today - LOOK_BACK
    placed = list(
        placements_visible_to(user=user)
        .open_during(since, today - timedelta(days=1))
        .values_list("provider_id", "provider__organisation_id", "child_id", "start_date", "end_date")
    )
    calendars = Calendars.load(
        start=since, end=today - timedelta(days=1), organisations={row[1] for row in placed}, areas=[area.pk]
    )
    area_day = calendars.of_area(area.pk).last_before(today)
    days = {}
    expected = defaultdict(set)
    for provider_id, organisation_id, child_id, start, end in placed:
        day = days.get(provider_id)
        if day is None:
            day = days[provider_id] = calendars.of_organisation(organisation_id).last_before(today)
        if day and start <= day and (end is None or end >= day):
            expected[provider_id].add(child_id)
    if not expected:
        return area_day, []
    marked = defaultdict(set)
    for provider_id, child_id, day in (
        marks_visible_to(user=user)
        .filter(date__in={days[pid] for pid in expected})
        .values_list("provider_id", "child_id", "date")
    ):
        if days.get(provider_id) == day:
            marked[provider_id].add(child_id)
    short = {pid: kids for pid, kids in expected.items() if not kids <= marked[pid]}
    providers = Provider.objects.select_related("organisation").in_bulk(list(short))
    missing = [
        MissingRegister(provider=providers[pid], expected=len(kids), marked=len(kids & marked[pid]), day=days[pid])
        for pid, kids in short.items()
    ]
    return area_day or max(days[pid] for pid in expected), sorted(
        missing, key=lambda m: (m.marked / m.expected, m.provider.name)
    )
