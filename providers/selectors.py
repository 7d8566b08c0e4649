"""Reads of providers. The directory is open to every signed-in user; children are not."""

import math
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from core.access import placements_visible_to
from core.geo import bounding_box, miles_between
from core.models import Organisation, OrganisationKind, User
from core.periods import open_on
from providers.models import Provider, ProviderApproval, ProviderSite


def providers_for(*, user: User) -> QuerySet:
    """The providers of the user's areas, with how many children each has today and the area's latest decision on
    its approval (`approval_status`, `approval_decided_on`, `approval_review_by`; none while none is recorded)."""
    today = date.today()
    areas = [o.area_id for o in user.organisations]
    open_today = open_on(today, prefix="placements__")
    latest = ProviderApproval.objects.filter(provider=OuterRef("pk")).order_by("-decided_on", "-pk")
    return (
        Provider.objects.filter(organisation__area_id__in=areas)
        .select_related("organisation__area")
        .annotate(
            children_today=Count("placements__child", filter=open_today, distinct=True),
            approval_status=Subquery(latest.values("status")[:1]),
            approval_decided_on=Subquery(latest.values("decided_on")[:1]),
            approval_review_by=Subquery(latest.values("review_by")[:1]),
        )
    )


def provider_get(*, user: User, public_id) -> Provider:
    return providers_for(user=user).get(public_id=public_id)


def provider_placements(*, user: User, provider: Provider) -> QuerySet:
    """The placements at this provider that this user may see, newest first."""
    return (
        placements_visible_to(user=user)
        .filter(provider=provider)
        .select_related("child", "commissioner")
        .order_by("end_date", "-start_date")
    )


def provider_approvals(*, provider: Provider) -> list[ProviderApproval]:
    """Every decision on the provider's approval, latest first: the first is its approval today."""
    return list(provider.approvals.select_related("decided_by").order_by("-decided_on", "-pk"))


@dataclass(frozen=True)
class DirectoryQuery:
    """What a commissioner looks for in the directory: each filter narrows, and an empty one does not."""

    q: str = ""
    needs: tuple[str, ...] = ()
    age: int | None = None
    pattern: str = ""  # full_time or part_time
    qualifications: tuple[str, ...] = ()
    vacancies: bool = False
    approval: tuple[str, ...] = ()  # approval statuses, or NOT_DECIDED
    near: tuple[float, float] | None = None  # latitude and longitude of the postcode searched from
    miles: float | None = None

    @property
    def narrowed(self) -> bool:
        return any(
            (self.q, self.needs, self.age is not None, self.pattern, self.qualifications, self.vacancies)
        ) or bool(self.approval or self.near)


NOT_DECIDED = "not_decided"


def _json_list_has(field: str, codes: tuple[str, ...]) -> Q:
    """A JSON list of codes holding any of these: its text holds the quoted code, on SQLite as on PostgreSQL."""
    found = Q(pk__in=[])
    for code in codes:
        found |= Q(**{f"{field}__icontains": f'"{code}"'})
    return found


def providers_directory(*, user: User, query: DirectoryQuery) -> QuerySet:
    """The directory as the user searches it: providers_for, narrowed by each filter of the query. Within a distance,
    this is a box around it (a cheap cut in SQL); `providers_within` then keeps those truly within it."""
    found = providers_for(user=user).order_by("organisation__name", "pk")
    if query.q:
        found = found.filter(organisation__name__icontains=query.q)
    if query.needs:
        found = found.filter(_json_list_has("specialisms", query.needs))
    if query.qualifications:
        found = found.filter(_json_list_has("qualifications", query.qualifications))
    if query.age is not None:
        found = found.filter(min_age__lte=query.age, max_age__gte=query.age)
    if query.pattern in ("full_time", "part_time"):
        found = found.filter(**{f"offers_{query.pattern}": True})
    if query.vacancies:
        found = found.filter(capacity__gt=F("children_today"))
    if query.approval:
        statuses = [s for s in query.approval if s != NOT_DECIDED]
        wanted = Q(approval_status__in=statuses)
        if NOT_DECIDED in query.approval:
            wanted |= Q(approval_status__isnull=True)
        found = found.filter(wanted)
    if query.near and query.miles:
        box = _in_box(query.near, query.miles)
        found = found.filter(Q(**box) | Q(pk__in=ProviderSite.objects.filter(**box).values("provider_id")))
    return found


def _in_box(near: tuple[float, float], miles: float) -> dict:
    south, north, west, east = bounding_box(near, miles)
    return {"latitude__range": (south, north), "longitude__range": (west, east)}


def providers_within(*, providers: QuerySet, near: tuple[float, float], miles: float) -> list[tuple[int, float]]:
    """(id, miles away) of the providers with a site within `miles` of `near`, nearest first: the nearer of the main
    site and the others. Two queries: the providers' main sites, and their other sites in the box around `near`."""
    nearest = {}
    for pk, latitude, longitude in providers.values_list("pk", "latitude", "longitude"):
        nearest[pk] = miles_between(near, (latitude, longitude)) if latitude is not None else math.inf
    sites = ProviderSite.objects.filter(provider_id__in=list(nearest), **_in_box(near, miles))
    for pk, latitude, longitude in sites.values_list("provider_id", "latitude", "longitude"):
        nearest[pk] = min(nearest[pk], miles_between(near, (latitude, longitude)))
    return sorted(((pk, away) for pk, away in nearest.items() if away <= miles), key=lambda pair: (pair[1], pair[0]))


def provider_directory_details(*, provider: Provider) -> dict:
    """A provider's other sites and its contacts, for its page."""
    return {
        "sites": list(provider.sites.all()),
        "contacts": list(provider.contacts.all()),
    }


def directory_page(*, user: User, query: DirectoryQuery, page_number, per_page: int = 50):
    """A page of the directory as searched; from a postcode, each with how far it is (`miles_away`), nearest first.

    Its queries do not grow with the providers: from a postcode, the places in the box (providers_within) and the
    page; else a count and the page."""
    found = providers_directory(user=user, query=query)
    if not (query.near and query.miles):
        return Paginator(found, per_page).get_page(page_number)
    nearest = providers_within(providers=found, near=query.near, miles=query.miles)
    page = Paginator(nearest, per_page).get_page(page_number)
    rows = {p.pk: p for p in found.filter(pk__in=[pk for pk, _miles in page.object_list])}
    distances = dict(page.object_list)
    page.object_list = [rows[pk] for pk in distances if pk in rows]
    for provider in page.object_list:
        provider.miles_away = round(distances[provider.pk], 1)
    return page


def schools_of(*, area_id: int) -> list[Organisation]:
    """The schools of an area, for choosing the one whose site an AP setting is on."""
    return list(Organisation.objects.filter(area_id=area_id, kind=OrganisationKind.SCHOOL).order_by("name"))
