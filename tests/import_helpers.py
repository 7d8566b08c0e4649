"""Rows, files and the steps of an import (upload, check page, confirm), shared by the import tests."""

import csv
import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from children.imports import CHILDREN_IMPORT
from core.imports import import_check
from placements.imports import PLACEMENTS_IMPORT
from tests.factories import valid_upn

CHILD_HEADINGS = ["UPN", "First name", "Last name", "Date of birth", "Gender", "Ethnicity", "SEN provision"]


def child_row(serial: int, **overrides) -> dict:
    """A child of the list of children: a girl with SEN support, born 14 March 2012."""
    cells = {
        "UPN": valid_upn(serial),
        "First name": "Ada",
        "Last name": f"Child{serial}",
        "Date of birth": "14/03/2012",
        "Gender": "F",
        "Ethnicity": "WBRI",
        "SEN provision": "K",
    }
    cells.update(overrides)
    return cells


def placement_row(serial: int, provider, **overrides) -> dict:
    """A row the LA commissions: a part-time placement of 15 hours in five sessions."""
    cells = {
        "UPN": valid_upn(serial),
        "Provider": provider.organisation.urn,
        "Type of provision": "PRU or AP academy",
        "Reason": "apc_pex",
        "Start date": "01/09/2025",
        "Full or part time": "Part time",
        "Hours per week": "15",
        "Registration": "Dual",
        "Main roll": "Home school",
        "Timetable": "Mon, Tue, Wed AM",
    }
    cells.update(overrides)
    return cells


def as_csv(rows: list[dict], headings: list[str] = CHILD_HEADINGS) -> bytes:
    """The rows as a CSV file, with every heading any row has (the given headings for no rows)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, list(dict.fromkeys(h for r in rows for h in r)) if rows else headings)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


class Importer:
    """The pages of one kind of import, as a signed-in client goes through them."""

    def __init__(self, spec, filename: str):
        self.spec, self.name, self.filename = spec, spec.name, filename

    def upload(self, client, rows, filename: str | None = None):
        content = rows if isinstance(rows, bytes) else as_csv(rows)
        file = SimpleUploadedFile(filename or self.filename, content)
        response = client.post(reverse(self.name), {"file": file})
        return self.spec.model.objects.order_by("-pk").first(), response

    def confirm(self, client, upload):
        return client.post(reverse(f"{self.name}_confirm", args=[upload.public_id]))

    def summary(self, client, upload):
        """What the check page shows: what the check found, as kept with the file."""
        return client.get(reverse(f"{self.name}_detail", args=[upload.public_id])).context["summary"]

    def problems(self, client, upload) -> list[tuple]:
        return [(p.row, p.column, p.value, p.rule) for p in self.summary(client, upload).problems]

    def planned(self, user, rows, today=None):
        """The plan itself, records and all, as the check makes it for this user's file."""
        content = rows if isinstance(rows, bytes) else as_csv(rows)
        today = today or date.today()
        return import_check(spec=self.spec, user=user, filename=self.filename, content=content, today=today)[1]


CHILDREN = Importer(CHILDREN_IMPORT, "children.csv")
PLACEMENTS = Importer(PLACEMENTS_IMPORT, "placements.csv")
