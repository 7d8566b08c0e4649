"""A small AP setting with children placed, term dates and a way to write register files."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from core.models import Membership, OrganisationKind
from terms.calendar import SchoolCalendar
from terms.demo import standard_terms
from terms.models import Closure, Term
from tests.factories import ChildFactory, OrganisationFactory, PlacementFactory, ProviderFactory, member_of

# A Friday in term, with the half term (26-30 October 2026) and a weekend behind it.
TODAY = date(2026, 11, 20)
HEADER = ["UPN", "Date", "Session", "Mark"]


@dataclass
class Setting:
    provider: object
    manager: object
    children: list
    school: object

    def school_days(self, start: date, end: date) -> list[date]:
        area = self.provider.organisation.area
        return SchoolCalendar.load(area=area, start=start, end=end).days(start, end)


def make_setting(area, *, children: int = 3, placed_from: date = date(2026, 9, 1)) -> Setting:
    terms, closures = standard_terms(area.calendars.get(is_area_default=True), first_year=2025, last_year=2026)
    Term.objects.bulk_create(terms)
    Closure.objects.bulk_create(closures)
    school = OrganisationFactory(kind=OrganisationKind.SCHOOL, area=area, name="Priestley High School")
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")
    placed = []
    for _ in range(children):
        child = ChildFactory(area=area, home_school=school)
        PlacementFactory(child=child, provider=provider, commissioner=school, start_date=placed_from)
        placed.append(child)
    manager = member_of(provider.organisation, Membership.Role.OFFICE_MANAGER, username="office")
    return Setting(provider=provider, manager=manager, children=placed, school=school)


def register_csv(rows, header=HEADER, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def week_of_marks(setting: Setting, start: date, end: date, code: str = "/") -> list[list[str]]:
    return [
        [child.upn, f"{day:%d/%m/%Y}", session, code]
        for day in setting.school_days(start, end)
        for child in setting.children
        for session in ("AM", "PM")
    ]
