"""The directory every commissioner uses (issue 13, item 1): what a setting offers, costs and where it is; searched
by need, age, distance from a postcode, pattern, qualifications, places free and approval; registered settings
imported from a Get Information about Schools extract, matched by URN, every problem named by its row."""

import csv
import io
import math
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from core.geo import EARTH_RADIUS_MILES, grid_to_latlon, miles_between, outcode_of, postcode_location
from core.models import AuditAction, AuditEvent, Organisation
from providers.imports import GIAS_COLUMNS, GIAS_IMPORT, gias_row
from providers.models import GiasImport, Provider, ProviderApproval, ProviderContact, ProviderSite, key_stages_for
from tests.factories import ChildFactory, PlacementFactory, ProviderFactory
from tests.import_helpers import Importer
from tests.test_access import borough  # noqa: F401  (a fixture)
from tests.test_query_counts import queries_for

pytestmark = pytest.mark.django_db

WA1 = postcode_location("WA1")
GIAS = Importer(GIAS_IMPORT, "edubasealldata20261207.csv")
ROLES = ["la", "school", "provider", "health", "social", "virtual"]


def north_of(miles: float, origin=WA1) -> tuple[float, float]:
    return origin[0] + math.degrees(miles / EARTH_RADIUS_MILES), origin[1]


def east_of(miles: float, origin=WA1) -> tuple[float, float]:
    lat = math.radians(origin[0])
    # Along the parallel the great circle bends north, so solve for the longitude that is `miles` away.
    dlon = 2 * math.asin(math.sin(miles / (2 * EARTH_RADIUS_MILES)) / math.cos(lat))
    return origin[0], origin[1] + math.degrees(dlon)


def placed(area, name, at, **fields):
    """A provider at a place, not yet decided on by the area unless `approval__status` says."""
    provider = ProviderFactory(organisation__area=area, organisation__name=name, **{"approval": None, **fields})
    provider.latitude, provider.longitude = at
    provider.save(update_fields=["latitude", "longitude"])
    return provider


def names(response) -> list[str]:
    return [p.name for p in response.context["providers"]]


# The directory: search and filters


def test_each_filter_narrows_the_directory(client, la_officer, area, school, la):
    semh = placed(area, "Northgate PRU", WA1, specialisms=["semh"], qualifications=["gcse", "functional_skills"])
    placed(
        area,
        "Brightpath Tuition",
        WA1,
        specialisms=["ebsa"],
        offers_full_time=False,
        min_age=5,
        max_age=11,
        qualifications=["entry_level"],
    )
    full = placed(area, "Willow Tree School", WA1, specialisms=["autism"], offers_part_time=False, capacity=1)
    PlacementFactory(child=ChildFactory(area=area, home_school=school), provider=full, commissioner=school)
    client.force_login(la_officer)
    client.post(
        reverse("provider_approval_new", args=[semh.public_id]),
        {
            "status": "approved",
            "approval_model": "la_verified",
            "reason": "Seen at the annual visit",
            "decided_on_0": date.today().day,
            "decided_on_1": date.today().month,
            "decided_on_2": date.today().year,
        },
    )
    assert ProviderApproval.objects.count() == 1
    url = reverse("provider_list")
    every = {"Northgate PRU", "Brightpath Tuition", "Willow Tree School"}
    assert set(names(client.get(url))) == every
    assert names(client.get(url, {"q": "north"})) == ["Northgate PRU"]
    assert names(client.get(url, {"need": "ebsa"})) == ["Brightpath Tuition"]
    assert set(names(client.get(url, {"need": ["ebsa", "semh"]}))) == {"Brightpath Tuition", "Northgate PRU"}
    assert names(client.get(url, {"age": "6"})) == ["Brightpath Tuition"]
    assert set(names(client.get(url, {"age": "11"}))) == every  # both ends of an age range are taken
    assert set(names(client.get(url, {"pattern": "full_time"}))) == {"Northgate PRU", "Willow Tree School"}
    assert set(names(client.get(url, {"pattern": "part_time"}))) == {"Northgate PRU", "Brightpath Tuition"}
    assert names(client.get(url, {"qualification": "functional_skills"})) == ["Northgate PRU"]
    assert set(names(client.get(url, {"vacancies": "on"}))) == {"Northgate PRU", "Brightpath Tuition"}
    assert names(client.get(url, {"approval": "approved"})) == ["Northgate PRU"]
    assert set(names(client.get(url, {"approval": "not_decided"}))) == {"Brightpath Tuition", "Willow Tree School"}
    page = client.get(url, {"vacancies": "on", "need": "semh", "postcode": "wa1 1uh", "miles": "5"}).content.decode()
    assert "Selected filters" in page
    assert "Clear filters" in page
    assert '<span class="moj-filter__tag">Social, emotional and mental health</span>' in page
    assert '<span class="moj-filter__tag">WA1 1UH, within 5 miles</span>' in page


def test_distance_is_within_the_miles_chosen_at_its_boundary_in_every_direction(client, la_officer, area):
    placed(area, "Just inside north", north_of(4.98))
    placed(area, "Just outside north", north_of(5.02))
    placed(area, "Just inside east", east_of(4.98))
    placed(area, "Just outside east", east_of(5.02))
    placed(area, "Here", WA1)
    ProviderFactory(organisation__area=area, organisation__name="Nowhere known", postcode="ZZ9 9ZZ")
    client.force_login(la_officer)
    response = client.get(reverse("provider_list"), {"postcode": "wa1 1uh", "miles": "5"})
    assert names(response) == ["Here", "Just inside east", "Just inside north"] or names(response) == [
        "Here",
        "Just inside north",
        "Just inside east",
    ]
    assert "4.98 miles" not in response.content.decode()  # shown to a tenth of a mile
    assert "5.0 miles away" in response.content.decode()
    wider = client.get(reverse("provider_list"), {"postcode": "WA1", "miles": "10"})
    assert len(names(wider)) == 5  # the one with no place is never "near"


def test_a_provider_is_as_near_as_its_nearest_site(client, la_officer, area):
    provider = placed(area, "Far main site", north_of(30))
    client.force_login(la_officer)
    url = reverse("provider_list")
    assert names(client.get(url, {"postcode": "WA1", "miles": "5"})) == []
    ProviderSite.objects.create(
        provider=provider,
        name="Town annexe",
        address="x",
        postcode="WA1 1UH",
        latitude=north_of(2)[0],
        longitude=WA1[1],
    )
    response = client.get(url, {"postcode": "WA1", "miles": "5"})
    assert names(response) == ["Far main site"]
    assert "2.0 miles away" in response.content.decode()


@pytest.mark.parametrize(
    ("postcode", "words"),
    [
        ("not a postcode", "Enter a postcode, like WA1 1UH, or its district, like WA1"),
        ("ZZ9 9ZZ", "We cannot find where ZZ9 9ZZ is"),
    ],
)
def test_a_postcode_that_cannot_be_placed_is_named_and_filters_nothing(client, la_officer, area, postcode, words):
    placed(area, "Here", WA1)
    client.force_login(la_officer)
    response = client.get(reverse("provider_list"), {"postcode": postcode, "miles": "5", "need": "semh"})
    assert response.status_code == 200
    assert any(words in error for error in response.context["form"].errors["postcode"])
    assert "There is a problem" in response.content.decode()


def test_a_full_postcode_not_listed_falls_back_to_its_district():
    assert outcode_of("wa1 9zz") == "WA1"
    assert postcode_location("WA1 9ZZ") == postcode_location("WA1") is not None
    assert postcode_location("BT1 1AA") is None  # Northern Ireland is not in Code-Point Open


def test_the_grid_conversion_matches_the_ordnance_surveys_worked_example():
    # Big Ben (TQ 30268 79640): 51.50069 N, 0.12462 W.
    latitude, longitude = grid_to_latlon(530268, 179640)
    assert miles_between((latitude, longitude), (51.50069, -0.12462)) < 0.01


PLACE_IN_BRITAIN = st.tuples(st.integers(49_800, 60_900), st.integers(-8_200, 1_800)).map(
    lambda t: (t[0] / 1000, t[1] / 1000)
)


@given(a=PLACE_IN_BRITAIN, b=PLACE_IN_BRITAIN)
def test_distances_are_symmetric_and_keep_the_triangle_inequality(a, b):
    assert miles_between(a, b) == pytest.approx(miles_between(b, a), abs=1e-9)
    assert miles_between(a, a) == 0
    assert miles_between(a, b) <= miles_between(a, WA1) + miles_between(WA1, b) + 1e-6


@pytest.mark.parametrize("role", ROLES)
def test_every_role_that_uses_the_directory_searches_it_only_the_la_keeps_it(client, borough, role):  # noqa: F811
    provider = borough.children["a"].placements.get().provider
    client.force_login(borough.users[role])
    response = client.get(reverse("provider_list"), {"need": "semh", "age": "12", "postcode": "WA1"})
    assert response.status_code == 200
    page = client.get(provider.get_absolute_url()).content.decode()
    edits = [
        reverse("provider_directory_edit", args=[provider.public_id]),
        reverse("provider_site_new", args=[provider.public_id]),
        reverse("provider_contact_new", args=[provider.public_id]),
    ]
    if role == "la":
        assert all(url in page for url in edits)
        assert reverse("gias_import") in response.content.decode()
        return
    assert not any(url in page for url in edits)
    assert reverse("gias_import") not in response.content.decode()
    for url in edits:
        assert client.get(url).status_code == 404
        assert (
            client.post(
                url, {"name": "A", "role": "B", "email": "a@b.org", "address": "x", "postcode": "WA1 1UH"}
            ).status_code
            == 404
        )
    assert client.get(reverse("gias_import")).status_code == 404
    assert client.post(reverse("gias_import"), {"file": io.BytesIO(b"URN\n")}).status_code == 404
    assert not ProviderSite.objects.exists()
    assert not ProviderContact.objects.exists()


def test_an_inspector_is_refused_the_directory(client, borough):  # noqa: F811
    client.force_login(borough.users["nobody"])
    assert client.get(reverse("provider_list")).status_code in (403, 404)
    assert client.get(reverse("gias_import")).status_code in (403, 404)


def test_the_la_records_offer_costs_sites_and_contacts_and_everyone_sees_them(client, la_officer, area, school):
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")
    client.force_login(la_officer)
    response = client.post(
        reverse("provider_directory_edit", args=[provider.public_id]),
        {
            "key_stages": ["ks3", "ks4"],
            "qualifications": ["gcse", "vocational"],
            "qualified_teachers": "6",
            "cost_per_day": "145.50",
            "cost_per_session": "",
            "school_site_of": str(school.pk),
        },
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.cost_per_day == Decimal("145.50")
    assert provider.school_site_of == school
    response = client.post(
        reverse("provider_site_new", args=[provider.public_id]),
        {"name": "Barn Lane workshop", "address": "Barn Lane, Warrington", "postcode": "wa5 1aa"},
    )
    assert response.status_code == 302
    site = ProviderSite.objects.get()
    assert site.postcode == "WA5 1AA"
    assert (site.latitude, site.longitude) == postcode_location("WA5")
    client.post(
        reverse("provider_contact_new", args=[provider.public_id]),
        {"name": "Sam Okafor", "role": "Head of centre", "email": "sam@northgate.example.org", "phone": ""},
    )
    page = client.get(provider.get_absolute_url()).content.decode()
    for words in ("Key stage 3", "GCSEs", "£145.50", "Barn Lane workshop", "Sam Okafor", school.name):
        assert words in page
    actions = set(AuditEvent.objects.filter(user=la_officer).values_list("action", flat=True))
    assert {AuditAction.PROVIDER_DIRECTORY_CHANGED, AuditAction.PROVIDER_SITE_ADDED} <= actions
    assert AuditAction.PROVIDER_CONTACT_ADDED in actions


@pytest.mark.parametrize(
    ("url_name", "post", "field", "words"),
    [
        ("provider_directory_edit", {"cost_per_day": "lots"}, "cost_per_day", "Enter the cost per day as an amount"),
        ("provider_directory_edit", {"cost_per_day": "-1"}, "cost_per_day", "greater than or equal to 0"),
        ("provider_site_new", {"name": "Annex", "address": "x", "postcode": "nowhere"}, "postcode", "real postcode"),
        ("provider_contact_new", {"name": "Sam", "role": "Head", "email": "", "phone": ""}, "email", "or a phone"),
        ("provider_contact_new", {"name": "Sam", "role": "Head", "email": "sam@"}, "email", "correct format"),
    ],
)
def test_bad_directory_details_name_the_field_and_save_nothing(client, la_officer, area, url_name, post, field, words):
    provider = ProviderFactory(organisation__area=area)
    client.force_login(la_officer)
    response = client.post(reverse(url_name, args=[provider.public_id]), post)
    assert response.status_code == 200
    assert any(words in message for message in response.context["form"].errors[field])
    provider.refresh_from_db()
    assert provider.cost_per_day is None
    assert not ProviderSite.objects.exists()
    assert not ProviderContact.objects.exists()


def test_the_searched_directory_costs_the_same_queries_with_more_providers(client, la_officer, area):
    for i in range(3):
        placed(area, f"Near {i}", north_of(i / 10), specialisms=["semh"])
    client.force_login(la_officer)
    url = reverse("provider_list") + "?postcode=WA1+1UH&miles=5&need=semh&age=14&vacancies=on&approval=not_decided"
    few = queries_for(client, url)
    for i in range(60):
        placed(area, f"More {i}", north_of(i / 20), specialisms=["semh"])
    for provider in Provider.objects.all()[:20]:
        ProviderSite.objects.create(
            provider=provider, name="Annexe", address="x", postcode="WA1 1UH", latitude=WA1[0], longitude=WA1[1]
        )
    # The providers and their main sites in the box, their other sites in it, then the page; for the LA, one more:
    # its providers' checks expired or expiring, counted.
    assert queries_for(client, url) == few == 8
    assert queries_for(client, reverse("provider_list") + "?need=semh&page=2") == 7


def test_key_stages_follow_the_ages_a_setting_takes_until():
    assert key_stages_for(11, 16) == ["ks3", "ks4"]
    assert key_stages_for(4, 11) == ["ks1", "ks2"]
    assert key_stages_for(11, 19) == ["ks3", "ks4", "post16"]


# GIAS import

HEADINGS = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "Street",
    "Town",
    "Postcode",
    "UKPRN",
    "Easting",
    "Northing",
]


def gias(urn, **overrides) -> dict:
    return {
        "URN": str(urn),
        "LA (code)": "877",
        "LA (name)": "Warrington",
        "EstablishmentName": f"Setting {urn}",
        "TypeOfEstablishment (name)": "Pupil referral unit",
        "EstablishmentStatus (name)": "Open",
        "PhaseOfEducation (name)": "Secondary",
        "StatutoryLowAge": "11",
        "StatutoryHighAge": "16",
        "Street": "Sankey Street",
        "Town": "Warrington",
        "Postcode": "WA1 1UH",
        "UKPRN": "",
        "Easting": "360240",
        "Northing": "387888",
    } | overrides


def extract(rows, headings=HEADINGS, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headings, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def test_the_la_imports_settings_a_reimport_updates_and_the_same_file_again_changes_nothing(client, la_officer):
    client.force_login(la_officer)
    rows = [
        gias(
            140001,
            **{
                "EstablishmentName": "Bridge Côté Academy",
                "TypeOfEstablishment (name)": "Academy alternative provision converter",
            },
        ),
        gias(
            140002,
            **{
                "TypeOfEstablishment (name)": "Other independent school",
                "StatutoryLowAge": "2",
                "StatutoryHighAge": "19",
            },
        ),
        gias(140003, **{"TypeOfEstablishment (name)": "Community school"}),  # mainstream: left out
        gias(140004, **{"EstablishmentStatus (name)": "Closed"}),  # closed: left out
        gias(140005, **{"Easting": "", "Northing": ""}),  # placed by its postcode's district
    ]
    upload, response = GIAS.upload(client, extract(rows, encoding="cp1252"))
    assert response.status_code == 302
    summary = GIAS.summary(client, upload)
    assert (summary.new, summary.changed, summary.unchanged, summary.left_out) == (3, 0, 0, 2)
    assert "Left out" in client.get(reverse("gias_import_detail", args=[upload.public_id])).content.decode()
    assert GIAS.confirm(client, upload).status_code == 302
    assert Provider.objects.count() == 3
    academy = Provider.objects.get(organisation__urn="140001")
    assert academy.name == "Bridge Côté Academy"
    assert academy.registration == "state_maintained"
    assert academy.gias_establishment_type == "42"
    assert academy.key_stages == ["ks3", "ks4"]
    assert miles_between((academy.latitude, academy.longitude), (53.3863, -2.5993)) < 0.05
    independent = Provider.objects.get(organisation__urn="140002")
    assert (independent.registration, independent.min_age, independent.max_age) == ("independent_registered", 4, 19)
    assert (Provider.objects.get(organisation__urn="140005").latitude,) == (WA1[0],)
    assert len({p.area_reference for p in Provider.objects.all()}) == 3
    history = Provider.history.count()
    events = AuditEvent.objects.filter(action=AuditAction.GIAS_IMPORTED).count()

    again, _response = GIAS.upload(client, extract(rows, encoding="cp1252"))
    assert (GIAS.summary(client, again).new, GIAS.summary(client, again).changed) == (0, 0)
    GIAS.confirm(client, again)
    assert Provider.history.count() == history
    assert AuditEvent.objects.filter(action=AuditAction.GIAS_IMPORTED).count() == events

    rows[0]["EstablishmentName"] = "The Bridge AP Academy"
    rows[1]["Postcode"] = "WA5 1AA"
    academy.capacity = 55  # the area's, not GIAS's: an import leaves it
    academy.save()
    changed, _response = GIAS.upload(client, extract(rows))
    assert (GIAS.summary(client, changed).new, GIAS.summary(client, changed).changed) == (0, 2)
    GIAS.confirm(client, changed)
    academy.refresh_from_db()
    assert academy.name == "The Bridge AP Academy"
    assert academy.capacity == 55
    assert Provider.objects.get(organisation__urn="140002").postcode == "WA5 1AA"
    assert Provider.objects.count() == 3
    assert Organisation.objects.filter(urn="140001").count() == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            lambda: extract([gias(140001), gias(140001)]),
            [(3, "URN", "140001", "is also on row 2: one row per URN")],
        ),
        (
            lambda: extract([gias(14001)]),
            [(2, "URN", "14001", "must be the establishment's 6-digit URN")],
        ),
        (
            lambda: extract([gias(140001, **{"LA (code)": "999", "StatutoryLowAge": "eleven"})]),
            [
                (2, "LA (code)", "999", "is not the 3-digit code of a local authority in England"),
                (2, "StatutoryLowAge", "eleven", "must be a whole number of years"),
            ],
        ),
        (
            lambda: extract([gias(140001, **{"TypeOfEstablishment (name)": "Pupil Referal Unit"})]),
            [
                (
                    2,
                    "TypeOfEstablishment (name)",
                    "Pupil Referal Unit",
                    "is not an establishment type of Get Information about Schools",
                )
            ],
        ),
        (
            lambda: extract([gias(140001)]) + b"140002,877,Warrington,Caf\x81 School\r\n",
            [(3, "", "byte 81", "is not a character in UTF-8 or Windows-1252: the file is damaged")],
        ),
        (
            lambda: (
                extract([gias(140001, EstablishmentName="Café")], encoding="cp1252")
                + extract([gias(140002, EstablishmentName="Café")]).split(b"\r\n", 1)[1]
            ),
            [(3, "", "", "is saved as UTF-8 while other rows are Windows-1252: save the whole file again")],
        ),
    ],
)
def test_every_problem_is_named_by_its_row_and_nothing_is_imported(client, la_officer, content, expected):
    client.force_login(la_officer)
    upload, _response = GIAS.upload(client, content())
    assert upload.status == GiasImport.Status.REJECTED
    assert GIAS.problems(client, upload) == expected
    assert not Provider.objects.exists()


def test_unknown_and_missing_columns_are_named_and_nothing_is_imported(client, la_officer):
    client.force_login(la_officer)
    headings = [h for h in HEADINGS if h != "Postcode"] + ["Favourite colour"]
    upload, _response = GIAS.upload(client, extract([{h: gias(140001).get(h, "red") for h in headings}], headings))
    rules = [p[3] for p in GIAS.problems(client, upload)]
    assert any("The column 'Favourite colour' (column O) is not one we use" in rule for rule in rules)
    assert any("The column 'Postcode' is missing" in rule for rule in rules)
    assert not Provider.objects.exists()


def test_a_real_extracts_every_column_is_known():
    headings = list(GIAS_COLUMNS)
    content = extract([{h: gias(140001).get(h, "") for h in headings}], headings)
    from providers.imports import read_gias

    rows, problems = read_gias(content, "edubasealldata.csv")
    assert problems == []
    assert len(rows) == 1


CELL = st.text(alphabet=st.characters(codec="cp1252"), max_size=12)


# Each cell as a good row has it, or anything a Windows-1252 file can hold: most rows have a few bad cells.
ROW_CELLS = st.fixed_dictionaries({h: st.one_of(st.just(gias(140001)[h]), CELL) for h in HEADINGS})


@given(cells=ROW_CELLS)
@settings(max_examples=200)
def test_any_row_is_read_without_error_and_a_row_taken_without_problems_is_a_valid_setting(cells):
    row = gias_row(2, cells)
    assert all(p.row == 2 for p in row.problems)
    if row.taken and not row.problems:
        assert len(row.urn) == 6
        assert row.urn.isdigit()
        assert 4 <= row.youngest <= row.oldest <= 25
        assert row.name
        assert len(row.address) <= 300


@given(
    urn=st.integers(100000, 999999),
    low=st.integers(0, 19),
    span=st.integers(0, 10),
    easting=st.integers(150000, 650000),
    northing=st.integers(50000, 650000),
)
@settings(max_examples=100)
def test_a_well_formed_open_row_is_taken_as_it_says(urn, low, span, easting, northing):
    cells = gias(
        urn, StatutoryLowAge=str(low), StatutoryHighAge=str(low + span), Easting=str(easting), Northing=str(northing)
    )
    row = gias_row(2, cells)
    assert row.taken
    assert list(row.problems) == []
    assert row.urn == str(urn)
    assert row.youngest == min(max(low, 4), 25)
    assert row.oldest == min(max(low + span, row.youngest), 25)
    assert 49 < row.location[0] < 61


def test_the_demo_directory_has_costs_contacts_sites_and_qualifications(client):
    from core.models import User
    from demo.borough import borough_build

    borough_build(children=300, seed=2026, attendance=False)
    providers = list(Provider.objects.all())
    costs = [p.cost_per_day for p in providers if p.cost_per_day is not None]
    assert costs
    assert all(Decimal(60) <= c <= Decimal(250) for c in costs)
    assert all(p.latitude is not None for p in providers)
    assert ProviderContact.objects.count() >= len(providers)
    assert ProviderSite.objects.exists()
    assert any(p.qualifications for p in providers)
    assert any(p.school_site_of_id for p in providers)
    client.force_login(User.objects.get(username="la-officer"))
    near = client.get(reverse("provider_list"), {"postcode": providers[0].postcode, "miles": "10", "need": "semh"})
    assert 0 < len(near.context["providers"]) < len(providers)


def test_a_provider_added_or_moved_by_hand_is_placed_by_its_postcode_district(client, la_officer):
    from tests.test_providers import provider_data

    client.force_login(la_officer)
    client.post(reverse("provider_new"), provider_data())
    provider = Provider.objects.get()
    assert (provider.latitude, provider.longitude) == postcode_location("WA2")
    edit = reverse("provider_edit", args=[provider.public_id])
    client.post(edit, provider_data(capacity="61"))
    provider.refresh_from_db()
    assert (provider.latitude, provider.longitude) == postcode_location("WA2")
    client.post(edit, provider_data(postcode="CH1 2HS"))
    provider.refresh_from_db()
    assert (provider.latitude, provider.longitude) == postcode_location("CH1")


def test_digits_of_other_scripts_are_not_ages_or_urns():
    row = gias_row(2, gias("١٤٠٠٠١", StatutoryLowAge="²", StatutoryHighAge="16"))
    assert [(p.column, p.rule) for p in row.problems] == [
        ("URN", "must be the establishment's 6-digit URN"),
        ("StatutoryLowAge", "must be a whole number of years"),
    ]


def test_the_filter_panel_asks_each_question_once(client, la_officer, area):
    placed(area, "Northgate PRU", WA1, specialisms=["semh"])
    client.force_login(la_officer)
    page = client.get(reverse("provider_list")).content.decode()
    for name in ("q", "postcode", "miles", "age", "need", "pattern", "qualification", "approval", "vacancies"):
        inputs = page.count(f'name="{name}"')
        assert inputs == 1 or name in ("need", "pattern", "qualification", "approval"), (name, inputs)
    assert page.count('id="id_q"') == 1


def test_the_la_changes_a_site_and_a_contact_and_takes_them_off(client, la_officer, area):
    provider = ProviderFactory(organisation__area=area, organisation__name="Northgate PRU")
    site = ProviderSite.objects.create(provider=provider, name="Annexe", address="Mill Lane", postcode="WA1 1UH")
    contact = ProviderContact.objects.create(provider=provider, name="Sam Okafor", role="Head", phone="01925 000000")
    site_url = reverse("provider_site_edit", args=[provider.public_id, site.public_id])
    contact_url = reverse("provider_contact_edit", args=[provider.public_id, contact.public_id])
    client.force_login(la_officer)
    page = client.get(provider.get_absolute_url()).content.decode()
    assert site_url in page
    assert contact_url in page
    assert client.get(site_url).context["form"].initial["postcode"] == "WA1 1UH"

    moved = {"name": "Barn Lane workshop", "address": "Barn Lane, Warrington", "postcode": "wa5 1aa"}
    assert client.post(site_url, moved).status_code == 302
    site.refresh_from_db()
    assert (site.name, site.postcode, (site.latitude, site.longitude)) == (
        "Barn Lane workshop",
        "WA5 1AA",
        postcode_location("WA5"),
    )
    refused = client.post(contact_url, {"name": "Sam Okafor", "role": "Head", "email": "", "phone": ""})
    assert "or a phone number" in str(refused.context["form"].errors["email"])
    contact.refresh_from_db()
    assert contact.phone == "01925 000000", "nothing is changed by a refused form"
    assert client.post(contact_url, {"name": "Sam Okafor", "role": "Admissions", "email": "", "phone": "01925 1"})
    contact.refresh_from_db()
    assert contact.role == "Admissions"

    assert client.post(site_url, {"remove": "1"}).status_code == 302
    assert client.post(contact_url, {"remove": "1"}).status_code == 302
    assert not ProviderSite.objects.exists()
    assert not ProviderContact.objects.exists()
    removed = AuditEvent.objects.filter(detail__has_key="removed").values_list("action", "detail__removed")
    assert set(removed) == {
        (AuditAction.PROVIDER_SITE_CHANGED, "Northgate PRU: Barn Lane workshop"),
        (AuditAction.PROVIDER_CONTACT_CHANGED, "Sam Okafor, Admissions"),
    }
    assert client.get(site_url).status_code == 404


@pytest.mark.parametrize("role", ["school", "provider", "health", "social", "virtual", "nobody"])
def test_only_the_la_changes_or_takes_off_a_site_or_a_contact(client, borough, role):  # noqa: F811
    provider = borough.children["a"].placements.get().provider
    site = ProviderSite.objects.create(provider=provider, name="Annexe", address="Mill Lane", postcode="WA1 1UH")
    contact = ProviderContact.objects.create(provider=provider, name="Sam Okafor", role="Head", phone="01925 000000")
    client.force_login(borough.users[role])
    for url in (
        reverse("provider_site_edit", args=[provider.public_id, site.public_id]),
        reverse("provider_contact_edit", args=[provider.public_id, contact.public_id]),
    ):
        assert client.get(url).status_code in (403, 404)
        assert client.post(url, {"remove": "1"}).status_code in (403, 404)
    assert ProviderSite.objects.filter(pk=site.pk).exists()
    assert ProviderContact.objects.filter(pk=contact.pk).exists()
