"""Reads across domains: every child a user may see, in AP or not, and where each stands."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When

from core.access import children_visible_to, placements_visible_to
from core.models import User

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


def _matches(text: str) -> Q:
    # Every word in the first or last name, so "ada love" finds Ada Lovelace; or the whole UPN.
    rule = Q()
    for word in text.split():
        rule &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return rule | Q(upn__iexact=text)


def children_found(*, user: User, search: ChildSearch, today: date | None = None) -> QuerySet:
    """Every child the user may see, found by name or UPN, each with its `standing`."""
    today = today or date.today()
    placements = placements_visible_to(user=user, today=today).filter(child=OuterRef("pk"))
    open_today = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
    standing = Case(
        When(Exists(placements.filter(open_today)), then=Value("in_ap")),
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
        children = children.filter(_matches(search.text))
    if search.standing:
        children = children.filter(standing=search.standing)
    return children
