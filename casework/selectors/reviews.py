"""Reads of placements' reviews and of when they are due. Each starts from core.access."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, Q

from attendance.models import AttendanceMark, HomeSchoolMark
from casework.models import ObjectiveProgress, Review
from casework.referral_figures import attendance_so_far, exclusions_so_far
from casework.schedule import DueReview, ReviewIntervals, SchoolYear, first_overdue, review_schedule
from casework.selectors.referrals import exclusion_counted
from core.access import placements_visible_to, refuse
from core.models import AuditAction, User
from placements.models import Placement
from terms.calendar import Calendars

# How far past today a schedule reads the setting's calendar: past a summer holiday, to find the next review.
LOOK_AHEAD = timedelta(days=400)


def reviews_of(*, placement: Placement) -> list[Review]:
    """The placement's reviews, oldest first, with their progress; the placement comes from the gateway."""
    return list(
        Review.objects.filter(placement=placement)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("progress", queryset=ObjectiveProgress.objects.order_by("pk")))
        .order_by("held_on", "pk")
    )


def review_get_for_user(*, user: User, public_id) -> Review:
    """One review, if the user sees its placement; else 404 alike for missing and forbidden, on the child's log."""
    try:
        return (
            Review.objects.filter(placement__in=placements_visible_to(user=user))
            .select_related("placement__child", "placement__provider__organisation", "recorded_by")
            .prefetch_related(Prefetch("progress", queryset=ObjectiveProgress.objects.order_by("pk")))
            .get(public_id=public_id)
        )
    except (Review.DoesNotExist, ValueError):
        child = Review.objects.filter(public_id=public_id).values_list("placement__child__public_id", flat=True)
        refuse(
            user=user,
            action=AuditAction.PLACEMENT_REFUSED,
            object_type="review",
            object_id=public_id,
            child_public_id=child.first(),
        )


class _SchoolYears:
    """Each setting's school days, read for many placements in the calendars' three queries."""

    def __init__(self, *, organisations, start: date, end: date, areas=()):
        self._calendars = Calendars.load(start=start, end=end, organisations=organisations, areas=areas)
        self._built: dict = {}

    def of(self, organisation_id: int) -> SchoolYear:
        key = self._calendars.calendar_id_of(organisation_id)
        if key not in self._built:
            calendar = self._calendars.of_calendar(key)
            self._built[key] = SchoolYear(calendar.days(calendar.start, calendar.end))
        return self._built[key]


def _schedule(placement: Placement, school_year: SchoolYear, held: list[date], today: date) -> list[DueReview]:
    ended = placement.end_date is not None and placement.end_date < today
    return review_schedule(
        start=placement.start_date,
        dual=placement.registration_type == "dual",
        school_year=school_year,
        intervals=ReviewIntervals.of_area(placement.child.area),
        held=held,
        next_given=placement.review_date,
        through=placement.end_date if ended else today,
        include_next=not ended,
    )


def review_schedule_of(*, placement: Placement, reviews: list[Review], today: date) -> list[DueReview]:
    """When the placement's reviews were and are due, on its setting's calendar, matched with those held."""
    years = _SchoolYears(
        organisations=[placement.provider.organisation_id],
        start=placement.start_date,
        end=max(today, placement.end_date or today) + LOOK_AHEAD,
    )
    school_year = years.of(placement.provider.organisation_id)
    return _schedule(placement, school_year, [r.held_on for r in reviews], today)


@dataclass(frozen=True)
class OverdueReview:
    placement: Placement
    due: date
    days_overdue: int


def reviews_overdue(*, user: User, today: date) -> list[OverdueReview]:
    """The open placements the user sees with a review due before today and not held, longest overdue first.

    Six queries however many placements: the placements, the dates of their reviews, the settings' calendars.
    """
    placements = list(
        placements_visible_to(user=user)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today)
        .select_related("child__area", "provider__organisation", "commissioner")
        .order_by("pk")
    )
    if not placements:
        return []
    held: dict[int, list[date]] = {}
    for placement_id, held_on in Review.objects.filter(placement_id__in=[p.pk for p in placements]).values_list(
        "placement_id", "held_on"
    ):
        held.setdefault(placement_id, []).append(held_on)
    years = _SchoolYears(
        organisations={p.provider.organisation_id for p in placements},
        start=min(p.start_date for p in placements),
        end=today + LOOK_AHEAD,
    )
    overdue = []
    for placement in placements:
        schedule = _schedule(placement, years.of(placement.provider.organisation_id), held.get(placement.pk, []), today)
        late = first_overdue(schedule, today)
        if late:
            overdue.append(OverdueReview(placement, late.due, late.days_overdue(today)))
    return sorted(overdue, key=lambda o: (-o.days_overdue, o.placement.child.last_name, o.placement.pk))


def review_record_since(*, placement: Placement, since: date, until: date) -> dict:
    """Attendance across every setting and the home school's register, and suspensions and exclusions, from
    `since` to `until`: what a review weighs, counted as a referral's figures are (casework.referral_figures).
    """
    child = placement.child
    setting_marks = AttendanceMark.objects.filter(child=child, date__range=(since, until)).values_list(
        "date", "session", "code", "provider__organisation__name"
    )
    school_marks = [
        (day, session, code, f"{school} (its own register)")
        for day, session, code, school in HomeSchoolMark.objects.filter(
            child=child, date__range=(since, until)
        ).values_list("date", "session", "code", "school__name")
    ]
    exclusions = [
        exclusion_counted(e) for e in child.exclusions.filter(start_date__range=(since, until)).select_related("school")
    ]
    return {
        "from": since.isoformat(),
        "as_of": until.isoformat(),
        "attendance": attendance_so_far(setting_marks=setting_marks, school_marks=school_marks),
        **exclusions_so_far(exclusions),
    }


def review_figures_shown(figures: dict) -> dict:
    """The stored figures with their days as dates again."""
    if not figures:
        return {}
    shown = {**figures, "from": date.fromisoformat(figures["from"]), "as_of": date.fromisoformat(figures["as_of"])}
    shown["permanent_exclusions"] = [
        {**pex, "on": date.fromisoformat(pex["on"])} for pex in figures.get("permanent_exclusions", [])
    ]
    return shown
