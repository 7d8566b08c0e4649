"""Reads of the school calendar. Every signed-in user of an area may read its calendar."""

from dataclasses import dataclass, field
from datetime import date

from django.http import Http404

from core.access import is_la_of
from core.models import Area, OrganisationKind, User
from terms.calendar import SchoolCalendar, academic_year_of, bank_holidays_between
from terms.models import Closure, Term


def calendar_area(*, user: User) -> Area | None:
    """The area whose calendar a user reads: their local authority's, else their first organisation's."""
    organisations = user.organisations
    for organisation in organisations:
        if organisation.kind == OrganisationKind.LOCAL_AUTHORITY:
            return organisation.area
    return organisations[0].area if organisations else None


def can_keep_calendar(*, user: User, area: Area | None) -> bool:
    """Only the area's local authority changes its school calendar."""
    return area is not None and is_la_of(user, area.pk)


def _get_in_users_areas(model, user: User, public_id):
    areas = [o.area_id for o in user.organisations]
    try:
        return model.objects.select_related("area").get(area_id__in=areas, public_id=public_id)
    except (model.DoesNotExist, ValueError) as missing:
        raise Http404("Not found") from missing


def term_get(*, user: User, public_id) -> Term:
    """A term of one of the user's areas, or 404 alike for missing and another area's."""
    return _get_in_users_areas(Term, user, public_id)


def closure_get(*, user: User, public_id) -> Closure:
    """A closure of one of the user's areas, or 404 alike for missing and another area's."""
    return _get_in_users_areas(Closure, user, public_id)


def closures_within(*, term: Term) -> list[Closure]:
    """The half terms and INSET days inside a term, in date order."""
    return list(Closure.objects.filter(area_id=term.area_id, starts_on__gte=term.starts_on, ends_on__lte=term.ends_on))


@dataclass
class TermEntry:
    term: Term
    closures: list[Closure]
    school_days: int


@dataclass
class AcademicYear:
    """One academic year of an area's calendar, as the calendar page shows it."""

    starts: int
    terms: list[TermEntry] = field(default_factory=list)
    # Closures outside every term cannot be made through the services, but imported data is shown, not hidden.
    stray_closures: list[Closure] = field(default_factory=list)
    bank_holidays: list[tuple[date, str, bool]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.starts} to {self.starts + 1}"

    @property
    def closures(self) -> list[Closure]:
        return [c for entry in self.terms for c in entry.closures]


def calendar_years(*, area: Area) -> list[AcademicYear]:
    """The area's terms, closures and bank holidays grouped by academic year, in two queries."""
    terms = list(Term.objects.filter(area=area))
    closures = list(Closure.objects.filter(area=area))
    if not terms:
        return []
    calendar = SchoolCalendar(
        start=min(t.starts_on for t in terms),
        end=max(t.ends_on for t in terms),
        terms=[(t.starts_on, t.ends_on) for t in terms],
        closures=[(c.starts_on, c.ends_on) for c in closures],
    )
    years: dict[int, AcademicYear] = {}

    def year_of(day: date) -> AcademicYear:
        starts = academic_year_of(day)
        return years.setdefault(starts, AcademicYear(starts))

    placed = set()
    for term in terms:
        inside = [c for c in closures if term.starts_on <= c.starts_on and c.ends_on <= term.ends_on]
        placed.update(c.pk for c in inside)
        year_of(term.starts_on).terms.append(TermEntry(term, inside, len(calendar.days(term.starts_on, term.ends_on))))
    for closure in closures:
        if closure.pk not in placed:
            year_of(closure.starts_on).stray_closures.append(closure)
    for year in years.values():
        for day, name in bank_holidays_between(date(year.starts, 9, 1), date(year.starts + 1, 8, 31)):
            in_term = any(t.starts_on <= day <= t.ends_on for t in terms)
            year.bank_holidays.append((day, name, in_term))
    return [years[starts] for starts in sorted(years)]
