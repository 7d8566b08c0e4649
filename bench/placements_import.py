"""The placements import benchmark: checking and then importing one placement for each of 5,000 children.

Run after the children import benchmark, whose 5,000 children have no placement yet.
"""

import csv
import io
from datetime import date, timedelta

from bench.children_import import ROWS, _upn, measure_import
from core.models import User
from placements.imports import PLACEMENTS_IMPORT
from providers.models import APPROVED, Provider, Registration
from providers.selectors import with_approval_status

HEADINGS = [
    "UPN",
    "Provider URN or UKPRN",
    "Type of provision",
    "Reason",
    "Start date",
    "Full or part time",
    "Hours per week",
    "Registration",
    "Main roll",
    "Commissioner URN",
    "Planned end date",
    "Residential",
    "Journey minutes",
    "Timetable",
    "Why this provider",
]


def _file(officer: User, today: date) -> bytes:
    area = officer.primary_organisation.area
    urns = list(
        with_approval_status(Provider.objects.filter(organisation__area=area))
        .exclude(organisation__urn="")
        .values_list("organisation__urn", "registration", "approval_status")
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    for i in range(ROWS):
        start = today - timedelta(days=i % 200)
        full_time = i % 3 == 0
        writer.writerow(
            [
                _upn(i),
                urns[i % len(urns)][0],
                # The type of provision that matches the provider's registration.
                "PRU or AP academy" if urns[i % len(urns)][1] == Registration.STATE_MAINTAINED else "Independent AP",
                "apc_pex",
                start.strftime("%d/%m/%Y"),
                "Full time" if full_time else "Part time",
                "27.5" if full_time else "15",
                "Dual",
                "Home school",
                "",
                (start + timedelta(days=84)).strftime("%d/%m/%Y"),
                "N",
                str(10 + i % 50),
                # Left empty, a full-time placement is at every session; 15 hours part time fit in five.
                "" if full_time else "Mon, Tue, Wed AM",
                # A provider the area has not approved needs the commissioner's reason for choosing it.
                "" if urns[i % len(urns)][2] in APPROVED else "The nearest setting with a place this term",
            ]
        )
    return out.getvalue().encode()


def measure_placements_import(backend: str, officer: User, today: date) -> dict:
    return measure_import(PLACEMENTS_IMPORT, _file(officer, today), backend, officer, today)
