"""Workbooks we write: a text cell from data that a spreadsheet could run as a formula is neutralised as in the CSVs."""

import csv
import io
import zipfile
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from core.csv_export import FORMULA_PREFIXES, escape_cell
from core.models import Membership
from core.xlsx_export import data_cells
from inspection.models import Inspection
from tests.attendance_helpers import TODAY, make_setting
from tests.factories import ChildFactory, OrganisationFactory, PlacementFactory, ProviderFactory

pytestmark = pytest.mark.django_db

RISKY = ['=HYPERLINK("http://x")', "+44 7700", "-2+3", "@SUM(A1)", "\tTab", "\rReturn", "|pipe", "%0A"]


def _sheet(content: bytes, name: str) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name(name).to_python()


@given(st.one_of(st.text(), st.sampled_from(RISKY), st.integers(), st.floats(allow_nan=False), st.none()))
def test_a_data_cell_is_escaped_exactly_as_a_csv_cell_and_numbers_stay_numbers(value):
    [cell] = data_cells([value])
    if isinstance(value, str):
        assert cell == escape_cell(value)
        assert not cell.startswith(FORMULA_PREFIXES)
    else:
        assert cell == ("" if value is None else value)


def test_the_register_template_workbook_escapes_names_and_keeps_its_drop_downs(client, area):
    with time_machine.travel(TODAY, tick=False):
        setting = make_setting(area, children=len(RISKY))
        for child, risky in zip(setting.children, RISKY, strict=True):
            child.first_name = risky
            child.save()
        client.force_login(setting.manager)
        response = client.get(reverse("attendance_template"), {"format": "xlsx"})
    assert response.status_code == 200
    names = {row[0] for row in _sheet(response.content, "Register")[1:]}
    assert names == {escape_cell(f"{c.first_name} {c.last_name}") for c in setting.children}
    assert all(name.startswith("'") for name in names)
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<formula1>Codes!$B$" in sheet, "the template's drop-downs are still formulas of their own"


@pytest.fixture
def annex_a(client, area, la_officer, school):
    Membership.objects.filter(user=la_officer).update(may_export_returns=True)
    commissioner = OrganisationFactory(area=area, kind=school.kind, name="=cmd|' /C calc'!A0")
    for risky in RISKY:
        provider = ProviderFactory(organisation__area=area, organisation__name=risky)
        child = ChildFactory(area=area, home_school=school)
        PlacementFactory(child=child, provider=provider, commissioner=commissioner)
    inspection = Inspection.objects.create(
        area=area,
        notified_on=date.today(),
        visit_starts_on=date.today() + timedelta(days=7),
        visit_ends_on=date.today() + timedelta(days=11),
        lead_inspector="Jo Inspector",
        created_by=la_officer,
    )
    client.force_login(la_officer)
    return inspection


def test_annex_a_workbook_cells_read_back_as_the_csv_cells(client, annex_a):
    book = client.get(reverse("annex_a_download", args=[annex_a.public_id, "xlsx"])).content
    zipped = client.get(reverse("annex_a_download", args=[annex_a.public_id, "zip"])).content
    for sheet_name, csv_name in (("In AP now", "1-in-ap-now.csv"), ("Providers", "4-providers.csv")):
        rows = _sheet(book, sheet_name)
        header_at = next(i for i, row in enumerate(rows) if row[0] in ("Pseudonymised id", "Setting"))
        settings = {row[rows[header_at].index("Setting")] for row in rows[header_at + 1 :]}
        assert {escape_cell(r) for r in RISKY} <= settings, sheet_name
        with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
            text = archive.read(csv_name).decode("utf-8-sig")
        csv_rows = list(csv.reader(io.StringIO(text)))
        csv_header_at = next(i for i, row in enumerate(csv_rows) if row and row[0] == rows[header_at][0])
        csv_settings = {row[csv_rows[csv_header_at].index("Setting")] for row in csv_rows[csv_header_at + 1 :]}
        assert settings == csv_settings, sheet_name
    now = _sheet(book, "In AP now")
    header = next(row for row in now if row[0] == "Pseudonymised id")
    commissioners = {row[header.index("Commissioner")] for row in now[now.index(header) + 1 :]}
    assert commissioners == {escape_cell("=cmd|' /C calc'!A0")}
