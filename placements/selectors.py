"""Reads of placements and the register. Each starts from the access policy in core."""

from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from core.access import children_visible_to, placements_visible_to
from core.models import User
from placements.models import CommissioningAgreement, PlacementImport
from placements.register import DIMENSIONS

CURRENT = "current"
RECENT = "recent"

SORTS = {
    "name": ("last_name", "first_name"),
    "-name": ("-last_name", "-first_name"),
    "age": ("-date_of_birth",),
    "-age": ("date_of_birth",),
    "upn": ("upn",),
    "-upn": ("-upn",),
    "start": ("latest_start", "last_name"),
    "-start": ("-latest_start", "last_name"),
}


@dataclass
class RegisterQuery:
    """What the person asked the register for: period, filters, search and order."""

    period: str = RECENT
    filters: dict[str, list[str]] = field(default_factory=dict)
    search: str = ""
    sort: str = "name"

    @classmethod
    def from_params(cls, params) -> "RegisterQuery":
        filters = {}
        for dimension in DIMENSIONS:
            allowed = {value for value, _ in dimension.choices()}
            chosen = [v for v in params.getlist(dimension.key) if v in allowed]
            if chosen:
                filters[dimension.key] = chosen
        period = params.get("period", RECENT)
        sort = params.get("sort", "name")
        return cls(
            period=period if period in (CURRENT, RECENT) else RECENT,
            filters=filters,
            search=params.get("q", "").strip()[:100],
            sort=sort if sort in SORTS else "name",
        )


def placements_in_period(*, user: User, period: str, today: date) -> QuerySet:
    """Placements open today, or (RECENT) open at any time in the last six months."""
    since = today if period == CURRENT else today - relativedelta(months=settings.REGISTER_RECENT_MONTHS)
    return (
        placements_visible_to(user=user, today=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=since), start_date__lte=today)
        .annotate(has_agreement=Exists(CommissioningAgreement.objects.filter(placement=OuterRef("pk"))))
    )


def _apply_filters(placements: QuerySet, filters: dict[str, list[str]]) -> QuerySet:
    for dimension in DIMENSIONS:
        values = filters.get(dimension.key)
        if values:
            placements = placements.filter(**{f"{dimension.lookup}__in": [dimension.filter_value(v) for v in values]})
    return placements


def register_children(*, user: User, query: RegisterQuery, today: date | None = None) -> QuerySet:
    """The children on the register, each with the matching placements prefetched."""
    today = today or date.today()
    placements = _apply_filters(placements_in_period(user=user, period=query.period, today=today), query.filters)
    children = children_visible_to(user=user, today=today).filter(pk__in=placements.values("child_id"))
    if query.search:
        children = children.filter(_search(query.search))
    matching = placements.select_related("provider__organisation").order_by("-start_date")
    return (
        children.select_related("home_school")
        .annotate(latest_start=Max("placements__start_date"))
        .prefetch_related(Prefetch("placements", queryset=matching, to_attr="register_placements"))
        .order_by(*SORTS[query.sort], "pk")
    )


def _search(term: str) -> Q:
    """A UPN, or part of a first name, last name or "first last"."""
    match = Q(upn__iexact=term.replace(" ", "")) | Q(first_name__icontains=term) | Q(last_name__icontains=term)
    first, _, last = term.partition(" ")
    if last.strip():
        match |= Q(first_name__icontains=first, last_name__icontains=last.strip())
    return match


def dashboard_counts(*, user: User, today: date | None = None) -> dict:
    """How many children are in AP today, in total and by each dimension of the register."""
    today = today or date.today()
    current = placements_in_period(user=user, period=CURRENT, today=today)
    breakdowns = []
    for dimension in DIMENSIONS:
        counted = {
            dimension.value_key(row[dimension.lookup]): row["children"]
            for row in current.values(dimension.lookup).annotate(children=Count("child_id", distinct=True))
        }
        rows = [(value, label, counted.get(value, 0)) for value, label in dimension.choices()]
        breakdowns.append({"dimension": dimension, "rows": rows})
    total = current.values("child_id").distinct().count()
    return {"total": total, "breakdowns": breakdowns, "today": today}


def commissioning_agreement_of(*, placement) -> CommissioningAgreement | None:
    """The placement's commissioning agreement, if one was recorded; the placement comes from the access policy."""
    return CommissioningAgreement.objects.filter(placement=placement).select_related("agreed_by").first()


def placement_import_get(*, user: User, public_id) -> PlacementImport:
    """An uploaded list of placements, to the person who uploaded it only: it holds children's details."""
    upload = PlacementImport.objects.filter(public_id=public_id, uploaded_by=user).first()
    if upload is None:
        raise Http404("Not found")
    return upload
