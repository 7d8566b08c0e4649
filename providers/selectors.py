"""Reads of providers. The directory is open to every signed-in user; children are not."""

from datetime import date

from django.db.models import Count, OuterRef, QuerySet, Subquery

from core.access import placements_visible_to
from core.models import User
from core.periods import open_on
from providers.models import Provider, ProviderApproval


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
