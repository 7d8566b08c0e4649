"""When a dated record (a placement, an involvement, an inspection) is open: one rule, as a query and in Python.

A record runs from its start to its end, both days included; no end means it is still open.
Each query here has a Python twin, and a property test (tests/test_periods.py) holds them to the
same answers.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q


def recent_since(today: date) -> date:
    """The first day of "recently": the register's recent view and Annex A's lists of those who left."""
    return today - relativedelta(months=settings.RECENT_MONTHS)


def open_during(
    first: date, last: date | None, *, prefix: str = "", start: str = "start_date", end: str = "end_date"
) -> Q:
    """Open on at least one day from `first` to `last` (no `last`: any day from `first` on)."""
    started = Q(**{f"{prefix}{start}__lte": last}) if last is not None else Q()
    return started & not_ended_by(first, prefix=prefix, end=end)


def open_on(day: date, *, prefix: str = "", start: str = "start_date", end: str = "end_date") -> Q:
    """Started by this day and not ended before it."""
    return open_during(day, day, prefix=prefix, start=start, end=end)


def not_ended_by(day: date, *, prefix: str = "", end: str = "end_date") -> Q:
    """Open on this day or later: open-ended, or ending on it or after (a record not yet started counts)."""
    return Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": day})


def overlap(start: date, end: date | None, other_start: date, other_end: date | None) -> bool:
    """The twin of `open_during`: two periods share a day; both ends count, no end means still open."""
    return start <= (other_end or date.max) and other_start <= (end or date.max)


def is_open_on(start: date, end: date | None, day: date) -> bool:
    """The twin of `open_on`."""
    return overlap(start, end, day, day)
