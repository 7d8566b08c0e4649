"""Reads that cross domains: the dashboard, the register with each child's attendance, every child a user may
see, and attendance compared across settings and types of provision."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from attendance.periods import Period
from attendance.rules import absence_band, attendance_totals
from attendance.selectors import AttendanceLine, placements_attendance, worst_first
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


def _dimension_condition(dimension, value: str) -> Q:
    stored = dimension.filter_value(value)
    condition = Q(**{dimension.lookup: stored})
    return condition | Q(**{f"{dimension.lookup}__isnull": True}) if stored == "" else condition


def _any(condition: Q):
    """1 if any of a child's placements meets the condition, else 0."""
    return Max(Case(When(condition, then=1), default=0, output_field=IntegerField()))


def _summed(per_child: QuerySet, names, looked_after) -> dict:
    """The per-child columns summed, with how many children, and for `looked_after` names how many looked after.

    Written as SQL around the grouped query: Django can aggregate over it, but compiling that costs more than
    running it (about 50 ms a request at 5,000 children, measured)."""
    sql, params = per_child.query.sql_with_params()
    sums = [f'SUM("{n}")' for n in names] + [f'SUM("{n}" * "looked_after")' for n in looked_after]
    with connections[per_child.db].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), {', '.join(sums)} FROM ({sql}) per_child", params)  # noqa: S608
        count, *values = cursor.fetchone()
    keys = [f"all_{n}" for n in names] + [f"looked_after_{n}" for n in looked_after]
    return {"children": count} | dict(zip(keys, values, strict=True))


def dashboard_counts(
    *, user: User, today: date | None = None, current: QuerySet | None = None, flags: dict[str, Q] | None = None
) -> dict:
    """How many children are in AP today, in total and by each dimension of the register (a child counted under
    each value any of their placements has), and for each of `flags` (a condition on a placement) how many
    children have a placement that meets it, and how many of those are looked after.

    One query: the placements open today grouped by child, then summed, so that the database passes over them
    once however many dimensions and flags are counted.
    """
    today = today or date.today()
    current = placements_in_period(user=user, period=CURRENT, today=today) if current is None else current
    conditions = {
        f"d{d}_{v}": _dimension_condition(dimension, value)
        for d, dimension in enumerate(DIMENSIONS)
        for v, (value, _label) in enumerate(dimension.choices())
    }
    named = {key: f"f{n}" for n, key in enumerate(flags or {})}
    conditions |= {named[key]: condition for key, condition in (flags or {}).items()}
    per_child = (
        current.order_by()
        .values("child_id")
        .annotate(looked_after=_any(Q(child__looked_after=True)), **{n: _any(c) for n, c in conditions.items()})
    )
    totals = _summed(per_child, conditions, looked_after=named.values())
    breakdowns = [
        {
            "dimension": dimension,
            "rows": [
                (value, label, totals[f"all_d{d}_{v}"] or 0) for v, (value, label) in enumerate(dimension.choices())
            ],
        }
        for d, dimension in enumerate(DIMENSIONS)
    ]
    flagged = {key: (totals[f"all_{n}"] or 0, totals[f"looked_after_{n}"] or 0) for key, n in named.items()}
    return {"total": totals["children"], "breakdowns": breakdowns, "today": today, "flagged": flagged}


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
