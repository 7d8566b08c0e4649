"""Reads of the school calendars. The local authority reads all of its area's; a setting reads the one it follows."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.http import Http404

from core.access import may_manage_calendars, may_view_calendar
from core.models import Area, Organisation, OrganisationKind, User
from terms.calendar import SchoolCalendar, academic_year_of, bank_holidays_between
from terms.models import Calendar, Closure, SettingCalendar, Term

# The organisations that keep a register and so follow a school calendar.
SETTING_KINDS = (OrganisationKind.AP_PROVIDER, OrganisationKind.SCHOOL)


def calendar_area(*, user: User) -> Area | None:
    """The area whose calendar a user reads: their local authority's, else their first organisation's."""
    organisations = user.organisations
    for organisation in organisations:
        if organisation.kind == OrganisationKind.LOCAL_AUTHORITY:
            return organisation.area
    return organisations[0].area if organisations else None


def default_calendar(*, area: Area) -> Calendar | None:
    return Calendar.objects.filter(area=area, is_area_default=True).first()


def followed_calendar(*, organisation: Organisation) -> Calendar | None:
    """The calendar a setting follows: its own, else its area's default."""
    link = SettingCalendar.objects.select_related("calendar").filter(organisation=organisation).first()
    return link.calendar if link else default_calendar(area=organisation.area)


def calendar_get(*, user: User, public_id) -> Calendar:
    """A calendar the user may read, or 404 alike for missing and not theirs."""
    try:
        calendar = Calendar.objects.select_related("area", "parent").get(public_id=public_id)
    except (Calendar.DoesNotExist, ValueError) as missing:
        raise Http404("Not found") from missing
    if not may_view_calendar(user=user, calendar=calendar):
        raise Http404("Not found")
    return calendar


def calendars_of(*, area: Area) -> list[Calendar]:
    """The area's calendars, the default first, each with how many settings follow it."""
    return list(Calendar.objects.filter(area=area).select_related("parent").annotate(following=Count("settings")))


def lineage(calendar: Calendar) -> list[Calendar]:
    """The calendar and every calendar it is based on, nearest first."""
    found, current = [], calendar
    while current is not None and current not in found:
        found.append(current)
        current = current.parent
    return found


def settings_of(*, area: Area) -> list[tuple[Organisation, Calendar | None]]:
    """Every AP provider and school of the area with the calendar it follows, in two queries."""
    default = default_calendar(area=area)
    return [
        (organisation, organisation.setting_calendar.calendar if hasattr(organisation, "setting_calendar") else default)
        for organisation in Organisation.objects.filter(area=area, kind__in=SETTING_KINDS)
        .select_related("setting_calendar__calendar")
        .order_by("kind", "name")
    ]


def setting_get(*, user: User, public_id) -> Organisation:
    """A provider or school whose calendar the user may set, or 404 alike for missing and not theirs."""
    try:
        organisation = Organisation.objects.select_related("area").get(public_id=public_id, kind__in=SETTING_KINDS)
    except (Organisation.DoesNotExist, ValueError) as missing:
        raise Http404("Not found") from missing
    if not may_manage_calendars(user=user, area_id=organisation.area_id):
        raise Http404("Not found")
    return organisation


def _get_in_users_areas(model, user: User, public_id):
    areas = [o.area_id for o in user.organisations]
    try:
        return model.objects.select_related("calendar__area").get(calendar__area_id__in=areas, public_id=public_id)
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
    return list(
        Closure.objects.filter(calendar_id=term.calendar_id, starts_on__gte=term.starts_on, ends_on__lte=term.ends_on)
    )


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


def calendar_years(*, calendar: Calendar) -> list[AcademicYear]:
    """A calendar's terms and closures, its own and inherited, and bank holidays by academic year, in two queries.

    An inherited term or closure has `inherited` set (the calendar it comes from); only its own are changed here.
    """
    chain = {c.pk: c for c in lineage(calendar)}
    terms = list(Term.objects.filter(calendar_id__in=list(chain)).order_by("starts_on"))
    closures = list(Closure.objects.filter(calendar_id__in=list(chain)).order_by("starts_on"))
    for record in (*terms, *closures):
        record.inherited = chain[record.calendar_id] if record.calendar_id != calendar.pk else None
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
