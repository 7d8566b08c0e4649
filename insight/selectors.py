"""Reads that cross domains: the dashboard, the register with each child's attendance, every child a user may
see, and attendance compared across settings and types of provision."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from itertools import compress
from operator import itemgetter

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from attendance.periods import Period
from attendance.rules import absence_band, attendance_totals_between
from attendance.selectors import AttendanceLine, placements_attendance, worst_first
from core.access import attendance_months_visible_to, children_visible_to, marks_visible_to, placements_visible_to
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


class OpenToday:
    """The placements open today that a user sees, read in one pass with everything the dashboard weighs of each,
    then counted in Python: the register's breakdowns, each flag raised by a placement (`flags`: a condition on one,
    evaluated by the database in the same pass) and the flags that add up a child's placements (hours across every
    setting, the registration test) all read these rows, so the dashboard passes over today's placements once.
    """

    # What every row holds, by position: these, then the register's dimensions (`at(lookup)`), then the flags.
    COLUMNS = ("child_id", "child__looked_after", "child__date_of_birth", "child__sen_provision", "hours_per_week",
               "main_roll", "provider_id")  # fmt: skip
    CHILD, LOOKED_AFTER, DATE_OF_BIRTH, SEN, HOURS, MAIN_ROLL, PROVIDER = range(len(COLUMNS))

    LOOKUPS = [*COLUMNS, *(d.lookup for d in DIMENSIONS)]
    at = LOOKUPS.index  # a column's position, by its lookup
    FLAGS_AT = len(LOOKUPS)

    def __init__(self, rows: list[tuple], flag_keys: list[str]):
        self.rows, self.flag_keys = rows, flag_keys
        by_child = defaultdict(list)
        for row in rows:
            by_child[row[self.CHILD]].append(row)
        self.by_child = by_child
        # Most children have one placement open: their rows are counted column by column; the rest child by child.
        self._single = [rows[0] for rows in by_child.values() if len(rows) == 1]
        self._several = [rows for rows in by_child.values() if len(rows) > 1]

    @classmethod
    def read(cls, current: QuerySet, flags: dict[str, Q] | None = None) -> "OpenToday":
        """The rows of `current` (today's open placements), each with whether it meets each of `flags`."""
        flags = flags or {}
        named = {f"flag_{n}": ExpressionWrapper(q, output_field=BooleanField()) for n, q in enumerate(flags.values())}
        return cls(list(current.order_by().annotate(**named).values_list(*cls.LOOKUPS, *named)), list(flags))

    @cached_property
    def providers(self) -> set[int]:
        """The settings with a child placed today."""
        return {row[self.PROVIDER] for row in self.rows}

    @cached_property
    def setting_names(self) -> dict[int, str]:
        """Each provider's name, read once for the rows that show one."""
        return dict(Provider.objects.filter(pk__in=self.providers).values_list("pk", "organisation__name"))

    def _children_by(self, column: int, key=None) -> Counter:
        """How many children have each value of the column on any of their placements (each child once a value)."""
        key = key or (lambda value: value)
        counted = Counter()
        for value, children in Counter(map(itemgetter(column), self._single)).items():
            counted[key(value)] += children
        for rows in self._several:
            counted.update({key(row[column]) for row in rows})
        return counted

    def _flagged(self, column: int) -> tuple[int, int]:
        """How many children have a placement that meets the flag, and how many of them are looked after."""
        single = self._single
        looked_after = Counter(compress(map(itemgetter(self.LOOKED_AFTER), single), map(itemgetter(column), single)))
        looked_after.update(rows[0][self.LOOKED_AFTER] for rows in self._several if any(r[column] for r in rows))
        return looked_after[True] + looked_after[False], looked_after[True]

    def counts(self) -> dict:
        """How many children, the breakdown by each dimension, and for each flag (children, looked after)."""
        breakdowns = []
        for dimension in DIMENSIONS:
            counted = self._children_by(self.at(dimension.lookup), dimension.value_key)
            breakdowns.append(
                {"dimension": dimension, "rows": [(v, label, counted[v]) for v, label in dimension.choices()]}
            )
        flagged = {key: self._flagged(self.FLAGS_AT + n) for n, key in enumerate(self.flag_keys)}
        return {"total": len(self.by_child), "breakdowns": breakdowns, "flagged": flagged}


def dashboard_counts(*, user: User, today: date | None = None, open_today: OpenToday | None = None) -> dict:
    """How many children are in AP today, in total and by each dimension of the register (a child counted under
    each value any of their placements has), and how many children each flag of `open_today` has behind it and
    how many of them are looked after. Without `open_today`, the user's placements open today are read here."""
    today = today or date.today()
    if open_today is None:
        open_today = OpenToday.read(placements_in_period(user=user, period=CURRENT, today=today))
    return open_today.counts() | {"today": today}


# The attendance overview: settings and types of provision compared, and the registers not yet sent.


def _grouped(months, period: Period, group: str, labels: dict, providers: dict | None = None) -> list[AttendanceLine]:
    """One line per group, from each pupil's totals in it over the period: the group's sessions, and its pupils by
    band. `months`: the monthly rollup the user may see."""
    lines: dict = {}
    for row in attendance_totals_between(months, period.start, period.end, group, "child_id"):
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
    months = attendance_months_visible_to(user=user)
    # Settings with months in the period; one whose only marks fall outside it in a cut month gets no line.
    providers = Provider.objects.select_related("organisation").in_bulk(
        months.filter(month__range=(period.start.replace(day=1), period.end))
        .values_list("provider_id", flat=True)
        .distinct()
    )
    return _grouped(months, period, "provider_id", {pk: p.name for pk, p in providers.items()}, providers)


def attendance_by_provision_type(*, user: User, period: Period) -> list[AttendanceLine]:
    """Attendance over the period by type of provision (PRU, independent AP, tuition, ...)."""
    months = attendance_months_visible_to(user=user)
    return _grouped(months, period, "placement__provision_type", dict(ProvisionType.choices))


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
        # By setting and day: the marks' own index (provider, date, ...) finds them without reading the rest.
        marks_visible_to(user=user)
        .filter(provider_id__in=sorted(expected), date__in={days[pid] for pid in expected})
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
