"""The school calendar: school days, the LA's terms and closures, and who may change them."""

from datetime import date, timedelta

import holidays
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import AuditAction, AuditEvent, OrganisationKind
from terms.calendar import SchoolCalendar, bank_holiday_name, is_school_day, last_school_day, school_days
from terms.demo import standard_terms
from terms.models import Calendar, Closure, Term
from tests.factories import AreaFactory, OrganisationFactory, member_of

pytestmark = pytest.mark.django_db


def default(area) -> Calendar:
    return area.calendars.get(is_area_default=True)


def _calendar(where) -> Calendar:
    return where if isinstance(where, Calendar) else default(where)


def term(where, starts_on, ends_on, name="Autumn 2026"):
    """A term of a calendar, or of an area's default calendar."""
    return Term.objects.create(calendar=_calendar(where), name=name, starts_on=starts_on, ends_on=ends_on)


def closure(where, starts_on, ends_on, name="Autumn half term"):
    return Closure.objects.create(calendar=_calendar(where), name=name, starts_on=starts_on, ends_on=ends_on)


def on(url_name, area) -> str:
    """The address of a page of the area's default calendar."""
    return reverse(url_name, args=[default(area).public_id])


def date_fields(prefix: str, day: date | None) -> dict:
    if day is None:
        return {f"{prefix}_0": "", f"{prefix}_1": "", f"{prefix}_2": ""}
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def form_data(name: str, starts_on: date, ends_on: date | None) -> dict:
    return {"name": name, **date_fields("starts_on", starts_on), **date_fields("ends_on", ends_on)}


def weekdays(start: date, end: date) -> list[date]:
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return [d for d in days if d.weekday() < 5]


@pytest.fixture
def autumn(area):
    """Autumn 2026 with its half term, as the tests below change them."""
    autumn = term(area, date(2026, 9, 1), date(2026, 12, 18))
    closure(area, date(2026, 10, 26), date(2026, 10, 30))
    return autumn


@pytest.fixture
def demo_calendar(area):
    """Three academic years of realistic terms, 2024 to 2027."""
    terms, closures = standard_terms(default(area), first_year=2024, last_year=2026)
    Term.objects.bulk_create(terms)
    Closure.objects.bulk_create(closures)
    return terms, closures


# Which days are school days


def test_school_days_skip_weekends_bank_holidays_closures_and_days_outside_term(area):
    term(area, date(2025, 12, 15), date(2026, 1, 9), name="Winter")
    closure(area, date(2025, 12, 29), date(2025, 12, 31), name="Christmas closure")
    days = school_days(area=area, start=date(2025, 12, 13), end=date(2026, 1, 12))
    assert days == [
        *weekdays(date(2025, 12, 15), date(2025, 12, 24)),
        date(2026, 1, 2),
        *weekdays(date(2026, 1, 5), date(2026, 1, 9)),
    ]
    assert bank_holiday_name(date(2025, 12, 25)) == "Christmas Day"
    assert bank_holiday_name(date(2025, 12, 26)) == "Boxing Day"
    assert bank_holiday_name(date(2025, 12, 24)) is None


def test_easter_monday_and_early_may_bank_holiday_are_not_school_days(area):
    term(area, date(2026, 3, 30), date(2026, 5, 8), name="Spring and summer")
    assert bank_holiday_name(date(2026, 4, 6)) == "Easter Monday"
    assert not is_school_day(area=area, day=date(2026, 4, 3))  # Good Friday
    assert not is_school_day(area=area, day=date(2026, 4, 6))
    assert not is_school_day(area=area, day=date(2026, 5, 4))
    assert is_school_day(area=area, day=date(2026, 4, 7))
    assert is_school_day(area=area, day=date(2026, 5, 5))
    days = school_days(area=area, start=date(2026, 3, 30), end=date(2026, 5, 8))
    assert len(days) == len(weekdays(date(2026, 3, 30), date(2026, 5, 8))) - 3


def test_another_areas_terms_make_no_school_days(area):
    halton = AreaFactory(name="Halton", la_code="876", ons_code="E06000006")
    term(halton, date(2026, 9, 1), date(2026, 12, 18))
    assert school_days(area=area, start=date(2026, 9, 1), end=date(2026, 12, 18)) == []
    assert is_school_day(area=halton, day=date(2026, 9, 1))


def test_school_days_cost_the_same_few_queries_however_long_the_range(area, demo_calendar):
    with CaptureQueriesContext(connection) as week:
        school_days(area=area, start=date(2026, 3, 2), end=date(2026, 3, 6))
    with CaptureQueriesContext(connection) as years:
        days = school_days(area=area, start=date(2024, 9, 1), end=date(2027, 8, 31))
    assert len(week) == len(years) <= 3
    assert len(days) > 3 * 180


def test_a_loaded_calendar_refuses_days_it_did_not_read(area):
    calendar = SchoolCalendar.load(area=area, start=date(2026, 9, 1), end=date(2026, 9, 30))
    with pytest.raises(ValueError, match="covers"):
        calendar.is_school_day(date(2026, 10, 1))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(date(2024, 7, 1), date(2027, 9, 30)), length=st.integers(min_value=0, max_value=150))
def test_school_days_are_exactly_the_weekdays_in_term_not_closed_and_not_bank_holidays(
    demo_calendar, area, start, length
):
    terms, closures = demo_calendar
    end = start + timedelta(days=length)
    bank = holidays.country_holidays("GB", subdiv="ENG", years=range(start.year, end.year + 1))
    expected = [
        d
        for d in weekdays(start, end)
        if any(t.starts_on <= d <= t.ends_on for t in terms)
        and not any(c.starts_on <= d <= c.ends_on for c in closures)
        and d not in bank
    ]
    assert school_days(area=area, start=start, end=end) == expected


def test_standard_terms_are_a_realistic_english_year(area, demo_calendar):
    terms, closures = demo_calendar
    assert [t.name for t in terms[:3]] == ["Autumn 2024", "Spring 2025", "Summer 2025"]
    for earlier, later in zip(terms, terms[1:], strict=False):
        assert earlier.ends_on < later.starts_on
    for c in closures:
        assert any(t.starts_on <= c.starts_on and c.ends_on <= t.ends_on for t in terms), c.name
    for year in (2024, 2025, 2026):
        days = school_days(area=area, start=date(year, 9, 1), end=date(year + 1, 8, 31))
        assert 185 <= len(days) <= 195
        assert days[0].month == 9
        assert days[-1] > date(year + 1, 7, 15)


def test_last_school_day_looks_back_across_a_half_term_and_the_summer(area, autumn):
    term(area, date(2026, 4, 13), date(2026, 7, 22), name="Summer 2026")
    assert last_school_day(area=area, before=date(2026, 11, 2)) == date(2026, 10, 23)
    assert last_school_day(area=area, before=date(2026, 10, 28)) == date(2026, 10, 23)
    assert last_school_day(area=area, before=date(2026, 10, 23)) == date(2026, 10, 22)
    assert last_school_day(area=area, before=date(2026, 9, 2)) == date(2026, 9, 1)
    assert last_school_day(area=area, before=date(2026, 9, 1)) == date(2026, 7, 22)
    assert last_school_day(area=area, before=date(2026, 4, 13)) is None


# The LA keeps the calendar


def test_la_officer_adds_a_term_and_a_single_inset_day(client, la_officer, area):
    client.force_login(la_officer)
    response = client.post(on("term_new", area), form_data("Autumn 2026", date(2026, 9, 1), date(2026, 12, 18)))
    assert response.status_code == 302
    autumn = Term.objects.get()
    assert (autumn.calendar.area, autumn.starts_on, autumn.ends_on) == (area, date(2026, 9, 1), date(2026, 12, 18))
    response = client.post(on("closure_new", area), form_data("INSET day", date(2026, 9, 1), None))
    assert response.status_code == 302
    inset = Closure.objects.get()
    assert inset.starts_on == inset.ends_on == date(2026, 9, 1)
    assert not is_school_day(area=area, day=date(2026, 9, 1))
    assert is_school_day(area=area, day=date(2026, 9, 2))
    events = AuditEvent.objects.order_by("pk")
    assert [(e.action, e.object_id) for e in events] == [
        (AuditAction.TERM_CREATED, str(autumn.public_id)),
        (AuditAction.CLOSURE_CREATED, str(inset.public_id)),
    ]
    assert events[0].user == la_officer
    assert events[0].detail["starts_on"] == "2026-09-01"


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field"),
    [
        (date(2026, 12, 1), date(2027, 3, 26), "starts_on"),
        (date(2026, 8, 1), date(2026, 9, 10), "ends_on"),
        (date(2026, 8, 1), date(2027, 1, 10), "ends_on"),
    ],
)
def test_a_term_that_overlaps_another_is_refused_and_names_it(client, la_officer, autumn, starts_on, ends_on, field):
    client.force_login(la_officer)
    response = client.post(on("term_new", autumn.calendar.area), form_data("Spring 2027", starts_on, ends_on))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any("overlaps Autumn 2026 (1 September 2026 to 18 December 2026)" in e for e in errors[field]), errors
    assert list(Term.objects.all()) == [autumn]
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field", "words"),
    [
        (date(2026, 12, 21), date(2026, 12, 21), "starts_on", "must be in a term"),
        (date(2026, 8, 28), date(2026, 9, 2), "starts_on", "must be in a term"),
        (date(2026, 12, 14), date(2027, 1, 4), "ends_on", "Autumn 2026 ends on 18 December 2026"),
    ],
)
def test_a_closure_outside_a_term_is_refused(client, la_officer, autumn, starts_on, ends_on, field, words):
    client.force_login(la_officer)
    response = client.post(on("closure_new", autumn.calendar.area), form_data("INSET day", starts_on, ends_on))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(words in e for e in errors[field]), errors
    assert Closure.objects.count() == 1
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(("url_name", "words"), [("term_new", "term must be"), ("closure_new", "closure must be")])
def test_a_last_day_before_the_first_is_refused_on_the_last_day(client, la_officer, autumn, url_name, words):
    client.force_login(la_officer)
    response = client.post(
        on(url_name, autumn.calendar.area), form_data("Anything", date(2026, 10, 10), date(2026, 10, 9))
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["ends_on"], errors
    assert words in errors["ends_on"][0]
    assert (Term.objects.count(), Closure.objects.count()) == (1, 1)
    assert b"There is a problem" in response.content


def test_changing_a_term_keeps_its_history_and_may_not_strand_a_closure(client, la_officer, autumn):
    client.force_login(la_officer)
    url = reverse("term_edit", args=[autumn.public_id])
    assert client.get(url).context["form"].initial["name"] == "Autumn 2026"
    response = client.post(url, form_data("Autumn 2026", date(2026, 9, 1), date(2026, 10, 28)))
    errors = response.context["form"].errors
    assert any(
        "Autumn half term (26 October 2026 to 30 October 2026) would fall outside" in e for e in errors["ends_on"]
    )
    response = client.post(url, form_data("Autumn 2026", date(2026, 9, 2), date(2026, 12, 17)))
    assert response.status_code == 302
    autumn.refresh_from_db()
    assert (autumn.starts_on, autumn.ends_on) == (date(2026, 9, 2), date(2026, 12, 17))
    assert autumn.history.latest().history_user == la_officer
    event = AuditEvent.objects.get(action=AuditAction.TERM_CHANGED)
    assert event.detail["before"]["starts_on"] == "2026-09-01"
    assert event.detail["after"]["starts_on"] == "2026-09-02"


def test_deleting_a_term_takes_its_closures_with_it(client, la_officer, autumn):
    client.force_login(la_officer)
    url = reverse("term_delete", args=[autumn.public_id])
    page = client.get(url)
    assert b"Autumn half term" in page.content
    assert b'<form method="post"' in page.content
    assert client.post(url).status_code == 302
    assert not Term.objects.exists()
    assert not Closure.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.TERM_DELETED)
    assert event.object_id == str(autumn.public_id)
    assert event.detail["closures"][0]["name"] == "Autumn half term"


def test_changing_and_deleting_a_closure_is_audited(client, la_officer, autumn):
    half_term = Closure.objects.get()
    client.force_login(la_officer)
    response = client.post(
        reverse("closure_edit", args=[half_term.public_id]),
        form_data("Autumn half term", date(2026, 10, 19), date(2026, 10, 23)),
    )
    assert response.status_code == 302
    assert client.post(reverse("closure_delete", args=[half_term.public_id])).status_code == 302
    assert not Closure.objects.exists()
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        AuditAction.CLOSURE_CHANGED,
        AuditAction.CLOSURE_DELETED,
    ]


# Who may do what


def test_a_school_reads_the_calendar_but_cannot_change_it(client, school_lead, autumn):
    half_term = Closure.objects.get()
    client.force_login(school_lead)
    page = client.get(reverse("calendar"), follow=True)
    assert page.status_code == 200
    assert page.redirect_chain[-1][0] == on("calendar_detail", autumn.calendar.area)
    assert b"Autumn 2026" in page.content
    assert reverse("term_edit", args=[autumn.public_id]).encode() not in page.content
    data = form_data("Changed", date(2026, 9, 1), date(2026, 9, 30))
    attempts = [
        on("term_new", autumn.calendar.area),
        reverse("term_edit", args=[autumn.public_id]),
        reverse("term_delete", args=[autumn.public_id]),
        on("closure_new", autumn.calendar.area),
        reverse("closure_edit", args=[half_term.public_id]),
        reverse("closure_delete", args=[half_term.public_id]),
    ]
    for url in attempts:
        assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    assert list(Term.objects.values_list("name", "ends_on")) == [("Autumn 2026", date(2026, 12, 18))]
    assert list(Closure.objects.values_list("name", "ends_on")) == [("Autumn half term", date(2026, 10, 30))]
    assert not AuditEvent.objects.exists()


def test_another_areas_officer_cannot_see_or_change_the_terms(client, autumn):
    halton = AreaFactory(name="Halton", la_code="876", ons_code="E06000006")
    officer = member_of(OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY, area=halton, urn=""))
    client.force_login(officer)
    assert b"Autumn 2026" not in client.get(reverse("calendar")).content
    assert client.get(on("calendar_detail", autumn.calendar.area)).status_code == 404
    assert client.get(reverse("term_edit", args=[autumn.public_id])).status_code == 404
    assert client.post(reverse("term_delete", args=[autumn.public_id])).status_code == 404
    assert Term.objects.filter(pk=autumn.pk).exists()


def test_only_la_officers_see_the_calendar_in_the_navigation(client, la_officer, school_lead):
    client.force_login(la_officer)
    assert b'href="/calendar/"' in client.get(reverse("calendar")).content
    client.force_login(school_lead)
    assert b'href="/calendar/"' not in client.get(reverse("calendar"), follow=True).content


# The calendar page


def test_the_calendar_page_groups_by_academic_year_with_bank_holidays(client, la_officer, demo_calendar):
    client.force_login(la_officer)
    response = client.get(on("calendar_detail", la_officer.organisations[0].area))
    content = response.content.decode()
    for label in ("2024 to 2025", "2025 to 2026", "2026 to 2027"):
        assert label in content
    assert "Easter Monday" in content
    assert "Mon 6 Apr 2026" in content
    assert "Autumn half term" in content


def test_the_calendar_page_costs_the_same_queries_for_one_year_or_three(client, la_officer, area):
    client.force_login(la_officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(on("calendar_detail", area)).status_code == 200
        return len(captured)

    for year in (2024, 2025, 2026):
        terms, closures = standard_terms(default(area), first_year=year, last_year=year)
        Term.objects.bulk_create(terms)
        Closure.objects.bulk_create(closures)
        if year == 2024:
            one_year = queries()
    assert queries() == one_year
