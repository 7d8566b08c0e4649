"""The list of children: every child a user may see, in AP or not, found by name or UPN."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ChildFactory, PlacementFactory, ProviderFactory, valid_upn

pytestmark = pytest.mark.django_db

TODAY = date.today()


def listed(client, **params) -> list[str]:
    page = client.get(reverse("child_list"), params).context["page"]
    return [f"{c.first_name} {c.last_name}" for c in page.object_list]


@pytest.fixture
def children(area, school):
    provider = ProviderFactory(organisation__area=area)
    made = {
        name: ChildFactory(area=area, home_school=school, first_name=name.split()[0], last_name=name.split()[1])
        for name in ("Ada Lovelace", "Alan Turing", "Grace Hopper", "Mary Somerville")
    }
    PlacementFactory(child=made["Ada Lovelace"], provider=provider, start_date=TODAY - timedelta(days=30))
    PlacementFactory(child=made["Alan Turing"], provider=provider, start_date=TODAY + timedelta(days=7))
    PlacementFactory(
        child=made["Grace Hopper"],
        provider=provider,
        start_date=TODAY - timedelta(days=300),
        end_date=TODAY - timedelta(days=100),
    )
    return made


def test_every_child_is_listed_whether_in_ap_or_not_with_where_each_stands(client, la_officer, children):
    client.force_login(la_officer)
    page = client.get(reverse("child_list")).content.decode()
    for name, standing in [
        ("Lovelace, Ada", "In AP"),
        ("Turing, Alan", "Placement planned"),
        ("Hopper, Grace", "Left AP"),
        ("Somerville, Mary", "Never placed"),
    ]:
        assert name in page
        row = page[page.index(name) :].split("</tr>")[0]
        assert standing in row, name


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "ada"}, ["Ada Lovelace"]),
        ({"q": "  ADA   love "}, ["Ada Lovelace"]),
        ({"q": "a"}, ["Grace Hopper", "Ada Lovelace", "Mary Somerville", "Alan Turing"]),
        ({"q": "nobody"}, []),
        ({"standing": "left"}, ["Grace Hopper"]),
        ({"standing": "never"}, ["Mary Somerville"]),
        ({"standing": "planned", "q": "alan"}, ["Alan Turing"]),
        ({"standing": "nonsense"}, ["Grace Hopper", "Ada Lovelace", "Mary Somerville", "Alan Turing"]),
    ],
)
def test_children_are_found_by_name_and_where_they_stand(client, la_officer, children, params, expected):
    client.force_login(la_officer)
    assert listed(client, **params) == expected


def test_a_child_is_found_by_upn_whatever_its_case(client, la_officer, children):
    client.force_login(la_officer)
    upn = children["Mary Somerville"].upn
    assert listed(client, q=upn.lower()) == ["Mary Somerville"]


def test_imported_children_are_found_at_once(client, school_lead, area, school):
    """After "4 children added" the school lands on the list that holds them."""
    ChildFactory(area=area, home_school=school, first_name="Noor", last_name="Khan")
    client.force_login(school_lead)
    assert listed(client, q="noor") == ["Noor Khan"]


def test_the_list_reads_the_same_number_of_queries_for_few_children_and_many(client, la_officer, area, school):
    client.force_login(la_officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("child_list")).status_code == 200
        return len(captured)

    ChildFactory(area=area, home_school=school)
    few = queries()
    for _ in range(12):
        PlacementFactory(child=ChildFactory(area=area, home_school=school), provider__organisation__area=area)
    assert queries() == few


def test_adding_a_child_whose_upn_is_taken_links_to_the_record_when_it_may_be_seen(client, la_officer, school):
    taken = ChildFactory(area=school.area, home_school=school, first_name="Ada", last_name="Lovelace")
    client.force_login(la_officer)
    response = client.post(reverse("child_new"), {"upn": taken.upn, "first_name": "Ada", "last_name": "L"})
    page = response.content.decode()
    assert "Another child already has this UPN" in page
    assert f'href="{taken.get_absolute_url()}"' in page


def test_a_taken_upn_of_a_child_not_visible_names_no_one(client, school_lead, other_school):
    hidden = ChildFactory(area=other_school.area, home_school=other_school, first_name="Zara", last_name="Quill")
    client.force_login(school_lead)
    page = client.post(reverse("child_new"), {"upn": hidden.upn, "first_name": "Zara"}).content.decode()
    assert "Quill" not in page
    assert hidden.get_absolute_url() not in page


def test_a_free_upn_shows_no_banner(client, la_officer):
    client.force_login(la_officer)
    page = client.post(reverse("child_new"), {"upn": valid_upn(42)}).content.decode()
    assert "already recorded" not in page
