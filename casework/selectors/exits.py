"""Reads of placements' exits and of returns to school. Each starts from core.access."""

from datetime import date

from django.db.models import Q, QuerySet

from casework.models import OUTCOMES_OUTSTANDING, PlacementExit, ReintegrationAttempt, ReintegrationOutcome
from core.access import exits_visible_to, reintegrations_visible_to
from core.models import User
from placements.models import Placement


def exit_of(*, user: User, placement: Placement) -> PlacementExit | None:
    """The placement's exit, if recorded and the user may see it."""
    return exits_visible_to(user=user).filter(placement=placement).select_related("recorded_by").first()


def reintegrations_of(*, user: User, placement: Placement) -> list[ReintegrationAttempt]:
    """The returns to school from this placement the user may see."""
    return list(
        reintegrations_visible_to(user=user)
        .filter(placement=placement)
        .select_related("school")
        .order_by("returned_on")
    )


def reintegrations_of_child(*, user: User, child) -> list[ReintegrationAttempt]:
    """A child's returns to school the user may see, latest first."""
    return list(
        reintegrations_visible_to(user=user)
        .filter(child=child)
        .select_related("school", "placement__provider")
        .order_by("-returned_on", "-pk")
    )


def _due(today: date) -> Q:
    six = Q(six_weeks_on__lte=today, outcome_6_weeks__in=OUTCOMES_OUTSTANDING)
    twelve = Q(twelve_weeks_on__lte=today, outcome_12_weeks__in=OUTCOMES_OUTSTANDING) & ~Q(
        outcome_6_weeks=ReintegrationOutcome.BROKE_DOWN
    )
    return six | twelve


def reintegration_outcomes_due(*, user: User, today: date) -> QuerySet:
    """The returns to school the user may see whose 6- or 12-week outcome has come due (on the school's calendar)
    and is not recorded ("not yet known" counts as not recorded), earliest due first, with the child and school.

    For the oversight dashboard's flag too: one query, ordered by the earlier outstanding date.
    """
    return (
        reintegrations_visible_to(user=user, today=today)
        .filter(_due(today))
        .select_related("child", "school", "placement__provider")
        .order_by("six_weeks_on", "twelve_weeks_on", "pk")
    )
