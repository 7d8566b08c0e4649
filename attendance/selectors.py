"""Reads of attendance. Each starts from the access policy in core."""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet

from attendance.models import Alert, AttendanceBatch, HomeSchoolMark, Session
from attendance.periods import Period
from attendance.rules import absence_band, attendance_percentage, attendance_totals, share_percentage
from core.access import child_of, marks_visible_to, may_see_home_school_marks, placements_visible_to, refuse
from core.audit import audit_record
from core.models import AuditAction, OrganisationKind, User
from placements.models import Placement, ProvisionType
from providers.models import Provider
from terms.calendar import LOOK_BACK, Calendars


def provider_for(*, user: User) -> Provider | None:
    """The AP setting a provider's staff member records attendance for."""
    return Provider.objects.select_related("organisation__area").filter(organisation__in=user.organisations).first()


@dataclass
class RegisterLine:
    placement: Placement
    am: str = ""
    pm: str = ""


def register_for_day(*, user: User, provider: Provider, day: date) -> list[RegisterLine]:
    """Every child placed with the setting on a day that the user may see, with the marks already recorded.

    The setting's register page and the API's register read it alike.
    """
    placements = (
        placements_visible_to(user=user)
        .filter(provider=provider)
        .open_on(day)
        .select_related("child")
        .order_by("child__last_name", "child__first_name", "pk")
    )
    lines = {p.pk: RegisterLine(placement=p) for p in placements}
    for placement_id, session, code in (
        marks_visible_to(user=user).filter(provider=provider, date=day).values_list("placement_id", "session", "code")
    ):
        if placement_id in lines:
            setattr(lines[placement_id], "am" if session == Session.AM else "pm", code)
    return list(lines.values())


def recent_batches(*, provider: Provider, limit: int = 10):
    return AttendanceBatch.objects.filter(provider=provider).select_related("created_by")[:limit]


@dataclass
class AttendanceLine:
    """Attendance of one child at one setting, or of a group of pupils, over a period.

    A child's line has a band; a group's line counts its pupils and how many of them
    are persistently and severely absent (a rate, never a label on the group).
    """

    possible: int
    attended: int
    authorised: int
    unauthorised: int
    child: object = None
    provider: object = None
    label: str = ""
    today: dict = field(default_factory=dict)
    pupils: int = 0
    persistent: int = 0
    severe: int = 0

    @property
    def percentage(self) -> Decimal | None:
        return attendance_percentage(self.attended, self.possible)

    @property
    def band(self) -> str:
        return absence_band(self.attended, self.possible)

    @property
    def persistent_rate(self) -> Decimal | None:
        return share_percentage(self.persistent, self.pupils)

    @property
    def severe_rate(self) -> Decimal | None:
        return share_percentage(self.severe, self.pupils)


def _sort_worst_first(lines: list[AttendanceLine]) -> list[AttendanceLine]:
    return sorted(lines, key=lambda line: (line.percentage is None, line.percentage or 0))


@dataclass(frozen=True)
class Ref:
    """What a line shows of a child or a setting: enough to name it and link to it.

    A borough's page has thousands of lines; plain values instead of model
    instances keep it well under a second.
    """

    public_id: uuid.UUID
    name: str


def attendance_by_child(*, user: User, period: Period, today: date) -> list[AttendanceLine]:
    """Each visible child's attendance at each setting over the period, worst first, with today's marks."""
    marks = marks_visible_to(user=user)
    totals = attendance_totals(marks.filter(date__range=(period.start, period.end)), "placement_id")
    # The placements open in the period hold every mark of it; one range query, not a list of ids.
    refs = {
        pk: (Ref(child_id, f"{first} {last}"), Ref(provider_id, provider_name))
        for pk, child_id, first, last, provider_id, provider_name in placements_visible_to(user=user)
        .open_during(period.start, period.end)
        .values_list(
            "pk",
            "child__public_id",
            "child__first_name",
            "child__last_name",
            "provider__public_id",
            "provider__organisation__name",
        )
    }
    todays = defaultdict(dict)
    for placement_id, session, code in marks.filter(date=today).values_list("placement_id", "session", "code"):
        todays[placement_id]["am" if session == Session.AM else "pm"] = code
    lines = [
        AttendanceLine(
            possible=row["possible"],
            attended=row["attended"],
            authorised=row["authorised"],
            unauthorised=row["unauthorised"],
            child=refs[row["placement_id"]][0],
            provider=refs[row["placement_id"]][1],
            today=todays.get(row["placement_id"], {}),
        )
        for row in totals
        if row["placement_id"] in refs
    ]
    return _sort_worst_first(lines)


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
    return _sort_worst_first(list(lines.values()))


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


def alerts_visible_to(*, user: User, open_only: bool = True):
    """Alerts about placements this user may see, newest day first."""
    alerts = Alert.objects.filter(placement__in=placements_visible_to(user=user).values("pk")).select_related(
        "child", "placement__provider__organisation", "closed_by"
    )
    return alerts.filter(closed_at__isnull=True) if open_only else alerts


def alert_get(*, user: User, public_id) -> Alert:
    """One alert the user may see, or 404 alike for missing and forbidden; the view and a refusal are on the child's log."""
    try:
        alert = alerts_visible_to(user=user, open_only=False).get(public_id=public_id)
    except Alert.DoesNotExist:
        refuse(
            user=user,
            action=AuditAction.CHILD_VIEW_REFUSED,
            object_type="alert",
            object_id=public_id,
            child_public_id=child_of(Alert, public_id),
        )
    audit_record(
        user=user,
        action=AuditAction.ALERT_VIEWED,
        object_type="alert",
        object_id=public_id,
        children=[alert.child.public_id],
    )
    return alert


def school_for(*, user: User):
    """The school a school's staff member acts for."""
    return next((o for o in user.organisations if o.kind == OrganisationKind.SCHOOL), None)


def home_school_register(*, user: User, school, day: date) -> list[RegisterLine]:
    """The school's pupils in AP on a day, one line each, with the school's own marks for them."""
    lines = {}
    for placement in (
        placements_visible_to(user=user)
        .filter(child__home_school=school)
        .open_on(day)
        .select_related("child")
        .order_by("child__last_name", "child__first_name", "-registration_type")
    ):
        lines.setdefault(placement.child_id, RegisterLine(placement=placement))
    for child_id, session, code in HomeSchoolMark.objects.filter(
        school=school, date=day, child_id__in=list(lines)
    ).values_list("child_id", "session", "code"):
        setattr(lines[child_id], "am" if session == Session.AM else "pm", code)
    return list(lines.values())


def tuition_placements(*, user: User, provider: Provider, today: date) -> list[Placement]:
    """The setting's home and hospital tuition placements open today."""
    return list(
        placements_visible_to(user=user)
        .filter(provider=provider, provision_type=ProvisionType.HOME_OR_HOSPITAL_TUITION)
        .open_on(today)
        .select_related("child__area")
        .order_by("child__last_name")
    )


def _marks(user: User, start: date, end: date, placement_ids: list[int] | None, child) -> QuerySet:
    marks = marks_visible_to(user=user).filter(date__range=(start, end))
    if placement_ids is not None:
        marks = marks.filter(placement_id__in=placement_ids)
    return marks if child is None else marks.filter(child=child)


def placements_attendance(
    *, user: User, start: date, end: date, placement_ids: list[int] | None = None, child=None
) -> dict[int, AttendanceLine]:
    """Each placement's attendance between two days, for the placements (or the child) the user may see: one query.

    The register, a child's attendance page and the API's marks read it alike.
    """
    marks = _marks(user, start, end, placement_ids, child)
    return {
        row["placement_id"]: AttendanceLine(
            possible=row["possible"],
            attended=row["attended"],
            authorised=row["authorised"],
            unauthorised=row["unauthorised"],
        )
        for row in attendance_totals(marks, "placement_id")
    }


def marks_by_placement(*, user: User, start: date, end: date, child=None) -> dict[int, dict[tuple[date, int], str]]:
    """The marks the user may see between two days, by placement then (day, session): one query."""
    by_placement: dict[int, dict[tuple[date, int], str]] = defaultdict(dict)
    for placement_id, day, session, code in (
        _marks(user, start, end, None, child)
        .order_by("placement_id", "date", "session")
        .values_list("placement_id", "date", "session", "code")
    ):
        by_placement[placement_id][(day, session)] = code
    return by_placement


def home_school_marks_of(*, user: User, child, start: date, end: date) -> dict[tuple[date, int], str] | None:
    """The home school's marks for a child between two days, by (day, session); None to whoever may not see them.

    `child` comes from the access policy (`child_record`); `may_see_home_school_marks` says who else.
    """
    if not may_see_home_school_marks(user=user, child=child):
        return None
    return {
        (day, session): code
        for day, session, code in HomeSchoolMark.objects.filter(child=child, date__range=(start, end)).values_list(
            "date", "session", "code"
        )
    }
