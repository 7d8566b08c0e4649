"""Reads of placements and the register. Each starts from the access policy in core."""

import uuid
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from core.access import child_object_get_for_user, children_visible_to, placements_visible_to
from core.models import Organisation, OrganisationKind, User
from core.periods import recent_since
from placements.models import PartTimeTimetable
from placements.register import DIMENSIONS, LOOKED_AFTER_ELSEWHERE, LOOKED_AFTER_HERE
from placements.rules import SCHOOL_COMMISSIONERS
from providers.models import Provider

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


# Year groups a child in AP can be in: Reception (0) to Year 13; ages of compulsory school to the end of Year 13.
YEAR_GROUPS = list(range(0, 14))
AGES = list(range(4, 20))


def year_group_label(year: int) -> str:
    return "Reception" if year == 0 else f"Year {year}"


def academic_year_of(day: date) -> int:
    """The calendar year in which the academic year holding `day` began (1 September to 31 August)."""
    return day.year if day.month >= 9 else day.year - 1


def born_in_year_group(year: int, today: date) -> tuple[date, date]:
    """The dates of birth of the children in a national curriculum year group this academic year.

    A child starts Reception in the September after turning 4: born 1 September to 31 August.
    """
    first = academic_year_of(today) - 5 - year
    return date(first, 9, 1), date(first + 1, 8, 31)


def year_group_on(date_of_birth: date, day: date) -> int:
    """The national curriculum year group a child is in on `day` (Reception is 0): born_in_year_group turned round."""
    return academic_year_of(day) - 5 - academic_year_of(date_of_birth)


def born_at_age(age: int, today: date) -> tuple[date, date]:
    """The dates of birth of the children who are `age` years old today."""
    youngest = today - relativedelta(years=age)
    oldest = today - relativedelta(years=age + 1) + relativedelta(days=1)
    return oldest, youngest


def _uuid(text: str) -> str:
    try:
        return str(uuid.UUID(text))
    except (ValueError, AttributeError):
        return ""


def _whole_numbers(values: list[str], allowed: list[int]) -> list[int]:
    return sorted({int(v) for v in values if v.isdigit() and int(v) in allowed})


@dataclass
class RegisterQuery:
    """What the person asked the register for: period, filters, search and order."""

    period: str = RECENT
    filters: dict[str, list[str]] = field(default_factory=dict)
    search: str = ""
    sort: str = "name"
    # The provider and home school by public id; year groups and ages as whole numbers.
    provider: str = ""
    home_school: str = ""
    year_groups: list[int] = field(default_factory=list)
    ages: list[int] = field(default_factory=list)

    @property
    def narrowed(self) -> bool:
        """Whether anything beyond the period narrows the register."""
        return bool(self.filters or self.search or self.provider or self.home_school or self.year_groups or self.ages)

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
            provider=_uuid(params.get("provider", "")),
            home_school=_uuid(params.get("home_school", "")),
            year_groups=_whole_numbers(params.getlist("year_group"), YEAR_GROUPS),
            ages=_whole_numbers(params.getlist("age"), AGES),
        )


def placements_in_period(*, user: User, period: str, today: date) -> QuerySet:
    """Placements open today, or (RECENT) open at any time in the last six months."""
    since = today if period == CURRENT else recent_since(today)
    return (
        placements_visible_to(user=user, today=today)
        .open_during(since, today)
        .annotate(
            # The plan lives in casework, above placements: reached by its relation's name, never imported.
            has_plan=ExpressionWrapper(Q(personalised_plan__isnull=False), output_field=BooleanField()),
            looked_after_by=Case(
                When(child__looked_after=False, then=Value("no")),
                When(child__looked_after_by_id=F("child__area_id"), then=Value(LOOKED_AFTER_HERE)),
                default=Value(LOOKED_AFTER_ELSEWHERE),
                output_field=CharField(),
            ),
        )
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
    if query.provider:
        placements = placements.filter(provider__public_id=query.provider)
    children = children_visible_to(user=user, today=today).filter(pk__in=placements.values("child_id"))
    if query.search:
        children = children.filter(name_or_upn(query.search))
    if query.home_school:
        children = children.filter(home_school__public_id=query.home_school)
    if query.year_groups:
        children = children.filter(_born_between([born_in_year_group(y, today) for y in query.year_groups]))
    if query.ages:
        children = children.filter(_born_between([born_at_age(a, today) for a in query.ages]))
    matching = placements.select_related("provider__organisation").order_by("-start_date")
    children = children.select_related("home_school").prefetch_related(
        Prefetch("placements", queryset=matching, to_attr="register_placements")
    )
    if query.sort in ("start", "-start"):
        # Sorted by it, every child's latest start is needed; otherwise a page's children show their own (the first
        # of their placements, newest first), and the database sorts and counts the children alone.
        children = children.annotate(
            latest_start=Subquery(matching.filter(child_id=OuterRef("pk")).values("start_date")[:1])
        )
    return children.order_by(*SORTS[query.sort], "pk")


def _born_between(ranges: list[tuple[date, date]]) -> Q:
    match = Q(pk__in=[])
    for first, last in ranges:
        match |= Q(date_of_birth__range=(first, last))
    return match


@dataclass
class RegisterChoices:
    """What the register's provider and home-school filters offer: the settings and schools of the user's areas."""

    providers: list[tuple[str, str]]
    schools: list[tuple[str, str]]
    year_groups: list[tuple[str, str]]
    ages: list[tuple[str, str]]

    def chosen(self, query: RegisterQuery) -> list[tuple[str, list[str]]]:
        """The filters beyond the dimensions that narrow the register, as (label, chosen labels)."""
        chosen = []
        for label, value, choices in (
            ("Provider", query.provider, self.providers),
            ("Home school", query.home_school, self.schools),
        ):
            if value:
                chosen.append((label, [dict(choices).get(value, "Not in your area")]))
        if query.year_groups:
            chosen.append(("Year group", [year_group_label(y) for y in query.year_groups]))
        if query.ages:
            chosen.append(("Age", [str(a) for a in query.ages]))
        return chosen


def register_choices(*, user: User) -> RegisterChoices:
    """The providers and schools of the user's areas (not children's data), and the year groups and ages."""
    areas = [o.area_id for o in user.organisations]
    providers = Provider.objects.filter(organisation__area_id__in=areas).order_by("organisation__name")
    schools = Organisation.objects.filter(area_id__in=areas, kind=OrganisationKind.SCHOOL).order_by("name")
    return RegisterChoices(
        providers=[(str(pid), name) for pid, name in providers.values_list("public_id", "organisation__name")],
        schools=[(str(pid), name) for pid, name in schools.values_list("public_id", "name")],
        year_groups=[(str(y), year_group_label(y)) for y in YEAR_GROUPS],
        ages=[(str(a), str(a)) for a in AGES],
    )


def name_or_upn(term: str) -> Q:
    """A UPN, or part of a first name, last name or "first last"."""
    match = Q(upn__iexact=term.replace(" ", "")) | Q(first_name__icontains=term) | Q(last_name__icontains=term)
    first, _, last = term.partition(" ")
    if last.strip():
        match |= Q(first_name__icontains=first, last_name__icontains=last.strip())
    return match


def part_time_timetable_get_for_user(*, user: User, public_id) -> PartTimeTimetable:
    """One part-time timetable, if the user may see the pupil; 404 alike for missing and forbidden."""
    return child_object_get_for_user(
        user=user,
        queryset=PartTimeTimetable.objects.select_related("child", "school"),
        public_id=public_id,
        object_type="part_time_timetable",
    )


# What schools have told the LA: the AP they commission, and their pupils' part-time timetables.
TOLD_PLACEMENTS = "placements"
TOLD_TIMETABLES = "timetables"


def told_by_schools(*, user: User, show: str, today: date) -> QuerySet:
    """The open arrangements schools made, newest first: school-commissioned placements, or part-time timetables."""
    if show == TOLD_TIMETABLES:
        return (
            PartTimeTimetable.objects.filter(child__in=children_visible_to(user=user, today=today), end_date=None)
            .select_related("child", "school")
            .order_by("-start_date", "child__last_name")
        )
    return (
        placements_visible_to(user=user, today=today)
        .filter(commissioner_type__in=SCHOOL_COMMISSIONERS, end_date=None)
        .select_related("child", "provider__organisation", "commissioner")
        .order_by("-start_date", "child__last_name")
    )


def told_by_schools_counts(*, user: User, today: date) -> dict[str, int]:
    """How many arrangements schools told of are running, by kind, for the dashboard's link to the list."""
    return {
        show: told_by_schools(user=user, show=show, today=today).count() for show in (TOLD_PLACEMENTS, TOLD_TIMETABLES)
    }
