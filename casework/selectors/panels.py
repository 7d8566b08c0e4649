"""Reads for the local authority's multi-agency panels: its queue of referrals awaiting a decision, its panels and
their agendas. Each starts from the access policy (core.access)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from casework.models import AgendaItem, Decision, Panel, PanelKind, PanelMember, Referral, ReferralStatus, Sector
from casework.services.plans import placement_from_decision_refusal
from core.access import is_la_officer, panels_visible_to, referral_get_for_user, referrals_visible_to
from core.models import Area, Organisation, OrganisationKind, User
from providers.models import Provider

QUEUE_PAGE_SIZE = 50
NOT_THE_LA = "Panels and their decisions are run by the local authority."


def _fast_tracked_first(prefix: str = "") -> Case:
    """0 for a fast-tracked referral, 1 for the rest: the queue and every agenda sort on it, then on when sent."""
    return Case(
        When(**{f"{prefix}fast_tracked_at__isnull": False}, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def panel_area_for(*, user: User) -> Area:
    """The area whose panels this user runs: their local authority's. Anyone else is refused."""
    for organisation in user.organisations:
        if organisation.kind == OrganisationKind.LOCAL_AUTHORITY:
            return organisation.area
    raise PermissionDenied(NOT_THE_LA)


def panel_kinds_of(*, area: Area) -> QuerySet:
    return PanelKind.objects.filter(area=area)


def panel_kind_get(*, area: Area, kind_id: int) -> PanelKind:
    return panel_kinds_of(area=area).get(pk=kind_id)


def _count(model, **rows) -> Coalesce:
    """How many rows of a panel's own table (agenda, decisions, members) each panel has: a sub-query, not a join,
    so that counting three tables does not multiply their rows."""
    counted = model.objects.filter(panel=OuterRef("pk"), **rows).order_by().values("panel").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0)


def _with_counts(panels: QuerySet) -> QuerySet:
    return panels.select_related("kind").annotate(
        agenda_count=_count(AgendaItem),
        decided_count=_count(Decision),
        member_count=_count(PanelMember),
        health_count=_count(PanelMember, sector=Sector.HEALTH),
        social_care_count=_count(PanelMember, sector=Sector.SOCIAL_CARE),
    )


def panels_upcoming(*, user: User, today: date) -> QuerySet:
    """The area's panels from today on, soonest first, with how many referrals, decisions and members each has."""
    return _with_counts(panels_visible_to(user=user).filter(meets_on__gte=today)).order_by("meets_on", "pk")


def panels_past(*, user: User, today: date, page_number) -> Page:
    """The area's panels that have met, latest first, a page at a time."""
    past = _with_counts(panels_visible_to(user=user).filter(meets_on__lt=today)).order_by("-meets_on", "-pk")
    return Paginator(past, QUEUE_PAGE_SIZE).get_page(page_number)


def _queue(user: User, area_ids: list[int]) -> QuerySet:
    return (
        referrals_visible_to(user=user)
        .filter(status=ReferralStatus.SENT, child__area_id__in=area_ids)
        .annotate(fast_tracked_first=_fast_tracked_first())
        .order_by("fast_tracked_first", "sent_at", "pk")
    )


def _days_waiting(referrals, today: date):
    for referral in referrals:
        referral.days_waiting = (today - referral.sent_at.date()).days
    return referrals


def referral_queue(*, user: User, today: date, page_number=None) -> Page:
    """The sent referrals of the LA's area awaiting a decision: fast-tracked first, then the longest waiting.

    Each row has its child, home school and referrer, `days_waiting` and `panels` (the agendas it is on,
    latest first); the queries a page costs do not grow with its rows.
    """
    area = panel_area_for(user=user)
    agendas = Prefetch(
        "agenda_items",
        queryset=AgendaItem.objects.select_related("panel__kind").order_by("-panel__meets_on", "-pk"),
    )
    queue = _queue(user, [area.pk]).select_related("child__home_school", "referrer").prefetch_related(agendas)
    page = Paginator(queue, QUEUE_PAGE_SIZE).get_page(page_number)
    _days_waiting(page.object_list, today)
    return page


def referral_queue_count(*, user: User) -> int:
    """How many referrals of the LA's area await a decision."""
    return _queue(user, [panel_area_for(user=user).pk]).count()


def referral_queue_summary(*, user: User) -> dict[str, int]:
    """For the LA's dashboard: referrals awaiting a decision, and how many of them are fast-tracked (one query)."""
    if not is_la_officer(user):
        return {"awaiting": 0, "fast_tracked": 0}
    queue = _queue(user, [panel_area_for(user=user).pk]).order_by()
    return queue.aggregate(awaiting=Count("pk"), fast_tracked=Count("pk", filter=Q(fast_tracked_at__isnull=False)))


def queue_choices(*, user: User, panel: Panel, today: date) -> list[Referral]:
    """The referrals a panel's agenda may take: its area's queue, less those on this agenda or one still to meet."""
    return list(
        _queue(user, [panel.area_id])
        .exclude(agenda_items__panel=panel)
        .exclude(agenda_items__panel__meets_on__gte=today)
        .select_related("child__home_school", "referrer")
    )


def referrals_of_area(*, user: User, panel: Panel) -> QuerySet:
    """Every referral of the panel's area this user sees, whatever its status: what an agenda's form may name."""
    return referrals_visible_to(user=user).filter(child__area_id=panel.area_id)


def panel_agenda(*, panel: Panel, today: date) -> list[AgendaItem]:
    """A panel's agenda in the queue's order, each item with its referral, child and the decision if made."""
    items = (
        AgendaItem.objects.filter(panel=panel)
        .select_related(
            "referral__child__home_school",
            "referral__referrer",
            "referral__decision__provider__organisation",
            "referral__decision__panel__kind",
            "referral__decision__personalised_plan__placement",
        )
        .annotate(fast_tracked_first=_fast_tracked_first("referral__"))
        .order_by("fast_tracked_first", "referral__sent_at", "pk")
    )
    items = list(items)
    for item in items:
        sent = item.referral.sent_at
        item.referral.days_waiting = (today - sent.date()).days if sent else None
        decision = getattr(item.referral, "decision", None)
        item.may_start_placement = decision is not None and placement_from_decision_refusal(decision=decision) is None
    return items


def panel_members(*, panel: Panel) -> list[PanelMember]:
    return list(panel.members.select_related("organisation"))


def panel_member_get(*, panel: Panel, member_id: int) -> PanelMember:
    return panel.members.get(pk=member_id)


def agenda_referral_get(*, user: User, panel: Panel, public_id) -> Referral:
    """A referral of the panel's area, by public id: 404 alike for missing, forbidden and another area's."""
    referral = referral_get_for_user(user=user, public_id=public_id)
    if referral.child.area_id != panel.area_id:
        raise Http404("Not found")
    return referral


def provider_directory(*, area_id: int) -> QuerySet:
    """The providers a panel may name: the area's directory."""
    return Provider.objects.filter(organisation__area_id=area_id).select_related("organisation")


def panel_member_organisations(*, area_id: int) -> QuerySet:
    """The organisations a panel's members come from: the area's own, less the inspectorate."""
    return Organisation.objects.filter(area_id=area_id).exclude(kind=OrganisationKind.INSPECTORATE)
