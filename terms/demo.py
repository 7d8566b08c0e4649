"""Realistic English term dates, for the demo borough and for tests.

The rules follow the pattern most English local authorities publish: three terms, a
week's half term in each (late October, mid February, the week of the spring bank
holiday), Christmas and Easter holidays of two weeks, a summer holiday of about six
weeks, and INSET days on the first day of the autumn and spring terms.
"""

from datetime import date, timedelta

from dateutil.easter import easter

from terms.models import Calendar, Closure, Term


def _on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _weekday_on_or_after(day: date) -> date:
    return day if day.weekday() < 5 else _on_or_after(day, 0)


def _weekday_on_or_before(day: date) -> date:
    return day if day.weekday() < 5 else _on_or_before(day, 4)


def _half_term(name: str, monday: date, calendar: Calendar) -> Closure:
    return Closure(calendar=calendar, name=name, starts_on=monday, ends_on=monday + timedelta(days=4))


def _academic_year(calendar: Calendar, year: int, shift: int = 0) -> tuple[list[Term], list[Closure]]:
    """The terms and closures of the academic year starting in September `year`."""
    # The first Tuesday, Wednesday or Thursday of September; never a Monday or Friday start.
    autumn_start = _on_or_after(date(year, 9, 1), 1) if date(year, 9, 1).weekday() in (0, 4, 5, 6) else date(year, 9, 1)
    autumn_end = _weekday_on_or_before(date(year, 12, 20))
    if autumn_end.weekday() == 0:
        autumn_end -= timedelta(days=3)  # not back for a single Monday before Christmas
    spring_start = _weekday_on_or_after(date(year + 1, 1, 4))
    sunday = easter(year + 1)
    # The Easter holiday is two weeks, placed so that the spring term ends near the end of March.
    if sunday <= date(year + 1, 3, 31):
        spring_end, summer_start = sunday - timedelta(days=3), sunday + timedelta(days=15)
    elif sunday < date(year + 1, 4, 15):
        spring_end, summer_start = sunday - timedelta(days=9), sunday + timedelta(days=8)
    else:
        spring_end, summer_start = sunday - timedelta(days=16), sunday + timedelta(days=2)
    summer_end = _weekday_on_or_before(date(year + 1, 7, 22))
    terms = [
        Term(calendar=calendar, name=f"Autumn {year}", starts_on=autumn_start, ends_on=autumn_end),
        Term(calendar=calendar, name=f"Spring {year + 1}", starts_on=spring_start, ends_on=spring_end),
        Term(calendar=calendar, name=f"Summer {year + 1}", starts_on=summer_start, ends_on=summer_end),
    ]
    weeks = timedelta(weeks=shift)
    closures = [
        Closure(calendar=calendar, name="INSET day", starts_on=autumn_start, ends_on=autumn_start),
        _half_term("Autumn half term", _on_or_before(date(year, 10, 31), 0) + weeks, calendar),
        Closure(calendar=calendar, name="INSET day", starts_on=spring_start, ends_on=spring_start),
        _half_term("Spring half term", _on_or_after(date(year + 1, 2, 12), 0) + weeks, calendar),
        _half_term("Summer half term", _on_or_before(date(year + 1, 5, 31), 0) + weeks, calendar),
    ]
    return terms, closures


def standard_terms(
    calendar: Calendar, *, first_year: int, last_year: int, half_terms_later_by: int = 0
) -> tuple[list[Term], list[Closure]]:
    """Unsaved terms and closures for the academic years starting in September of first_year to last_year.

    `half_terms_later_by` weeks moves every half term: a neighbouring authority's dates often differ just so.
    """
    terms, closures = [], []
    for year in range(first_year, last_year + 1):
        year_terms, year_closures = _academic_year(calendar, year, half_terms_later_by)
        terms += year_terms
        closures += year_closures
    return terms, closures


def trust_inset_days(calendar: Calendar, *, first_year: int, last_year: int) -> list[Closure]:
    """Unsaved INSET days a trust adds to its area's calendar: the Monday after the autumn and spring half terms."""
    days = []
    for year in range(first_year, last_year + 1):
        for monday in (_on_or_before(date(year, 10, 31), 0), _on_or_after(date(year + 1, 2, 12), 0)):
            day = monday + timedelta(weeks=1)
            days.append(Closure(calendar=calendar, name="Trust INSET day", starts_on=day, ends_on=day))
    return days
