"""Calendars per setting: an out-of-area setting follows its own LA's term dates, an academy its trust's INSET days.

Possible sessions, percentages, "no mark" alerts and the missing-registers check use the
calendar the setting follows; the LA keeps the calendars and says who follows which.
"""

from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attendance.alerts import alerts_raise
from attendance.ingest import RawMark
from attendance.models import Alert, AttendanceMark
from attendance.periods import Period
from attendance.selectors import attendance_by_child
from attendance.services import marks_commit
from core.access import may_manage_calendars, may_view_calendar
from core.models import AuditAction, AuditEvent, Membership, OrganisationKind
from insight.selectors import registers_missing
from terms.calendar import Calendars, SchoolCalendar
from terms.demo import standard_terms, trust_inset_days
from terms.models import Calendar, Closure, SettingCalendar, Term
from tests.attendance_helpers import TODAY, make_setting
from tests.factories import (
    AreaFactory,
    ChildFactory,
    InvolvementFactory,
    OrganisationFactory,
    PlacementFactory,
    ProviderFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

# Autumn 2026: the area's half term is 26-30 October; Cheshire East's (in these tests) is 2-6 November.
AREA_HALF_TERM_DAY = date(2026, 10, 28)
OWN_HALF_TERM_DAY = date(2026, 11, 4)


def default(area) -> Calendar:
    return area.calendars.get(is_area_default=True)


def own_la_calendar(area) -> Calendar:
    """Another local authority's term dates: the same terms, every half term a week later."""
    calendar = Calendar.objects.create(area=area, name="Cheshire East term dates")
    terms, closures = standard_terms(calendar, first_year=2025, last_year=2026, half_terms_later_by=1)
    Term.objects.bulk_create(terms)
    Closure.objects.bulk_create(closures)
    return calendar


@pytest.fixture
def borough(area):
    """The area's PRU on the area's calendar, and an out-of-area school on its own LA's, a child at each."""
    setting = make_setting(area, children=1)
    calendar = own_la_calendar(area)
    acorn = ProviderFactory(organisation__area=area, organisation__name="Acorn Park School", location_la="895")
    SettingCalendar.objects.create(organisation=acorn.organisation, calendar=calendar)
    child = ChildFactory(area=area, home_school=setting.school, first_name="Maisie")
    PlacementFactory(child=child, provider=acorn, commissioner=setting.school, start_date=date(2026, 9, 1))
    manager = member_of(acorn.organisation, Membership.Role.OFFICE_MANAGER, username="acorn")
    return SimpleNamespace(
        area=area,
        northgate=setting,
        acorn=acorn,
        acorn_child=child,
        acorn_manager=manager,
        calendar=calendar,
    )


def check_at(day: date):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=11))


# "No mark" alerts


def test_no_mark_is_not_raised_on_the_settings_own_half_term_though_the_area_is_in_school(borough):
    with time_machine.travel(check_at(OWN_HALF_TERM_DAY), tick=False):
        raised = alerts_raise(now=check_at(OWN_HALF_TERM_DAY), notify=False)
    assert {alert.child for alert in raised} == {borough.northgate.children[0]}


def test_no_mark_is_raised_on_the_settings_school_day_though_the_area_is_on_half_term(borough):
    with time_machine.travel(check_at(AREA_HALF_TERM_DAY), tick=False):
        raised = alerts_raise(now=check_at(AREA_HALF_TERM_DAY), notify=False)
    assert [(alert.child, alert.kind) for alert in raised] == [(borough.acorn_child, Alert.Kind.NO_MARK)]
    assert "Acorn Park School has not marked" in raised[0].detail


def test_missing_registers_are_checked_on_each_settings_own_last_school_day(borough, la_officer):
    # Monday 2 November: the area's last school day was Friday 23 October; Acorn Park's, Friday 30 October.
    day, missing = registers_missing(user=la_officer, today=date(2026, 11, 2))
    assert day == date(2026, 10, 23)
    assert {(m.provider.name, m.day) for m in missing} == {
        ("Northgate PRU", date(2026, 10, 23)),
        ("Acorn Park School", date(2026, 10, 30)),
    }


# Marks and percentages


def upload(provider, manager, child, days, code="/"):
    rows = [
        RawMark(n, child.upn, day.isoformat(), session, code)
        for n, (day, session) in enumerate(((d, s) for d in days for s in ("AM", "PM")), start=1)
    ]
    plan, _batch = marks_commit(user=manager, provider=provider, rows=rows, source="upload", today=TODAY)
    return plan


def test_a_setting_records_marks_on_its_own_school_days_and_not_on_its_own_half_term(borough):
    own = upload(borough.acorn, borough.acorn_manager, borough.acorn_child, [AREA_HALF_TERM_DAY])
    assert own.problems == []
    assert AttendanceMark.objects.filter(child=borough.acorn_child, date=AREA_HALF_TERM_DAY).count() == 2
    refused = upload(borough.acorn, borough.acorn_manager, borough.acorn_child, [OWN_HALF_TERM_DAY])
    assert [p.rule for p in refused.problems][0].endswith("is outside term time in the setting's school calendar")
    assert not AttendanceMark.objects.filter(date=OWN_HALF_TERM_DAY).exists()


def test_percentages_count_the_sessions_possible_at_the_childs_own_setting(borough, la_officer):
    start, end = date(2026, 10, 19), date(2026, 11, 13)
    acorn_days = SchoolCalendar.load(organisation=borough.acorn.organisation, start=start, end=end).days(start, end)
    area_days = SchoolCalendar.load(area=borough.area, start=start, end=end).days(start, end)
    assert AREA_HALF_TERM_DAY in acorn_days
    assert OWN_HALF_TERM_DAY not in acorn_days
    assert len(acorn_days) == len(area_days) == 15
    # Present every morning of Acorn Park's school days; absent every afternoon of the first week.
    assert upload(borough.acorn, borough.acorn_manager, borough.acorn_child, acorn_days).problems == []
    first_week = acorn_days[:5]
    rows = [RawMark(n, borough.acorn_child.upn, d.isoformat(), "PM", "O") for n, d in enumerate(first_week, 1)]
    plan, _batch = marks_commit(
        user=borough.acorn_manager, provider=borough.acorn, rows=rows, source="upload", today=TODAY
    )
    assert plan.problems == []
    period = Period("custom", start, end)
    lines = {line.child.name: line for line in attendance_by_child(user=la_officer, period=period, today=TODAY)}
    maisie = lines[f"Maisie {borough.acorn_child.last_name}"]
    assert (maisie.possible, maisie.attended) == (30, 25)
    assert str(maisie.percentage) == "83.3"


# Which days are school days


def test_a_setting_without_a_calendar_of_its_own_follows_the_areas_default(borough):
    start, end = date(2026, 10, 19), date(2026, 11, 13)
    calendars = Calendars.load(
        start=start, end=end, organisations=[borough.northgate.provider.organisation, borough.acorn.organisation]
    )
    northgate = calendars.of_organisation(borough.northgate.provider.organisation.pk)
    assert northgate.days(start, end) == calendars.of_area(borough.area.pk).days(start, end)
    assert not northgate.is_school_day(AREA_HALF_TERM_DAY)
    assert northgate.is_school_day(OWN_HALF_TERM_DAY)
    acorn = calendars.of_organisation(borough.acorn.organisation.pk)
    assert acorn.is_school_day(AREA_HALF_TERM_DAY)
    assert not acorn.is_school_day(OWN_HALF_TERM_DAY)


def test_many_settings_calendars_cost_the_same_three_queries(borough):
    organisations = [borough.northgate.provider.organisation, borough.acorn.organisation]
    for n in range(6):
        provider = ProviderFactory(organisation__area=borough.area, organisation__name=f"Setting {n}")
        organisations.append(provider.organisation)
        if n % 2:
            SettingCalendar.objects.create(organisation=provider.organisation, calendar=borough.calendar)
    with CaptureQueriesContext(connection) as captured:
        calendars = Calendars.load(start=date(2025, 9, 1), end=date(2027, 8, 31), organisations=organisations)
        for organisation in organisations:
            calendars.of_organisation(organisation.pk).days(date(2026, 9, 1), date(2026, 12, 18))
    assert len(captured) == 3


@pytest.fixture
def trust_calendar(area):
    standard = default(area)
    terms, closures = standard_terms(standard, first_year=2025, last_year=2026)
    Term.objects.bulk_create(terms)
    Closure.objects.bulk_create(closures)
    return Calendar.objects.create(area=area, name="Mersey Vale Learning Trust INSET days", parent=standard)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.dates(date(2025, 8, 1), date(2027, 6, 30)),
    length=st.integers(min_value=0, max_value=120),
    inset=st.lists(st.dates(date(2025, 9, 1), date(2027, 7, 20)), max_size=6, unique=True),
)
def test_a_calendar_based_on_another_has_its_school_days_less_its_own_closures(
    area, trust_calendar, start, length, inset
):
    Closure.objects.filter(calendar=trust_calendar).delete()
    Closure.objects.bulk_create(
        [Closure(calendar=trust_calendar, name="Trust INSET day", starts_on=d, ends_on=d) for d in inset]
    )
    end = start + timedelta(days=length)
    calendars = Calendars.load(start=start, end=end, areas=[area.pk])
    parent = calendars.of_area(area.pk).days(start, end)
    assert calendars.of_calendar(trust_calendar.pk).days(start, end) == [d for d in parent if d not in inset]


def test_the_demo_trust_inset_days_lie_in_the_areas_terms(area, trust_calendar):
    days = trust_inset_days(trust_calendar, first_year=2025, last_year=2026)
    Closure.objects.bulk_create(days)
    calendars = Calendars.load(start=date(2025, 9, 1), end=date(2027, 8, 31), areas=[area.pk])
    area_days = set(calendars.of_area(area.pk).days(date(2025, 9, 1), date(2027, 8, 31)))
    trust_days = set(calendars.of_calendar(trust_calendar.pk).days(date(2025, 9, 1), date(2027, 8, 31)))
    assert area_days - trust_days == {d.starts_on for d in days}


# Who may keep and read calendars


@pytest.fixture
def people(area, la_officer, school_lead):
    own = Calendar.objects.create(area=area, name="Cheshire East term dates")
    trust = Calendar.objects.create(area=area, name="Trust INSET days", parent=default(area))
    acorn = ProviderFactory(organisation__area=area, organisation__name="Acorn Park School")
    bridge = ProviderFactory(organisation__area=area, organisation__name="The Bridge AP Academy")
    SettingCalendar.objects.create(organisation=acorn.organisation, calendar=own)
    SettingCalendar.objects.create(organisation=bridge.organisation, calendar=trust)
    elsewhere = AreaFactory(name="Halton", la_code="876", ons_code="E06000006")
    health = OrganisationFactory(kind=OrganisationKind.HEALTH, area=area, urn="")
    health_user = member_of(health, username="camhs")
    InvolvementFactory(child=ChildFactory(area=area), organisation=health, user=health_user)
    users = {
        "la": la_officer,
        "other_la": member_of(
            OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY, area=elsewhere, urn=""), username="halton"
        ),
        "school": school_lead,
        "own_la_setting": member_of(acorn.organisation, Membership.Role.OFFICE_MANAGER, username="acorn"),
        "trust_setting": member_of(bridge.organisation, Membership.Role.OFFICE_MANAGER, username="bridge"),
        "health": health_user,
        "social": member_of(
            OrganisationFactory(kind=OrganisationKind.SOCIAL_CARE, area=area, urn=""),
            Membership.Role.SOCIAL_WORKER,
            username="sw",
        ),
        "virtual": member_of(
            OrganisationFactory(kind=OrganisationKind.VIRTUAL_SCHOOL, area=area, urn=""),
            Membership.Role.VIRTUAL_SCHOOL_HEAD,
            username="vsh",
        ),
        "inspector": member_of(OrganisationFactory(kind=OrganisationKind.INSPECTORATE, urn=""), username="insp"),
    }
    return SimpleNamespace(users=users, calendars={"default": default(area), "own": own, "trust": trust})


# role -> (may manage the area's calendars, the calendars it may read)
CALENDAR_MATRIX = {
    "la": (True, {"default", "own", "trust"}),
    "other_la": (False, set()),
    "school": (False, {"default"}),
    "own_la_setting": (False, {"own"}),
    "trust_setting": (False, {"trust", "default"}),
    "health": (False, {"default"}),
    "social": (False, {"default"}),
    "virtual": (False, {"default"}),
    "inspector": (False, set()),
}


@pytest.mark.parametrize(("role", "expected"), CALENDAR_MATRIX.items())
def test_who_may_keep_and_read_the_calendars(people, area, role, expected):
    manages, reads = expected
    user = people.users[role]
    assert may_manage_calendars(user=user, area_id=area.pk) is manages
    assert {key for key, calendar in people.calendars.items() if may_view_calendar(user=user, calendar=calendar)} == (
        reads
    )


@pytest.mark.parametrize(("role", "expected"), CALENDAR_MATRIX.items())
def test_calendar_pages_open_to_exactly_those_who_may_read_them(client, people, role, expected):
    manages, reads = expected
    client.force_login(people.users[role])
    for key, calendar in people.calendars.items():
        status = client.get(reverse("calendar_detail", args=[calendar.public_id])).status_code
        # An inspector reads only the pages of an inspection; every other page is refused.
        assert status in ((200,) if key in reads else (403, 404)), (role, key, status)
    # Another area's officer keeps their own area's calendars on these pages.
    keeps_some = manages or role == "other_la"
    for url in (reverse("calendar_new"), reverse("setting_calendars")):
        assert client.get(url).status_code in ((200,) if keeps_some else (403, 404)), (role, url)


# The LA keeps the calendars


def test_la_officer_adds_a_calendar_based_on_the_areas_and_a_setting_follows_it(client, la_officer, area):
    bridge = ProviderFactory(organisation__area=area, organisation__name="The Bridge AP Academy")
    client.force_login(la_officer)
    response = client.post(
        reverse("calendar_new"), {"name": "Mersey Vale Learning Trust INSET days", "parent": default(area).pk}
    )
    trust = Calendar.objects.get(name="Mersey Vale Learning Trust INSET days")
    assert response.status_code == 302
    assert response["Location"] == reverse("calendar_detail", args=[trust.public_id])
    assert trust.parent == default(area)
    assert not trust.is_area_default

    page = client.get(reverse("setting_calendars")).content.decode()
    assert "The Bridge AP Academy" in page
    url = reverse("setting_calendar_edit", args=[bridge.organisation.public_id])
    assert client.post(url, {"calendar": trust.pk}).status_code == 302
    assert SettingCalendar.objects.get(organisation=bridge.organisation).calendar == trust
    # Back to the area's default: the setting's own link goes.
    assert client.post(url, {"calendar": default(area).pk}).status_code == 302
    assert not SettingCalendar.objects.exists()

    events = list(AuditEvent.objects.order_by("pk").values_list("action", "detail"))
    assert [action for action, _ in events] == [
        AuditAction.CALENDAR_CREATED,
        AuditAction.SETTING_CALENDAR_CHANGED,
        AuditAction.SETTING_CALENDAR_CHANGED,
    ]
    assert events[1][1]["before"] == default(area).name
    assert events[1][1]["after"] == "Mersey Vale Learning Trust INSET days"


def test_a_calendar_needs_a_name_not_already_used_in_the_area(client, la_officer, area):
    client.force_login(la_officer)
    response = client.post(reverse("calendar_new"), {"name": "", "parent": ""})
    assert response.context["form"].errors["name"] == ["Enter the name of the calendar, for example Halton term dates"]
    response = client.post(reverse("calendar_new"), {"name": default(area).name, "parent": ""})
    assert response.status_code == 200
    assert "already has a calendar with this name" in str(response.context["form"].errors["name"])
    assert Calendar.objects.count() == 1
    assert not AuditEvent.objects.exists()


def test_a_setting_is_told_to_choose_a_calendar(client, la_officer, area):
    acorn = ProviderFactory(organisation__area=area, organisation__name="Acorn Park School")
    client.force_login(la_officer)
    response = client.post(reverse("setting_calendar_edit", args=[acorn.organisation.public_id]), {})
    assert response.context["form"].errors["calendar"] == ["Choose the school calendar the setting follows"]


def test_a_calendars_own_closure_may_lie_in_its_parents_term_and_inherited_ones_are_not_changed_there(
    client, la_officer, area, trust_calendar
):
    client.force_login(la_officer)
    response = client.post(
        reverse("closure_new", args=[trust_calendar.public_id]),
        {"name": "Trust INSET day", "starts_on_0": "2", "starts_on_1": "11", "starts_on_2": "2026"},
    )
    assert response.status_code == 302
    inset = Closure.objects.get(calendar=trust_calendar)
    assert inset.starts_on == inset.ends_on == date(2026, 11, 2)
    page = client.get(reverse("calendar_detail", args=[trust_calendar.public_id])).content.decode()
    assert "Trust INSET day" in page
    assert reverse("closure_edit", args=[inset.public_id]) in page
    inherited = Closure.objects.filter(calendar=default(area)).first()
    assert f"(from {default(area).name})" in page
    assert reverse("closure_edit", args=[inherited.public_id]) not in page
    # The term of the trust's calendar is its own: it may not overlap one of its own, but may start with its parent's.
    response = client.post(
        reverse("term_new", args=[trust_calendar.public_id]),
        {
            "name": "Autumn 2026",
            **{"starts_on_0": "31", "starts_on_1": "8", "starts_on_2": "2026"},
            **{"ends_on_0": "30", "ends_on_1": "8", "ends_on_2": "2026"},
        },
    )
    assert "The last day of the term must be the same as or after its first day." in str(
        response.context["form"].errors["ends_on"]
    )


def test_a_setting_goes_from_the_calendar_link_to_the_calendar_it_follows(client, borough):
    client.force_login(borough.acorn_manager)
    response = client.get(reverse("calendar"))
    assert response["Location"] == reverse("calendar_detail", args=[borough.calendar.public_id])


def test_the_list_pages_cost_the_same_queries_for_two_settings_or_ten(client, la_officer, borough):
    client.force_login(la_officer)

    def queries(url) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = {url: queries(url) for url in (reverse("calendar"), reverse("setting_calendars"))}
    for n in range(8):
        provider = ProviderFactory(organisation__area=borough.area, organisation__name=f"Setting {n}")
        SettingCalendar.objects.create(organisation=provider.organisation, calendar=borough.calendar)
        Calendar.objects.create(area=borough.area, name=f"Calendar {n}", parent=borough.calendar)
    assert {url: queries(url) for url in before} == before


def test_the_attendance_overview_costs_the_same_queries_however_many_calendars(client, la_officer, borough):
    client.force_login(la_officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("attendance_home")).status_code == 200
        return len(captured)

    with time_machine.travel(check_at(TODAY), tick=False):
        before = queries()
        for n in range(4):
            calendar = Calendar.objects.create(area=borough.area, name=f"Calendar {n}", parent=borough.calendar)
            provider = ProviderFactory(organisation__area=borough.area, organisation__name=f"Setting {n}")
            SettingCalendar.objects.create(organisation=provider.organisation, calendar=calendar)
            PlacementFactory(
                child=ChildFactory(area=borough.area),
                provider=provider,
                commissioner=borough.northgate.school,
                start_date=date(2026, 9, 1),
            )
        assert queries() == before


# The data migration


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_each_area_a_default_calendar_holding_the_terms_it_had():
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("terms", "0002_calendars")], [("terms", "0004_term_closure_calendar")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    warrington = old.get_model("core", "Area").objects.create(name="Warrington", la_code="877", ons_code="E06000007")
    old.get_model("terms", "Term").objects.create(
        area=warrington, name="Autumn 2026", starts_on=date(2026, 9, 1), ends_on=date(2026, 12, 18)
    )
    old.get_model("terms", "Closure").objects.create(
        area=warrington, name="Autumn half term", starts_on=date(2026, 10, 26), ends_on=date(2026, 10, 30)
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    calendar = Calendar.objects.get(area_id=warrington.pk)
    assert (calendar.name, calendar.is_area_default, calendar.parent) == ("Warrington school calendar", True, None)
    assert list(Term.objects.values_list("calendar", "name")) == [(calendar.pk, "Autumn 2026")]
    assert list(Closure.objects.values_list("calendar", "name")) == [(calendar.pk, "Autumn half term")]
    assert school_days_of(calendar, date(2026, 10, 23), date(2026, 11, 2)) == [date(2026, 10, 23), date(2026, 11, 2)]


def school_days_of(calendar, start, end):
    return SchoolCalendar.load(calendar=calendar, start=start, end=end).days(start, end)
