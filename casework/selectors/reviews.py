"""Reads of placements' reviews and of when they are due. Each starts from core.access."""

from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from casework.models import ObjectiveProgress, Review
from casework.referral_figures import review_figures
from casework.schedule import DueReview, ReviewIntervals, SchoolYear, review_schedule
from casework.selectors.referrals import record_between
from core.access import placements_visible_to, review_get_for_user, reviews_visible_to, visits_visible_to
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


def visits_of(*, user: User, placement: Placement) -> list:
    """The visits to the child at the placement's setting the user may see, latest first."""
    return list(
        visits_visible_to(user=user)
        .filter(placement=placement)
        .select_related("organisation", "recorded_by")
        .order_by("-visited_on", "-pk")
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


def schedule_of(
    *,
    start: date,
    dual: bool,
    given: date | None,
    intervals: ReviewIntervals,
    school_year: SchoolYear,
    held: list[date],
    through: date = date.min,
    include_next: bool = True,
) -> list[DueReview]:
    """A placement's reviews held, matched with when they fell due, and then those due up to `through` (by
    default none) and, with `include_next`, the next one: casework.schedule.review_schedule for a placement."""
    return review_schedule(
        start=start,
        dual=dual,
        school_year=school_year,
        intervals=intervals,
        held=held,
        next_given=given,
        through=through,
        include_next=include_next,
    )


def review_schedule_of(*, placement: Placement, reviews: list[Review], today: date) -> list[DueReview]:
    """When the placement's reviews were and are due, on its setting's calendar, matched with those held: up to
    today and the next one, or, once it has ended, up to its end."""
    organisation_id = placement.provider.organisation_id
    years = SchoolYears(
        organisations=[organisation_id],
        start=placement.start_date,
        end=max(today, placement.end_date or today) + LOOK_AHEAD,
    )
    ended = placement.end_date is not None and placement.end_date < today
    return schedule_of(
        start=placement.start_date,
        dual=placement.registration_type == RegistrationType.DUAL,
        given=placement.review_date,
        intervals=ReviewIntervals.of_area(placement.child.area),
        school_year=years.of(organisation_id),
        held=[r.held_on for r in reviews],
        through=placement.end_date if ended else today,
        include_next=not ended,
    )


def review_overdue(today: date) -> Q:
    """A placement whose next review (casework.NextReview) fell due before today: the one rule of the overdue list
    and of the LA's oversight flag."""
    return Q(next_review__due_on__lt=today)


def reviews_overdue(*, user: User, today: date) -> QuerySet:
    """The open placements the user sees whose next review fell due before today, longest overdue first, with
    their child, setting, commissioner and the date it fell due (`next_review__due_on`; casework.NextReview)."""
    return (
        placements_visible_to(user=user)
        .open_on(today)
        .filter(review_overdue(today))
        .select_related("child", "provider__organisation", "commissioner", "next_review")
        .order_by("next_review__due_on", "child__last_name", "pk")
    )


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
