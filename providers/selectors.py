"""Reads of providers. The directory is open to every signed-in user; children are not."""

from datetime import date

from django.db.models import Count, OuterRef, QuerySet, Subquery

from core.access import placements_visible_to
from core.models import User
from core.periods import open_on
from providers.models import APPROVED, Provider, ProviderApproval


def providers_for(*, user: User) -> QuerySet:
    """The providers of the user's areas, with how many children each has today and the area's latest decision on
    its approval (`approval_status`, `approval_decided_on`, `approval_review_by`; none while none is recorded)."""
    today = date.today()
    areas = [o.area_id for o in user.organisations]
    open_today = open_on(today, prefix="placements__")
    latest = _latest_approval()
    return (
        Provider.objects.filter(organisation__area_id__in=areas)
        .select_related("organisation__area")
        .annotate(
            children_today=Count("placements__child", filter=open_today, distinct=True),
            approval_status=approval_status_expression(),
            approval_decided_on=Subquery(latest.values("decided_on")[:1]),
            approval_review_by=Subquery(latest.values("review_by")[:1]),
        )
    )


def _latest_approval(provider: str = "pk") -> QuerySet:
    """The decisions on the outer query's provider (its `provider` field), latest first: the first is its approval
    today."""
    return ProviderApproval.objects.filter(provider=OuterRef(provider)).order_by("-decided_on", "-pk")


def approval_status_expression(provider: str = "pk") -> Subquery:
    """The area's latest decision on the approval of the outer query's provider; None while none is recorded."""
    return Subquery(_latest_approval(provider).values("status")[:1])


def with_approval_status(providers: QuerySet) -> QuerySet:
    """The providers, each with `approval_status`: the area's latest decision, or None while none is recorded."""
    return providers.annotate(approval_status=approval_status_expression())


def approved_providers() -> QuerySet:
    """The ids of the providers the area has approved, with or without conditions, as its latest decision."""
    return with_approval_status(Provider.objects.all()).filter(approval_status__in=APPROVED).values("pk")


def approval_status_of(provider: Provider) -> str | None:
    """The area's latest decision on this provider's approval, or None while none is recorded."""
    return provider.approvals.order_by("-decided_on", "-pk").values_list("status", flat=True).first()


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
