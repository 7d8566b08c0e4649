"""Reads of providers. The directory is open to every signed-in user; children are not."""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from core.access import placements_visible_to, qa_visit_get_for_user, qa_visits_visible_to
from core.codes import code_set
from core.geo import bounding_box, miles_between
from core.models import Area, Organisation, OrganisationKind, User
from core.periods import open_on
from providers.models import (
    APPROVED,
    CheckOutcome,
    CheckStatus,
    Provider,
    ProviderApproval,
    ProviderCheck,
    ProviderSite,
    QAAction,
    QACriterion,
    QAFramework,
    QAFrameworkVersion,
    QARatingPoint,
    QATheme,
    QAVersionStatus,
    QAVisit,
)


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


# The area's decisions on a provider, latest first: the first is its approval today.
LATEST_DECISION_FIRST = ("-decided_on", "-pk")


def _latest_approval(provider: str = "pk") -> QuerySet:
    """The decisions on the outer query's provider (its `provider` field), latest first."""
    return ProviderApproval.objects.filter(provider=OuterRef(provider)).order_by(*LATEST_DECISION_FIRST)


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
    return provider.approvals.order_by(*LATEST_DECISION_FIRST).values_list("status", flat=True).first()


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
    return list(provider.approvals.select_related("decided_by").order_by(*LATEST_DECISION_FIRST))


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


def own_checks_expiring_count(*, provider: Provider, today: date | None = None) -> int:
    """How many of a provider's own latest checks have expired or expire within its area's days: its staff's alert."""
    area = provider.organisation.area
    expiring = checks_expiring(area_id=area.pk, today=today, within_days=area.check_expiry_warning_days)
    return expiring.filter(provider=provider).count()


def checks_expiring_count(*, user: User, today: date | None = None) -> int:
    """How many of the user's areas' latest checks have expired or expire within each area's days."""
    return sum(
        checks_expiring(area_id=o.area_id, today=today, within_days=o.area.check_expiry_warning_days).count()
        for o in {o.area_id: o for o in user.organisations}.values()
    )


# Quality assurance (issue 13, item 4).


def qa_version_content(*, version: QAFrameworkVersion) -> dict:
    """A version's rating scale and its themes, each with its criteria numbered as the pages show them."""
    themes = list(version.themes.prefetch_related("criteria"))
    return {"version": version, "points": list(version.points.all()), "themes": themes}


def qa_framework_versions(*, framework: QAFramework) -> list[QAFrameworkVersion]:
    """Every version of the framework, newest first, with how many visits used each."""
    return list(
        framework.versions.select_related("published_by").annotate(visits_made=Count("visits")).order_by("-number")
    )


def qa_version_published(*, framework: QAFramework) -> QAFrameworkVersion:
    """The version new visits use: the latest published."""
    return framework.versions.filter(status=QAVersionStatus.PUBLISHED).order_by("-number").first()


def qa_version_draft(*, framework: QAFramework) -> QAFrameworkVersion | None:
    return framework.versions.filter(status=QAVersionStatus.DRAFT).first()


def qa_draft_criterion(*, framework: QAFramework, pk) -> QACriterion:
    """A criterion of the framework's draft (DoesNotExist for any other, published ones included)."""
    return QACriterion.objects.select_related("theme__version").get(
        pk=pk, theme__version__framework=framework, theme__version__status=QAVersionStatus.DRAFT
    )


def qa_draft_theme(*, framework: QAFramework, pk) -> QATheme:
    return QATheme.objects.select_related("version").get(
        pk=pk, version__framework=framework, version__status=QAVersionStatus.DRAFT
    )


def qa_draft_point(*, framework: QAFramework, pk) -> QARatingPoint:
    return QARatingPoint.objects.select_related("version").get(
        pk=pk, version__framework=framework, version__status=QAVersionStatus.DRAFT
    )


def qa_visitors_for(*, organisation) -> QuerySet:
    """The people of the visiting organisation, to name who visited."""
    return User.objects.filter(memberships__organisation=organisation, is_active=True).order_by(
        "last_name", "first_name"
    )


def provider_qa_visits(*, user: User, provider: Provider) -> list[QAVisit]:
    """The quality-assurance visits to this provider the user may read, newest first."""
    return list(
        qa_visits_visible_to(user=user)
        .filter(provider=provider)
        .select_related("organisation", "overall", "version")
        .annotate(actions_open=Count("actions", filter=Q(actions__done_on__isnull=True)))
        .order_by("-visited_on", "-pk")
    )


def qa_visit_read(*, user: User, public_id) -> dict:
    """A visit the user may read, whole: its ratings by theme of the version it used, its strands and actions."""
    visit = qa_visit_get_for_user(
        user=user,
        public_id=public_id,
        queryset=qa_visits_visible_to(user=user).select_related(
            "provider__organisation__area", "organisation", "overall", "version__framework", "recorded_by"
        ),
    )
    ratings = {
        r.criterion_id: r for r in visit.ratings.select_related("point", "criterion__theme").order_by("criterion")
    }
    themes = []
    for theme in visit.version.themes.prefetch_related("criteria"):
        rows = [(c, ratings.get(c.pk)) for c in theme.criteria.all()]
        themes.append({"theme": theme, "rows": rows})
    return {
        "visit": visit,
        "themes": themes,
        "points": list(visit.version.points.all()),
        "visitors": list(visit.visitors.order_by("last_name", "first_name")),
        "strands": {s.sector: s for s in visit.strands.select_related("recorded_by", "organisation")},
        "actions": list(visit.actions.select_related("done_by").order_by("due_on", "pk")),
    }


@dataclass(frozen=True)
class OverdueVisit:
    provider: Provider
    last_visited_on: date | None
    due_on: date | None  # None: never visited by the LA

    @property
    def days_overdue(self) -> int | None:
        return None if self.due_on is None else (date.today() - self.due_on).days


def qa_visit_due_on(*, last_visited_on: date, next_visit_on: date, interval_months: int) -> date:
    """When the next visit is due: the date the last visit set, and at the latest the area's interval after it
    (as the interval is today, so that shortening it takes effect at once). Overdue from the day after."""
    return min(next_visit_on, last_visited_on + relativedelta(months=interval_months))


def qa_visits_overdue(*, user: User, today: date | None = None, placed: set[int] | None = None) -> list[OverdueVisit]:
    """The providers with children placed today (of those the user sees) whose next visit by the LA is overdue:
    never visited, or the last visit's next visit date, or the area's interval after it, has passed. One query.
    `placed`: those providers, where the caller has already read today's placements.

    The LA's visits count, not a school's own: the area's quality assurance is the LA's.
    """
    today = today or date.today()
    if placed is None:
        placed = placements_visible_to(user=user, today=today).filter(open_on(today)).values("provider_id")
    las_visits = QAVisit.objects.filter(
        provider=OuterRef("pk"),
        organisation__kind=OrganisationKind.LOCAL_AUTHORITY,
        organisation__area_id=OuterRef("organisation__area_id"),
    ).order_by("-visited_on", "-pk")
    interval = QAFramework.objects.filter(area_id=OuterRef("organisation__area_id")).values("visit_interval_months")
    areas = [o.area_id for o in user.organisations]
    providers = (
        Provider.objects.filter(organisation__area_id__in=areas, pk__in=placed)
        .select_related("organisation")
        .annotate(
            last_visited_on=Subquery(las_visits.values("visited_on")[:1]),
            next_visit_on=Subquery(las_visits.values("next_visit_on")[:1]),
            interval=Subquery(interval[:1]),
        )
        .order_by("organisation__name")
    )
    overdue = []
    for provider in providers:
        if provider.last_visited_on is None:
            overdue.append(OverdueVisit(provider, None, None))
            continue
        months = provider.interval or QAFramework._meta.get_field("visit_interval_months").default
        due = qa_visit_due_on(
            last_visited_on=provider.last_visited_on, next_visit_on=provider.next_visit_on, interval_months=months
        )
        if due < today:
            overdue.append(OverdueVisit(provider, provider.last_visited_on, due))
    return overdue


def qa_actions_overdue(*, user: User, today: date | None = None) -> QuerySet:
    """The actions of the visits the user may read that are past their due date and not done, oldest due first."""
    today = today or date.today()
    return (
        QAAction.objects.filter(
            visit__in=qa_visits_visible_to(user=user, today=today), done_on__isnull=True, due_on__lt=today
        )
        .select_related("visit__provider__organisation", "visit__organisation")
        .order_by("due_on", "pk")
    )


def qa_action_get_for_user(*, user: User, public_id) -> QAAction:
    """An action of a visit the user may read (DoesNotExist for any other)."""
    return QAAction.objects.select_related("visit__provider__organisation", "visit__organisation").get(
        public_id=public_id, visit__in=qa_visits_visible_to(user=user)
    )


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
    latest_qa = qa_visits_visible_to(user=user).filter(provider=OuterRef("pk")).order_by("-visited_on", "-pk")
    found = (
        providers_for(user=user)
        .annotate(
            # The latest quality-assurance visit the user may read, at a glance: when, and the overall judgement.
            qa_visited_on=Subquery(latest_qa.values("visited_on")[:1]),
            qa_overall=Subquery(latest_qa.values("overall__label")[:1]),
            qa_signal=Subquery(latest_qa.values("overall__signal")[:1]),
        )
        .order_by("organisation__name", "pk")
    )
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
