"""The register as a working tool (issue 9, item 14): filters, an attendance column, kept in links and exports."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance.models import AttendanceBatch, AttendanceMark, Session
from core.models import AuditAction, AuditEvent, Membership, OrganisationKind
from placements.selectors import born_in_year_group
from tests.factories import ChildFactory, OrganisationFactory, PlacementFactory, ProviderFactory, member_of

pytestmark = pytest.mark.django_db

TODAY = date.today()
# The export: the session, the user and their memberships; the children, their placements and their
# attendance; the audit event and its links to each child's access log (one insert); and the savepoints
# around them. The same for 5 children or 5,000.
EXPORT_QUERIES = 12


@pytest.fixture
def places(area, school):
    """Two providers, two schools, children of known ages and year groups."""
    other_school = OrganisationFactory(kind=OrganisationKind.SCHOOL, area=area, name="Bridgewater High")
    northgate = ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")
    brightpath = ProviderFactory(organisation__area=area, organisation__name="Brightpath Tuition")
    year_9 = born_in_year_group(9, TODAY)[0] + timedelta(days=30)
    year_11 = born_in_year_group(11, TODAY)[0] + timedelta(days=30)
    kids = {
        "ada": ChildFactory(area=area, home_school=school, date_of_birth=year_9, last_name="Ada"),
        "ben": ChildFactory(area=area, home_school=other_school, date_of_birth=year_11, last_name="Ben"),
        "cat": ChildFactory(area=area, home_school=school, date_of_birth=year_11, last_name="Cat"),
    }
    PlacementFactory(child=kids["ada"], provider=northgate, commissioner=school)
    PlacementFactory(child=kids["ben"], provider=brightpath, commissioner=other_school)
    PlacementFactory(child=kids["cat"], provider=brightpath, commissioner=school)
    return {"kids": kids, "northgate": northgate, "brightpath": brightpath, "other_school": other_school}


def listed(client, **params) -> list[str]:
    response = client.get(reverse("register"), params)
    assert response.status_code == 200
    return sorted(c.last_name for c in response.context["page"])


def test_filters_for_provider_home_school_year_group_and_age_combine(client, la_officer, school, places):
    client.force_login(la_officer)
    brightpath, other_school = places["brightpath"].public_id, places["other_school"].public_id
    assert listed(client, provider=brightpath) == ["Ben", "Cat"]
    assert listed(client, home_school=school.public_id) == ["Ada", "Cat"]
    assert listed(client, year_group=["11"]) == ["Ben", "Cat"]
    assert listed(client, year_group=["9", "11"]) == ["Ada", "Ben", "Cat"]
    ada_age = places["kids"]["ada"].age
    assert listed(client, age=[str(ada_age)]) == ["Ada"]
    assert listed(client, provider=brightpath, home_school=other_school) == ["Ben"]
    assert listed(client, provider=brightpath, year_group=["11"], pattern="part_time") == ["Ben", "Cat"]
    assert listed(client, provider=brightpath, pattern="full_time") == []
    # Nonsense is ignored, not an error.
    assert listed(client, provider="nonsense", age=["x", "99"], year_group=["-1"]) == ["Ada", "Ben", "Cat"]


def test_the_filters_are_govuk_controls_and_say_what_is_chosen(client, la_officer, places):
    client.force_login(la_officer)
    response = client.get(reverse("register"), {"provider": places["brightpath"].public_id, "year_group": "11"})
    page = response.content.decode()
    assert 'class="govuk-select' in page
    assert 'name="provider"' in page
    assert 'name="home_school"' in page
    assert 'name="year_group"' in page
    assert 'name="age"' in page
    assert "Brightpath Tuition" in page
    assert "Year 11" in page
    assert "Clear filters" in page


def test_the_filters_stay_in_the_pagination_links_and_the_export(client, la_officer, area, school, places, settings):
    settings.REGISTER_PAGE_SIZE = 1
    client.force_login(la_officer)
    brightpath = str(places["brightpath"].public_id)
    response = client.get(reverse("register"), {"provider": brightpath, "year_group": "11"})
    page = response.content.decode()
    assert f"provider={brightpath}" in page
    assert "year_group=11" in page
    assert "page=2" in page
    next_link = next(part for part in page.split('href="') if part.startswith("?") and "page=2" in part)
    assert f"provider={brightpath}" in next_link.split('"')[0]
    export = client.get(reverse("register_export"), {"provider": brightpath, "home_school": school.public_id})
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [r["Provider"] for r in rows] == ["Brightpath Tuition"]


def _marks(placement, codes: list[str], user) -> None:
    batch = AttendanceBatch.objects.create(
        provider=placement.provider,
        source=AttendanceBatch.Source.API,
        created_by=user,
        organisation=placement.provider.organisation,
    )
    start = max(placement.start_date, TODAY - timedelta(days=20))
    AttendanceMark.objects.bulk_create(
        AttendanceMark(
            placement=placement,
            child=placement.child,
            provider=placement.provider,
            date=start + timedelta(days=n // 2),
            session=Session.AM if n % 2 == 0 else Session.PM,
            code=code,
            batch=batch,
        )
        for n, code in enumerate(codes)
    )


@pytest.fixture
def marked(places):
    """Ada attends 3 of 4 sessions at her current placement, and none at one that ended elsewhere."""
    kids = places["kids"]
    manager = member_of(places["northgate"].organisation, Membership.Role.OFFICE_MANAGER)
    ada = kids["ada"].placements.get()
    _marks(ada, ["/", "\\", "/", "O"], manager)  # 3 of 4
    old = PlacementFactory(
        child=kids["ada"],
        provider=places["brightpath"],
        commissioner=ada.commissioner,
        start_date=TODAY - timedelta(days=60),
        end_date=TODAY - timedelta(days=40),
    )
    _marks(old, ["O", "O"], manager)
    return ada


def test_each_child_shows_attendance_at_the_current_placement(client, la_officer, marked):
    ada = marked
    client.force_login(la_officer)
    rows = {c.last_name: c.attendance for c in client.get(reverse("register")).context["rows"]}
    assert rows["Ada"].placement == ada
    assert rows["Ada"].percentage == 75
    assert rows["Ada"].band == "persistent"
    assert rows["Ben"].percentage is None
    page = client.get(reverse("register")).content.decode()
    assert "75.0%" in page
    assert "No marks" in page


def test_the_export_has_the_pages_attendance_column_on_the_current_placements_row(client, la_officer, places, marked):
    kids = places["kids"]
    client.force_login(la_officer)
    page = client.get(reverse("register")).content.decode()
    heading = re.search(
        r'<th scope="col" class="govuk-table__header[^"]*">(\w+)<span class="govuk-visually-hidden"> at', page
    )
    export = client.get(reverse("register_export"))
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert heading.group(1) == "Attendance"
    attendance = {(r["Child reference"], r["Provider"]): r[heading.group(1)] for r in rows}
    assert attendance == {
        (str(kids["ada"].public_id), "Northgate PRU"): "75.0%",
        (str(kids["ada"].public_id), "Brightpath Tuition"): "",  # ended: the figure is the current placement's
        (str(kids["ben"].public_id), "Brightpath Tuition"): "No marks",
        (str(kids["cat"].public_id), "Brightpath Tuition"): "No marks",
    }
    assert "75.0%" in page
    exported = AuditEvent.objects.get(user=la_officer, action=AuditAction.REGISTER_EXPORTED)
    # On the access log of each child the file holds (issue 9, item 5).
    assert {c.child_public_id for c in exported.children.all()} == {kids[k].public_id for k in ("ada", "ben", "cat")}


@pytest.fixture
def growing(area, school):
    """A setting, and a way to place n more children there, each with two marks: (provider, grow)."""
    provider = ProviderFactory(organisation__area=area)
    manager = member_of(provider.organisation, Membership.Role.OFFICE_MANAGER)

    def grow(n):
        for _ in range(n):
            placement = PlacementFactory(child=ChildFactory(area=area, home_school=school), provider=provider)
            _marks(placement, ["/", "O"], manager)

    return provider, grow


def test_the_export_costs_the_same_queries_at_5_and_40_children(
    client, la_officer, growing, django_assert_max_num_queries
):
    provider, grow = growing

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), len(response.content.decode("utf-8-sig").splitlines())

    client.force_login(la_officer)
    url = f"{reverse('register_export')}?provider={provider.public_id}&pattern=part_time"
    grow(5)
    small, lines = count(url)
    assert lines == 6
    grow(35)
    assert count(url) == (small, 41)
    with django_assert_max_num_queries(EXPORT_QUERIES):
        client.get(url)


def test_the_register_with_attendance_costs_the_same_queries_at_5_and_40_children(client, la_officer, school, growing):
    provider, grow = growing

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.force_login(la_officer)
    urls = [
        "/register/",
        f"/register/?provider={provider.public_id}&home_school={school.public_id}&year_group=9&age=14&pattern=part_time",
    ]
    grow(5)
    small = [count(url) for url in urls]
    grow(35)
    assert [count(url) for url in urls] == small


def test_the_la_and_the_virtual_school_say_whose_looked_after_children_they_count(client, la_officer, area, school):
    """Issue 9: the virtual school head saw 14 looked-after children, the LA's dashboard 22, with nothing saying why."""
    from tests.factories import AreaFactory

    elsewhere = AreaFactory(la_code="876", name="Halton", ons_code="E06000006")
    provider = ProviderFactory(organisation__area=area)
    for looked_after_by in (area, area, elsewhere, None):
        child = ChildFactory(
            area=area, home_school=school, looked_after=bool(looked_after_by), looked_after_by=looked_after_by
        )
        PlacementFactory(child=child, provider=provider, commissioner=school)
    virtual = OrganisationFactory(kind=OrganisationKind.VIRTUAL_SCHOOL, area=area, urn="")
    head = member_of(virtual, Membership.Role.VIRTUAL_SCHOOL_HEAD, username="vsh")

    def looked_after_rows(user):
        client.force_login(user)
        dashboard = client.get(reverse("dashboard"))
        breakdown = next(b for b in dashboard.context["breakdowns"] if b["dimension"].key == "looked_after")
        return {label: count for _value, label, count in breakdown["rows"]}, dashboard.content.decode()

    la_rows, la_page = looked_after_rows(la_officer)
    assert la_rows == {
        "Looked after by this council": 2,
        "Looked after by another council": 1,
        "Not looked after": 1,
    }
    assert "Looked after by another council" in la_page
    vsh_rows, vsh_page = looked_after_rows(head)
    assert vsh_rows["Looked after by this council"] == 2
    assert vsh_rows["Looked after by another council"] == 0
    assert "Looked after by this council" in vsh_page
    # Each figure leads to the same children on the register, and the register tags the other council's child.
    client.force_login(la_officer)
    listed = client.get(reverse("register"), {"period": "current", "looked_after": "other_council"})
    assert listed.context["page"].paginator.count == 1
    assert "Looked after by another council" in listed.content.decode()
