"""Term dates for the demo area: its default calendar, and two settings that follow calendars of their own."""

from core.codes import code_set
from core.models import Organisation, OrganisationKind
from demo.context import Borough
from demo.organisations import PROVIDERS, TRUST_NAMES
from terms.calendar import academic_year_of
from terms.demo import standard_terms, trust_inset_days
from terms.models import Calendar, Closure, SettingCalendar, Term

# An out-of-area setting follows its own local authority's term dates; an AP academy its trust's INSET days.
OWN_LA_CALENDAR_PROVIDER = "Acorn Park School"
TRUST_CALENDAR_PROVIDER = "The Bridge Alternative Provision Academy"
SETTINGS_ON_CALENDARS_OF_THEIR_OWN = (OWN_LA_CALENDAR_PROVIDER, TRUST_CALENDAR_PROVIDER)


def calendars_build(b: Borough) -> None:
    """Term dates from two academic years back to the current one: the area's default, and two others."""
    first = academic_year_of(b.today) - 2
    # Every area is given its default calendar when created; the same seed gives them the same ids.
    for calendar in Calendar.objects.filter(area__in=[b.area, *b.other_areas]).order_by("area__la_code"):
        Calendar.objects.filter(pk=calendar.pk).update(public_id=b.uuid())
    default = Calendar.objects.get(area=b.area, is_area_default=True)
    terms, closures = standard_terms(default, first_year=first, last_year=first + 2)
    acorn_la = code_set("la")[next(s.la for s in PROVIDERS if s.name == OWN_LA_CALENDAR_PROVIDER)].label
    b.calendars = {
        "own_la": Calendar.objects.create(public_id=b.uuid(), area=b.area, name=f"{acorn_la} term dates"),
        "trust": Calendar.objects.create(
            public_id=b.uuid(), area=b.area, name=f"{TRUST_NAMES[0]} INSET days", parent=default
        ),
    }
    own_terms, own_closures = standard_terms(
        b.calendars["own_la"], first_year=first, last_year=first + 2, half_terms_later_by=1
    )
    inset = trust_inset_days(b.calendars["trust"], first_year=first, last_year=first + 2)
    for item in [*terms, *closures, *own_terms, *own_closures, *inset]:
        item.public_id = b.uuid()
    Term.objects.bulk_create([*terms, *own_terms])
    Closure.objects.bulk_create([*closures, *own_closures, *inset])


def calendars_link(b: Borough) -> None:
    """The settings that follow a calendar other than the area's: one out-of-area provider, one AP academy and
    the academies of its trust."""
    organisations = {i.provider.organisation.name: i.provider.organisation for i in b.providers}
    links = [
        SettingCalendar(organisation=organisations[OWN_LA_CALENDAR_PROVIDER], calendar=b.calendars["own_la"]),
        SettingCalendar(organisation=organisations[TRUST_CALENDAR_PROVIDER], calendar=b.calendars["trust"]),
    ]
    links += [
        SettingCalendar(organisation=school, calendar=b.calendars["trust"])
        for school in Organisation.objects.filter(
            area=b.area, kind=OrganisationKind.SCHOOL, trust__name=TRUST_NAMES[0]
        ).order_by("name")
    ]
    SettingCalendar.objects.bulk_create(links)
