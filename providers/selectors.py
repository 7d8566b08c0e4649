"""Reads of providers. The directory is open to every signed-in user; children are not."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, OuterRef, QuerySet, Subquery

from core.access import placements_visible_to
from core.codes import code_set
from core.models import Area, User
from core.periods import open_on
from providers.models import APPROVED, CheckOutcome, CheckStatus, Provider, ProviderApproval, ProviderCheck


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


# Safeguarding and compliance checks (issue 13, item 3). Not children's data: who may read them is asked of
# core.access (may_see_provider_checks) by the views before any of these is called.


@dataclass(frozen=True)
class CheckLine:
    """One kind of check for one provider: its latest record (none while none is recorded) and where it stands."""

    check_type: str
    label: str
    standard: str
    required: bool
    latest: ProviderCheck | None
    status: str

    @property
    def status_label(self) -> str:
        return CheckStatus(self.status).label

    @property
    def gap(self) -> bool:
        """Stops a written confirmation: a required check missing, expired or of concern."""
        return self.required and self.status in (CheckStatus.MISSING, CheckStatus.EXPIRED, CheckStatus.CONCERNS)


def _latest_checks():
    later = ProviderCheck.objects.filter(provider=OuterRef("provider"), check_type=OuterRef("check_type")).order_by(
        "-seen_on", "-pk"
    )
    return ProviderCheck.objects.filter(pk=Subquery(later.values("pk")[:1]))


def provider_compliance(*, provider: Provider, today: date | None = None) -> list[CheckLine]:
    """Every kind of check, in the code set's order, with the provider's latest record of it and its status on
    the day (missing, expired, concerns, expiring within the area's days, valid, does not apply)."""
    today = today or date.today()
    warning_days = provider.organisation.area.check_expiry_warning_days
    latest = {c.check_type: c for c in _latest_checks().filter(provider=provider).select_related("recorded_for")}
    lines = []
    for code in code_set("provider_check_type").values():
        check = latest.get(code.code)
        lines.append(
            CheckLine(
                check_type=code.code,
                label=code.label,
                standard=code.row["standard"],
                required=code.row["required"] == "Y",
                latest=check,
                status=check.status_on(today, warning_days) if check else CheckStatus.MISSING,
            )
        )
    return lines


def provider_check_history(*, provider: Provider) -> list[ProviderCheck]:
    """Every check recorded of the provider, latest first, without the files' bytes."""
    return list(
        provider.checks.defer("content").select_related("recorded_for").order_by("-seen_on", "-recorded_at", "-pk")
    )


def provider_check_get(*, public_id) -> ProviderCheck:
    """One check with its evidence file; the caller asks core.access whether the user may open it."""
    return ProviderCheck.objects.select_related("provider__organisation__area").get(public_id=public_id)


def checks_expiring(*, area_id: int, today: date | None = None, within_days: int | None = None) -> QuerySet:
    """The latest check of each kind at each of the area's providers that has expired or expires within the days
    (the area's setting unless given): expiring means still standing today, the last day included. Soonest first."""
    today = today or date.today()
    if within_days is None:
        within_days = Area.objects.values_list("check_expiry_warning_days", flat=True).get(pk=area_id)
    return (
        _latest_checks()
        .filter(provider__organisation__area_id=area_id, expires_on__lte=today + timedelta(days=within_days))
        .exclude(outcome=CheckOutcome.NOT_PROVIDED)
        .defer("content")
        .select_related("provider__organisation")
        .order_by("expires_on", "provider__organisation__name", "check_type")
    )


def checks_expiring_count(*, user: User, today: date | None = None) -> int:
    """How many of the user's areas' latest checks have expired or expire within each area's days."""
    return sum(
        checks_expiring(area_id=o.area_id, today=today, within_days=o.area.check_expiry_warning_days).count()
        for o in {o.area_id: o for o in user.organisations}.values()
    )
