"""Reads of placements' reviews and of when they are due. Each starts from core.access."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, Q, prefetch_related_objects

from casework.models import ObjectiveProgress, Review
from casework.referral_figures import review_figures
from casework.schedule import DueReview, ReviewIntervals, SchoolYear, first_overdue, review_schedule
from casework.selectors.referrals import record_between
from core.access import placements_visible_to, review_get_for_user, reviews_visible_to
from core.models import User
from placements.models import Placement, RegistrationType
from terms.calendar import Calendars

# How far past today a schedule reads the setting's calendar: past a summer holiday, to find the next review.
LOOK_AHEAD = timedelta(days=400)
PROGRESS = Prefetch("progress", queryset=ObjectiveProgress.objects.order_by("pk"))


def reviews_of(*, user: User, placement: Placement) -> list[Review]:
    """The placement's reviews the user may see, oldest first, with their progress."""
    return list(
        reviews_visible_to(user=user)
        .filter(placement=placement)
        .select_related("recorded_by")
        .prefetch_related(PROGRESS)
        .order_by("held_on", "pk")
    )


def review_read(*, user: User, public_id) -> Review:
    """One review with its progress, through the gateway (core.access.review_get_for_user)."""
    review = review_get_for_user(user=user, public_id=public_id)
    prefetch_related_objects([review], PROGRESS)
    return review


class SchoolYears:
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


@dataclass(frozen=True)
class _Dates:
    """What a placement's schedule is worked out from."""

    start_date: date
    end_date: date | None
    review_date: date | None
    dual: bool
    intervals: ReviewIntervals

    @classmethod
    def of(cls, placement: Placement) -> "_Dates":
        return cls(
            placement.start_date,
            placement.end_date,
            placement.review_date,
            placement.registration_type == RegistrationType.DUAL,
            ReviewIntervals.of_area(placement.child.area),
        )


def _schedule(dates: _Dates, school_year: SchoolYear, held: list[date], today: date) -> list[DueReview]:
    ended = dates.end_date is not None and dates.end_date < today
    return review_schedule(
        start=dates.start_date,
        dual=dates.dual,
        school_year=school_year,
        intervals=dates.intervals,
        held=held,
        next_given=dates.review_date,
        through=dates.end_date if ended else today,
        include_next=not ended,
    )


def review_schedule_of(*, placement: Placement, reviews: list[Review], today: date) -> list[DueReview]:
    """When the placement's reviews were and are due, on its setting's calendar, matched with those held."""
    years = SchoolYears(
        organisations=[placement.provider.organisation_id],
        start=placement.start_date,
        end=max(today, placement.end_date or today) + LOOK_AHEAD,
    )
    school_year = years.of(placement.provider.organisation_id)
    return _schedule(_Dates.of(placement), school_year, [r.held_on for r in reviews], today)


@dataclass(frozen=True)
class OverdueReview:
    placement: Placement
    due: date
    days_overdue: int


def reviews_overdue(*, user: User, today: date) -> list[OverdueReview]:
    """The open placements the user sees with a review due before today and not held, longest overdue first.

    Six queries however many placements: their dates, the dates of their reviews, the settings' calendars,
    then the placements overdue with their child, setting and commissioner.
    """
    visible = placements_visible_to(user=user)
    rows = list(
        visible.filter(Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today)
        .order_by("pk")
        .values_list(
            "pk",
            "start_date",
            "end_date",
            "review_date",
            "registration_type",
            "provider__organisation_id",
            "child__area__first_review_weeks",
            "child__area__second_review_weeks",
            "child__area__review_every_half_terms",
        )
    )
    if not rows:
        return []
    held: dict[int, list[date]] = {}
    for placement_id, held_on in (
        reviews_visible_to(user=user, today=today)
        .filter(placement_id__in=[r[0] for r in rows])
        .values_list("placement_id", "held_on")
    ):
        held.setdefault(placement_id, []).append(held_on)
    years = SchoolYears(organisations={r[5] for r in rows}, start=min(r[1] for r in rows), end=today + LOOK_AHEAD)
    late: dict[int, DueReview] = {}
    for pk, start, end, given, registration, organisation_id, *intervals in rows:
        dates = _Dates(start, end, given, registration == RegistrationType.DUAL, ReviewIntervals(*intervals))
        found = first_overdue(_schedule(dates, years.of(organisation_id), held.get(pk, []), today), today)
        if found:
            late[pk] = found
    placements = visible.filter(pk__in=list(late)).select_related("child", "provider__organisation", "commissioner")
    overdue = [OverdueReview(p, late[p.pk].due, late[p.pk].days_overdue(today)) for p in placements]
    return sorted(overdue, key=lambda o: (-o.days_overdue, o.placement.child.last_name, o.placement.pk))


def review_record_since(*, placement: Placement, since: date, until: date) -> dict:
    """Attendance across every setting and the home school's register, and suspensions and exclusions, from
    `since` to `until`: what a review weighs, counted as a referral's figures are (casework.referral_figures).
    """
    record = record_between(child=placement.child, marks_from=since, exclusions_from=since, until=until)
    return review_figures(since=since, until=until, **record)


def review_figures_shown(figures: dict) -> dict:
    """The stored figures with their days as dates again."""
    if not figures:
        return {}
    shown = {**figures, "from": date.fromisoformat(figures["from"]), "as_of": date.fromisoformat(figures["as_of"])}
    shown["permanent_exclusions"] = [
        {**pex, "on": date.fromisoformat(pex["on"])} for pex in figures.get("permanent_exclusions", [])
    ]
    return shown
