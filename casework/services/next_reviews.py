"""When each open placement's next review falls due, kept in `casework.NextReview`.

A placement's schedule depends on its dates and registration, its setting's calendar, the area's intervals and
the reviews held. Working it out for every placement at every read of the dashboard grows with the area, so it is
worked out here whenever one of those is written: a review (casework), a placement (placements sends
`placements_changed`), a calendar (terms sends `calendars_changed`) or the area's intervals (core sends
`review_intervals_changed`). Lower apps cannot call casework, so they send signals that casework listens to
(casework.apps); each is sent inside the transaction of the write, so the two stand or fall together.
"""

from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction

from casework.models import NextReview, Review
from casework.schedule import ReviewIntervals
from casework.selectors.reviews import LOOK_AHEAD, SchoolYears, schedule_of
from core.models import Area
from placements.models import Placement, RegistrationType

FIELDS = (
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


def next_reviews_refresh(
    *, placement_ids: Iterable[int] = (), children_of_area: int | None = None, settings_of_area: int | None = None
) -> int:
    """Work out again the next review due of these placements, of every placement of an area's children (its
    intervals changed) or of every placement at a setting in an area (its calendars changed).

    A placement that has ended, or whose setting's calendar has no school day left before its next review, has
    none. Returns how many placements have a next review due. Four queries to read, two to write.
    """
    today = date.today()
    # An area's placements are named by the area, not listed: a county has tens of thousands.
    if children_of_area is not None:
        scope = {"child__area_id": children_of_area}
    elif settings_of_area is not None:
        scope = {"provider__organisation__area_id": settings_of_area}
    else:
        scope = {"pk__in": list(placement_ids)}
    rows = list(Placement.objects.filter(**scope).values_list(*FIELDS))
    open_rows = [row for row in rows if row[2] is None or row[2] >= today]
    of_placements = {f"placement__{name}": value for name, value in scope.items()}
    due: list[NextReview] = []
    if open_rows:
        held: dict[int, list[date]] = {}
        for placement_id, held_on in Review.objects.filter(**of_placements).values_list("placement_id", "held_on"):
            held.setdefault(placement_id, []).append(held_on)
        years = SchoolYears(
            organisations={r[5] for r in open_rows}, start=min(r[1] for r in open_rows), end=today + LOOK_AHEAD
        )
        for pk, start, _end, given, registration, organisation_id, *intervals in open_rows:
            schedule = schedule_of(
                start=start,
                dual=registration == RegistrationType.DUAL,
                given=given,
                intervals=ReviewIntervals(*intervals),
                school_year=years.of(organisation_id),
                held=sorted(held.get(pk, [])),
            )
            upcoming = next((r for r in schedule if r.held_on is None), None)
            if upcoming:
                due.append(NextReview(placement_id=pk, due_on=upcoming.due, kind=upcoming.kind))
    with transaction.atomic():
        NextReview.objects.filter(**of_placements).delete()
        NextReview.objects.bulk_create(due, batch_size=1000)
    return len(due)


def placements_changed_received(*, placement_ids, **_signal) -> None:
    next_reviews_refresh(placement_ids=placement_ids)


def calendars_changed_received(*, area_id, **_signal) -> None:
    next_reviews_refresh(settings_of_area=area_id)


def review_intervals_changed_received(*, area_id, **_signal) -> None:
    next_reviews_refresh(children_of_area=area_id)


def next_reviews_fill(**_signal) -> None:
    """After `migrate`: a database from before next reviews were kept has placements and none; work them out.

    Not while migrated back to before the table (a migration's test), nor to before the placement's fields."""
    if not {NextReview._meta.db_table, Placement._meta.db_table} <= set(connection.introspection.table_names()):
        return
    if NextReview.objects.exists() or not Placement.objects.exists():
        return
    for area_id in Area.objects.values_list("pk", flat=True):
        next_reviews_refresh(children_of_area=area_id)
