"""The directory benchmarks (issue 13): a filtered search of 400 providers, and a GIAS extract of all England.

- `provider_directory_ms_p50_postgres`: the directory page searched by need, age, pattern, places free and
  within 10 miles of a postcode, with 400 providers in the 5,000-child borough; its query count is pinned
  (`provider_directory_queries_postgres`, the same as tests/test_provider_directory.py pins).
- `gias_import_s_50000`: checking and then importing an extract of 50,000 establishments, every column of
  GIAS's "all establishment data" and as many rows as England's, in Windows-1252; and
  `gias_import_floor_ratio`, its ratio to reading the same file with the csv module, measured in the same run.
"""

import csv
import io
import math
import random
import time
from datetime import date

from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from bench.timing import p50_ms
from core.geo import postcode_location
from core.imports import import_check, import_commit
from core.models import Organisation, OrganisationKind, User
from providers.forms import DirectoryFilterForm
from providers.imports import GIAS_COLUMNS, GIAS_IMPORT
from providers.models import Provider, Registration, Specialism, key_stages_for
from providers.selectors import providers_directory, providers_within

PROVIDERS = 400
ROWS = 50_000
SEARCH = "/providers/?postcode=WA4+6PL&miles=10&need=semh&age=14&pattern=part_time&vacancies=on"
PINNED_QUERIES = 8  # as the LA sees it: with its providers' checks expired or expiring, counted


def _more_providers(area, wanted: int) -> None:
    """Providers enough to make `wanted` in the area, scattered within 30 miles of the town centre."""
    rng = random.Random(2026)
    have = Provider.objects.filter(organisation__area=area).count()
    centre = postcode_location("WA1")
    specialisms = list(Specialism.values)
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Bench provider {i:03d}", kind=OrganisationKind.AP_PROVIDER, area=area)
            for i in range(wanted - have)
        ]
    )
    providers = []
    for i, organisation in enumerate(organisations):
        bearing, miles = rng.uniform(0, 2 * math.pi), rng.uniform(0, 30)
        low = rng.choice([5, 7, 11, 11, 14])
        high = min(low + rng.choice([4, 5, 6]), 19)
        providers.append(
            Provider(
                organisation=organisation,
                registration=Registration.INDEPENDENT_UNREGISTERED,
                ap_setting_type="OTH",
                area_reference=f"AP-BENCH-{i:03d}",
                specialisms=rng.sample(specialisms, 2),
                offers_full_time=rng.random() < 0.4,
                offers_part_time=True,
                min_age=low,
                max_age=high,
                key_stages=key_stages_for(low, high),
                capacity=rng.randint(10, 60),
                address="Bench Street",
                postcode="WA1 1UH",
                location_la=area.la_code,
                latitude=centre[0] + miles / 69 * math.cos(bearing),
                longitude=centre[1] + miles / 42 * math.sin(bearing),
            )
        )
    Provider.objects.bulk_create(providers, batch_size=500)


def measure_directory(client, officer: User, repeats: int) -> dict:
    area = officer.primary_organisation.area
    _more_providers(area, PROVIDERS)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client.get(SEARCH)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(SEARCH)
    assert response.status_code == 200
    queries = len(captured)  # now: the log it reads from turns over as more queries are made
    query = DirectoryFilterForm(QueryDict(SEARCH.split("?", 1)[1])).query()
    found = len(
        providers_within(providers=providers_directory(user=officer, query=query), near=query.near, miles=query.miles)
    )
    if queries != PINNED_QUERIES or not found:
        raise RuntimeError(f"The searched directory took {queries} queries and found {found} providers")
    return {
        "provider_directory_ms_p50_postgres": p50_ms(client, SEARCH, repeats),
        "provider_directory_queries_postgres": queries,
        "provider_directory_found_postgres": found,
    }


# Of England's ~50,000 establishments about half are closed; of the open ones, about one in six is of a type the
# directory takes (special schools, independent schools, PRUs, AP academies and free schools).
TYPES = [
    ("Community school", 40),
    ("Academy converter", 25),
    ("Voluntary aided school", 10),
    ("Further education", 3),
    ("Other independent school", 6),
    ("Other independent special school", 2),
    ("Community special school", 2),
    ("Academy special converter", 2),
    ("Pupil referral unit", 1),
    ("Academy alternative provision converter", 1),
]
LAS = ["877", "876", "896", "342", "359", "358", "895", "202", "330", "800"]
POSTCODES = [
    "WA1 1UH",
    "WA7 2AB",
    "CH1 2HS",
    "WA9 1AB",
    "WN1 1XX",
    "M33 7XY",
    "CW1 2AB",
    "NW1 2DB",
    "B1 1AA",
    "BS1 4DJ",
]


def gias_extract(rows: int = ROWS) -> bytes:
    """An extract as GIAS publishes it: every column, Windows-1252, the odd accented name."""
    rng = random.Random(50_000)
    names, weights = zip(*TYPES, strict=True)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(GIAS_COLUMNS)
    blank = dict.fromkeys(GIAS_COLUMNS, "")
    for i in range(rows):
        la = rng.randrange(len(LAS))
        kind = rng.choices(names, weights)[0]
        row = blank | {
            "URN": str(100000 + i * 7),
            "LA (code)": LAS[la],
            "LA (name)": "Somewhere",
            "EstablishmentNumber": str(1000 + i % 9000),
            "EstablishmentName": f"{'Saint Éloi' if i % 97 == 0 else 'Hillside'} School {i}",
            "TypeOfEstablishment (name)": kind,
            "EstablishmentStatus (name)": "Closed" if rng.random() < 0.45 else "Open",
            "PhaseOfEducation (name)": "Secondary",
            "StatutoryLowAge": "11",
            "StatutoryHighAge": "16",
            "Boarders (name)": "No boarders",
            "Gender (name)": "Mixed",
            "SchoolCapacity": str(rng.randint(30, 1500)),
            "NumberOfPupils": str(rng.randint(20, 1400)),
            "Street": f"{i % 300} Church Road",
            "Locality": "Upper End",
            "Town": "Townsville",
            "Postcode": POSTCODES[la],
            "SchoolWebsite": f"www.school{i}.example.org",
            "TelephoneNum": f"0{rng.randint(1000000000, 1999999999)}",
            "HeadFirstName": "Sam",
            "HeadLastName": "Taylor",
            "GOR (name)": "North West",
            "Easting": str(rng.randint(330000, 380000)),
            "Northing": str(rng.randint(370000, 410000)),
            "Country (name)": "United Kingdom",
        }
        writer.writerow(row.values())
    return out.getvalue().encode("cp1252")


def _floor(content: bytes) -> float:
    """Reading the same file with the csv module alone: decoding it and splitting every row."""
    started = time.perf_counter()
    count = sum(1 for _row in csv.reader(io.StringIO(content.decode("cp1252"), newline="")))
    assert count == ROWS + 1
    return time.perf_counter() - started


def measure_gias_import(officer: User, today: date) -> dict:
    content = gias_extract()
    floor = _floor(content)
    started = time.perf_counter()
    upload, plan = import_check(
        spec=GIAS_IMPORT, user=officer, filename="edubasealldata.csv", content=content, today=today
    )
    if plan.problems or not plan.new:
        raise RuntimeError(f"The bench extract should add settings: {plan.problems[:3]}")
    import_commit(spec=GIAS_IMPORT, user=officer, upload=upload, today=today)
    took = time.perf_counter() - started
    return {
        "gias_import_s_50000": round(took, 2),
        "gias_import_floor_ratio": round(took / floor, 1),
        "gias_import_settings_added": len(plan.new),
        "gias_import_mb": round(len(content) / 2**20, 1),
    }
