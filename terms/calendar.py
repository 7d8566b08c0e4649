"""Which days are school days for a setting: a weekday in a term of its calendar, not in a closure, not a bank holiday.

Reads only. Load `Calendars` once for the settings of a page and a range of dates (three
queries) and ask it as often as the page or a calculation needs; `SchoolCalendar.load`
reads one setting's calendar (or an area's default) and the functions at the end are
shortcuts for a single question.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.db.models import CharField, Min, Value

from core.models import Area, Organisation
from terms.models import Calendar, Closure, Term

ONE_DAY = timedelta(days=1)
# How far back `last_school_day` reads at a time: longer than the summer holiday, so usually once.
LOOK_BACK = timedelta(days=62)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> dict[date, str]:
    # England and Wales share one list; the library keeps one-off days (jubilees, state funerals) current.
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holiday_name(day: date) -> str | None:
    """The name of the England and Wales bank holiday on this day, or None."""
    return _bank_holidays(day.year).get(day)


def bank_holidays_between(start: date, end: date) -> list[tuple[date, str]]:
    """Every England and Wales bank holiday from start to end, both included, in date order."""
    found = []
    for year in range(start.year, end.year + 1):
        found += [(day, name) for day, name in _bank_holidays(year).items() if start <= day <= end]
    return sorted(found)


def academic_year_of(day: date) -> int:
    """The year an academic year begins in; it runs from 1 September to 31 August."""
    return day.year if day.month >= 9 else day.year - 1


def _days(start: date, end: date) -> Iterable[date]:
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


class SchoolCalendar:
    """The school days of one area from `start` to `end`, worked out once."""

    def __init__(
        self, *, start: date, end: date, terms: Iterable[tuple[date, date]], closures: Iterable[tuple[date, date]]
    ):
        self.start = start
        self.end = end
        days = set()
        for first, last in terms:
            days.update(
                d for d in _days(max(first, start), min(last, end)) if d.weekday() < 5 and bank_holiday_name(d) is None
            )
        for first, last in closures:
            days.difference_update(_days(max(first, start), min(last, end)))
        self._days = frozenset(days)

    @classmethod
    def load(
        cls,
        *,
        start: date,
        end: date,
        area: Area | None = None,
        organisation: Organisation | None = None,
        calendar: Calendar | None = None,
    ) -> "SchoolCalendar":
        """The calendar a setting follows (`organisation`), a given `calendar`, or the area's default."""
        if calendar is not None:
            return Calendars.load(start=start, end=end, areas=[calendar.area_id]).of_calendar(calendar.pk)
        if organisation is not None:
            return Calendars.load(start=start, end=end, organisations=[organisation]).of_organisation(organisation.pk)
        return Calendars.load(start=start, end=end, areas=[area.pk]).of_area(area.pk)

    def _check_loaded(self, start: date, end: date) -> None:
        # Answering "not a school day" for a day never read would be a silent wrong answer.
        if start < self.start or end > self.end:
            raise ValueError(f"This calendar covers {self.start} to {self.end}, not {start} to {end}.")

    def is_school_day(self, day: date) -> bool:
        self._check_loaded(day, day)
        return day in self._days

    def days(self, start: date, end: date) -> list[date]:
        """The school days from start to end, both included, in date order."""
        self._check_loaded(start, end)
        return [d for d in _days(start, end) if d in self._days]

    def last_before(self, before: date) -> date | None:
        """The latest school day of this calendar strictly before `before`, or None."""
        earlier = [d for d in self._days if d < before]
        return max(earlier) if earlier else None


class Calendars:
    """The school days of many settings over one range of dates, read in three queries.

    Load it once for a page or a calculation and ask it for each setting: every child's
    placement on a page shares the same few queries, however many settings there are.
    A setting follows the calendar linked to its organisation, else its area's default;
    a calendar adds its own terms and closures to its parent's.
    """

    def __init__(self, *, start: date, end: date, rows, calendars: dict, links: dict, defaults: dict):
        self.start = start
        self.end = end
        self._rows = rows  # calendar id -> (terms, closures)
        self._parents = {pk: parent for pk, (parent, _) in calendars.items()}
        self._links = links  # organisation id -> (calendar id or None, area id)
        self._defaults = defaults  # area id -> default calendar id
        self._built: dict[int | None, SchoolCalendar] = {}

    @classmethod
    def load(cls, *, start: date, end: date, organisations: Iterable = (), areas: Iterable[int] = ()) -> "Calendars":
        """Read the calendars of the given organisations (instances or ids) and areas, for dates start to end."""
        ids = {getattr(o, "pk", o) for o in organisations}
        links = {}
        if ids:
            links = {
                pk: (calendar_id, area_id)
                for pk, calendar_id, area_id in Organisation.objects.filter(pk__in=ids).values_list(
                    "pk", "setting_calendar__calendar_id", "area_id"
                )
            }
        area_ids = set(areas) | {area_id for _, area_id in links.values()}
        calendars, defaults = {}, {}
        for pk, parent_id, area_id, is_default in Calendar.objects.filter(area_id__in=area_ids).values_list(
            "pk", "parent_id", "area_id", "is_area_default"
        ):
            calendars[pk] = (parent_id, area_id)
            if is_default:
                defaults[area_id] = pk
        rows: dict[int, tuple[list, list]] = {pk: ([], []) for pk in calendars}
        touching = {"calendar_id__in": list(calendars), "starts_on__lte": end, "ends_on__gte": start}
        if calendars:
            for calendar_id, first, last, kind in (
                Term.objects.filter(**touching)
                .order_by()
                .values_list("calendar_id", "starts_on", "ends_on", Value("term", output_field=CharField()))
                .union(
                    Closure.objects.filter(**touching)
                    .order_by()
                    .values_list("calendar_id", "starts_on", "ends_on", Value("closure", output_field=CharField())),
                    all=True,
                )
            ):
                rows[calendar_id][0 if kind == "term" else 1].append((first, last))
        return cls(start=start, end=end, rows=rows, calendars=calendars, links=links, defaults=defaults)

    def _chain(self, calendar_id: int | None) -> list[int]:
        chain = []
        while calendar_id is not None and calendar_id not in chain:
            chain.append(calendar_id)
            calendar_id = self._parents.get(calendar_id)
        return chain

    def of_calendar(self, calendar_id: int | None) -> SchoolCalendar:
        """The school days of one calendar: its own terms and closures and those of every calendar it is based on."""
        built = self._built.get(calendar_id)
        if built is None:
            terms, closures = [], []
            for pk in self._chain(calendar_id):
                own_terms, own_closures = self._rows.get(pk, ([], []))
                terms += own_terms
                closures += own_closures
            built = self._built[calendar_id] = SchoolCalendar(
                start=self.start, end=self.end, terms=terms, closures=closures
            )
        return built

    def chain_of(self, organisation_id: int | None, area_id: int) -> list[int]:
        """The ids of the calendar a setting (or, with None, the area) follows and every one it is based on."""
        return self._chain(self.calendar_id_of(organisation_id) if organisation_id else self._defaults.get(area_id))

    def of_area(self, area_id: int) -> SchoolCalendar:
        """The area's default calendar; an area without one has no school days."""
        return self.of_calendar(self._defaults.get(area_id))

    def calendar_id_of(self, organisation_id: int) -> int | None:
        calendar_id, area_id = self._links[organisation_id]
        return calendar_id if calendar_id is not None else self._defaults.get(area_id)

    def of_organisation(self, organisation_id: int) -> SchoolCalendar:
        """The calendar a setting follows: its own link, else its area's default."""
        return self.of_calendar(self.calendar_id_of(organisation_id))


def school_days(*, area: Area, start: date, end: date) -> list[date]:
    """The school days of the area's default calendar from start to end, both included."""
    if end < start:
        return []
    return SchoolCalendar.load(area=area, start=start, end=end).days(start, end)


def is_school_day(*, area: Area, day: date) -> bool:
    return SchoolCalendar.load(area=area, start=day, end=day).is_school_day(day)


def last_school_day(*, area: Area, before: date, organisation: Organisation | None = None) -> date | None:
    """The most recent school day strictly before `before` of a setting's calendar, or the area's default."""
    calendars = Calendars.load(
        start=before, end=before, organisations=[organisation] if organisation else [], areas=[area.pk]
    )
    chain = calendars.chain_of(organisation.pk if organisation else None, area.pk)
    first_term = Term.objects.filter(calendar_id__in=chain, starts_on__lt=before).aggregate(first=Min("starts_on"))[
        "first"
    ]
    if first_term is None:
        return None
    end = before - ONE_DAY
    while end >= first_term:
        start = max(first_term, end - LOOK_BACK)
        found = SchoolCalendar.load(start=start, end=end, area=area, organisation=organisation).last_before(before)
        if found:
            return found
        end = start - ONE_DAY
    return None


def half_term_start(*, area: Area, day: date) -> date:
    """The first day of the half term holding `day` in the area's default calendar.

    That is the term's start or the day after its last closure so far. Outside term, the
    half term that ended most recently. Falls back to 1 September.
    """
    default = {"calendar__area": area, "calendar__is_area_default": True}
    term = Term.objects.filter(**default, starts_on__lte=day).order_by("-starts_on").first()
    if term is None:
        return date(academic_year_of(day), 9, 1)
    last_closure = (
        Closure.objects.filter(**default, starts_on__gte=term.starts_on, ends_on__lt=day).order_by("-ends_on").first()
    )
    return last_closure.ends_on + ONE_DAY if last_closure else term.starts_on
