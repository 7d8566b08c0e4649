"""Reads of attendance. Each starts from the access policy in core."""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from attendance.models import Alert, AttendanceBatch, HomeSchoolMark, Session
from attendance.periods import Period
from attendance.rules import (
    absence_band,
    attendance_percentage,
    attendance_totals_between,
    attendance_totals_query,
    share_percentage,
)
from core.access import (
    attendance_months_visible_to,
    child_of,
    marks_visible_to,
    may_see_home_school_marks,
    placements_visible_to,
    refuse,
)
from core.audit import audit_record
from core.models import AuditAction, OrganisationKind, User
from placements.models import Placement, ProvisionType
from providers.models import Provider


def provider_for(*, user: User) -> Provider | None:
    """The AP setting a provider's staff member records attendance for; None, without a query, for anyone else."""
    settings = [o for o in user.organisations if o.kind == OrganisationKind.AP_PROVIDER]
    if not settings:
        return None
    return Provider.objects.select_related("organisation__area").filter(organisation__in=settings).first()


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


def worst_first_key(attended: int, possible: int) -> tuple:
    """Lowest percentage first (as shown, to one decimal place), no possible session last.

    The shown percentage in tenths, in integers: `(2000a + p) // 2p` is 1000a/p rounded half up, exactly what
    `attendance_percentage` shows, without a Decimal per line (a borough has 20,000).
    """
    return (False, (2000 * attended + possible) // (2 * possible)) if possible else (True, 0)


def worst_first(lines: list[AttendanceLine]) -> list[AttendanceLine]:
    return sorted(lines, key=lambda line: worst_first_key(line.attended, line.possible))


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
    open_in_period = placements_visible_to(user=user).open_during(period.start, period.end)
    totals = attendance_totals_between(
        attendance_months_visible_to(user=user), period.start, period.end, "placement_id"
    )
    # The placements open in the period hold every mark of it; one range query, not a list of ids.
    return worst_first(_child_lines(user, open_in_period, totals, today))


def attendance_by_child_page(*, user: User, period: Period, today: date, page_number, per_page: int) -> Page:
    """One page of `attendance_by_child`: every placement's totals are read and sorted (one aggregate, integers),
    and only the page's lines are built, with their children, settings and today's marks."""
    totals = attendance_totals_query(attendance_months_visible_to(user=user), period.start, period.end, "placement_id")
    worst = sorted(totals, key=lambda row: worst_first_key(row["attended"], row["possible"]))
    page = Paginator(worst, per_page).get_page(page_number)
    ids = [row["placement_id"] for row in page.object_list]
    placements = placements_visible_to(user=user).filter(pk__in=ids)
    page.object_list = _child_lines(user, placements, page.object_list, today, marked_today=ids)
    return page


def _child_lines(user: User, placements: QuerySet, totals, today: date, marked_today=None) -> list[AttendanceLine]:
    """A line for each row of `totals` (placement_id and its counts) whose placement is among `placements`, with
    the child, the setting and today's marks (`marked_today`: of these placements only), in the order of
    `totals`."""
    refs, providers = {}, set()
    for pk, child_id, first, last, provider_pk, provider_id, provider_name in placements.values_list(
        "pk",
        "child__public_id",
        "child__first_name",
        "child__last_name",
        "provider_id",
        "provider__public_id",
        "provider__organisation__name",
    ):
        refs[pk] = (Ref(child_id, f"{first} {last}"), Ref(provider_id, provider_name))
        providers.add(provider_pk)
    todays = defaultdict(dict)
    # By setting and day: the marks' own index (provider, date, ...) finds today's marks without reading the rest.
    for placement_id, session, code in (
        marks_visible_to(user=user)
        .filter(provider_id__in=sorted(providers), date=today)
        .filter(**({} if marked_today is None else {"placement_id__in": marked_today}))
        .values_list("placement_id", "session", "code")
    ):
        todays[placement_id]["am" if session == Session.AM else "pm"] = code
    return [
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
    months = attendance_months_visible_to(user=user)
    if placement_ids is not None:
        months = months.filter(placement_id__in=placement_ids)
    if child is not None:
        months = months.filter(child=child)
    return {
        row["placement_id"]: AttendanceLine(
            possible=row["possible"],
            attended=row["attended"],
            authorised=row["authorised"],
            unauthorised=row["unauthorised"],
        )
        for row in attendance_totals_between(months, start, end, "placement_id")
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
