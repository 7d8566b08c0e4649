"""The Annex A return: every sheet and column, values that match the app, nothing that identifies a child."""

import hashlib
import io
import zipfile
from datetime import date, timedelta

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from attendance.models import AttendanceMark
from attendance.rules import attendance_percentage, attendance_totals
from casework.models import Destination, EndReason
from children.models import Child
from core.models import AuditAction, AuditEvent, Membership, User
from demo.borough import borough_build
from inspection.annex_a import CHILD_COLUMNS, DESTINATION_COLUMNS, DSR_COLUMNS, PROVIDER_COLUMNS, SETTING_COLUMNS
from inspection.models import Inspection
from placements.models import Placement
from tests.factories import PlacementFactory
from tests.helpers import date_fields

pytestmark = pytest.mark.django_db

SHEETS = ["In AP now", "In AP last 6 months", "DSR and CETR", "Providers", "Data dictionary"]


@pytest.fixture
def officer():
    borough_build(children=60, seed=11)
    return User.objects.get(username="la-officer")


@pytest.fixture
def inspection(client, officer):
    client.force_login(officer)
    today = date.today()
    data = {
        **date_fields("notified_on", today),
        **date_fields("visit_starts_on", today + timedelta(days=7)),
        **date_fields("visit_ends_on", today + timedelta(days=11)),
        "lead_inspector": "Jo Inspector",
    }
    assert client.post(reverse("inspection_new"), data).status_code == 302
    return Inspection.objects.get(lead_inspector="Jo Inspector")  # the demo has one of its own


def workbook(client, inspection) -> dict[str, list[list]]:
    response = client.get(reverse("annex_a_download", args=[inspection.public_id, "xlsx"]))
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}, response.content


def test_every_sheet_and_column_is_there_with_its_date(client, inspection):
    sheets, _ = workbook(client, inspection)
    assert list(sheets) == SHEETS
    expected = {
        "In AP now": CHILD_COLUMNS + SETTING_COLUMNS,
        "In AP last 6 months": CHILD_COLUMNS + SETTING_COLUMNS + DESTINATION_COLUMNS,
        "DSR and CETR": DSR_COLUMNS,
        "Providers": PROVIDER_COLUMNS,
    }
    for name, columns in expected.items():
        rows = sheets[name]
        assert rows[1][0].startswith(f"Data as at {date.today():%d/%m/%Y}")
        assert rows[3][: len(columns)] == [c.header for c in columns]
        assert len(rows) > 4, name
    dictionary = {(r[0], r[1]) for r in sheets["Data dictionary"][4:]}
    for name, columns in expected.items():
        assert {(name, c.header) for c in columns} <= dictionary


def test_attendance_percentage_equals_the_apps_own_figure(client, inspection, officer):
    sheets, _ = workbook(client, inspection)
    header = sheets["In AP now"][3]
    at = {h: i for i, h in enumerate(header)}
    checked = 0
    for placement in Placement.objects.filter(end_date__isnull=True, start_date__lte=date.today()).select_related(
        "child", "provider__organisation"
    )[:15]:
        pseudonym = inspection.pseudonym(placement.child.public_id)
        rows = [
            r
            for r in sheets["In AP now"][4:]
            if r[0] == pseudonym
            and r[at["Setting"]] == placement.provider.name
            and r[at["Start date"]] == f"{placement.start_date:%d/%m/%Y}"
        ]
        assert len(rows) == 1
        totals = attendance_totals(AttendanceMark.objects.filter(placement=placement), "placement_id")
        expected = attendance_percentage(totals[0]["attended"], totals[0]["possible"]) if totals else None
        cell = rows[0][at["Attendance %"]]
        assert (cell == "" and expected is None) or pytest.approx(float(expected)) == cell
        checked += expected is not None
    assert checked


def test_no_name_date_of_birth_upn_or_address_is_in_the_return(client, inspection):
    _, content = workbook(client, inspection)
    zipped = client.get(reverse("annex_a_download", args=[inspection.public_id, "zip"])).content
    texts = []
    for blob in (content, zipped):
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            texts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    everything = "\n".join(texts)
    for child in Child.objects.all():
        assert child.upn not in everything
        assert f"{child.first_name} {child.last_name}" not in everything
        assert f"{child.date_of_birth:%d/%m/%Y}" not in everything or child.date_of_birth > date.today() - timedelta(
            days=365 * 2
        )
    assert "<f>" not in everything, "no cell is a formula"


def test_ids_differ_between_inspections_and_are_no_plain_hash(officer, inspection):
    child = Child.objects.first()
    other = Inspection.objects.create(
        area=inspection.area,
        notified_on=inspection.notified_on,
        visit_starts_on=inspection.visit_starts_on,
        visit_ends_on=inspection.visit_ends_on,
        lead_inspector="Another",
        created_by=officer,
    )
    assert inspection.pseudonym(child.public_id) != other.pseudonym(child.public_id)
    token = inspection.pseudonym(child.public_id)[3:].lower()
    for plain in (
        child.upn,
        child.first_name + child.last_name,
        str(child.pk),
        str(child.public_id),
        child.public_id.hex,
    ):
        for algorithm in ("sha256", "sha1", "md5"):
            assert not hashlib.new(algorithm, plain.encode()).hexdigest().startswith(token)


def test_the_la_maps_an_id_back_to_the_child_during_the_inspection(client, inspection):
    child = Child.objects.first()
    page = client.post(
        reverse("inspection_detail", args=[inspection.public_id]), {"pseudonym": inspection.pseudonym(child.public_id)}
    )
    assert page.context["found"] == child
    assert AuditEvent.objects.filter(action=AuditAction.PSEUDONYM_RESOLVED, object_id=child.public_id).exists()
    wrong = client.post(reverse("inspection_detail", args=[inspection.public_id]), {"pseudonym": "AP-0000000000"})
    assert "No child of the area has this id" in wrong.content.decode()


def test_downloads_are_audited_and_refused_without_the_permission(client, inspection, officer):
    sheets, _ = workbook(client, inspection)
    exported = AuditEvent.objects.get(action=AuditAction.ANNEX_A_EXPORTED, user=officer)
    # On the access log of each child the return holds (issue 9, item 5), and of no other.
    ids = {cell for rows in sheets.values() for row in rows for cell in row if str(cell).startswith("AP-")}
    named = {c.public_id for c in Child.objects.all() if inspection.pseudonym(c.public_id) in ids}
    assert named
    assert {c.child_public_id for c in exported.children.all()} == named
    Membership.objects.filter(user=officer).update(may_export_returns=False)
    refused = client.get(reverse("annex_a_download", args=[inspection.public_id, "xlsx"]))
    assert refused.status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.ANNEX_A_REFUSED, user=officer).exists()


def test_another_role_cannot_reach_the_return(client, inspection):
    # The inspection is the LA's business: to a school it does not exist.
    client.force_login(User.objects.get(username="school-lead"))
    assert client.get(reverse("annex_a_download", args=[inspection.public_id, "xlsx"])).status_code == 404
    assert client.get(reverse("inspection_list")).status_code == 404


def test_a_return_with_no_children_is_still_a_valid_workbook_saying_so(client, officer):
    from inspection.annex_a import annex_a_sheets, workbook_bytes

    inspection = Inspection.objects.create(
        area=officer.primary_organisation.area,
        notified_on=date.today(),
        visit_starts_on=date.today(),
        visit_ends_on=date.today(),
        lead_inspector="Jo",
        created_by=officer,
    )
    nobody = User.objects.create(username="nobody")
    sheets = annex_a_sheets(user=nobody, inspection=inspection, today=date.today())
    book = CalamineWorkbook.from_filelike(io.BytesIO(workbook_bytes(sheets, inspection=inspection)))
    rows = book.get_sheet_by_name("In AP now").to_python()
    assert rows[4][0] == "No children meet this description on this date."


def test_the_now_sheet_marks_planned_placements_and_says_how_many_rows_children_and_planned(client, inspection):
    """Annex A's "now" list has a row for every setting a current child attends or attended; a planned one says so."""
    today = date.today()
    current = Placement.objects.filter(end_date__isnull=True, start_date__lte=today).select_related("child").first()
    other = Placement.objects.exclude(provider=current.provider).select_related("provider").first().provider
    planned = PlacementFactory(
        child=current.child,
        provider=other,
        start_date=today + timedelta(days=20),
        end_date=today + timedelta(days=60),
    )
    sheets, _ = workbook(client, inspection)
    now = sheets["In AP now"]
    header = now[3]
    rows = now[4:]
    status = [row[header.index("Status")] for row in rows]
    assert set(status) <= {"Attending", "Ended", "Planned, not started"}
    starts = [date.fromisoformat("-".join(reversed(row[header.index("Start date")].split("/")))) for row in rows]
    assert [s == "Planned, not started" for s in status] == [start > today for start in starts]
    planned_rows = status.count("Planned, not started")
    assert planned_rows >= 1
    pseudonym = inspection.pseudonym(planned.child.public_id)
    assert any(row[0] == pseudonym and row[header.index("Setting")] == other.name for row in rows)
    children = len({row[0] for row in rows})
    summary = (
        f"Rows: {len(rows)}. Children: {children}. "
        f'Rows for placements planned but not started: {planned_rows} (Status "Planned, not started").'
    )
    assert now[2][0] == summary
    with zipfile.ZipFile(
        io.BytesIO(client.get(reverse("annex_a_download", args=[inspection.public_id, "zip"])).content)
    ) as archive:
        lines = archive.read("1-in-ap-now.csv").decode("utf-8-sig").splitlines()
    assert lines[2] == f'"{summary.replace(chr(34), chr(34) * 2)}"'
    dictionary = {(r[0], r[1]): r[2] for r in sheets["Data dictionary"][4:]}
    assert "Planned, not started" in dictionary[("In AP now", "Status")]


def test_the_six_months_sheet_gives_attendance_for_every_setting_left(client, inspection):
    sheets, _ = workbook(client, inspection)
    recent = sheets["In AP last 6 months"]
    header = recent[3]
    ended = [row for row in recent[4:] if row[header.index("Status")] == "Ended"]
    assert ended
    assert all(row[header.index("Attendance %")] != "" for row in ended)
    # How each ended and where the child went: the placement's exit (casework.PlacementExit, issue 12, item 2).
    reasons = {row[header.index("Reason the placement ended")] for row in ended}
    destinations = {row[header.index("Destination after leaving AP")] for row in ended}
    assert "" not in reasons
    assert reasons <= set(dict(EndReason.choices).values())
    assert "" not in destinations
    assert destinations <= set(dict(Destination.choices).values())


def test_a_refused_act_answers_403_and_is_audited_once(client, inspection, officer):
    """Issue 10, item 2: "not permitted" is 403, audited once, whether a view or a service refuses."""
    Membership.objects.filter(user=officer).update(may_export_returns=False)
    before = AuditEvent.objects.count()
    today = date.today()
    data = {
        **date_fields("notified_on", today),
        **date_fields("visit_starts_on", today + timedelta(days=7)),
        **date_fields("visit_ends_on", today + timedelta(days=11)),
        "lead_inspector": "Jo Inspector",
    }
    response = client.post(reverse("inspection_new"), data)
    assert response.status_code == 403
    refusals = AuditEvent.objects.order_by("pk")[before:]
    assert [e.action for e in refusals] == [AuditAction.ANNEX_A_REFUSED]


def test_a_service_refusing_after_the_visit_is_audited_by_the_one_handler(client, inspection, officer):
    Inspection.objects.filter(pk=inspection.pk).update(
        notified_on=date.today() - timedelta(days=20),
        visit_starts_on=date.today() - timedelta(days=10),
        visit_ends_on=date.today() - timedelta(days=6),
    )
    response = client.post(reverse("inspection_detail", args=[inspection.public_id]), {"pseudonym": "AP-0000000000"})
    assert response.status_code == 403
    refusal = AuditEvent.objects.get(user=officer, action=AuditAction.NOT_PERMITTED)
    assert refusal.detail["reason"] == "The visit has ended, so its ids can no longer be looked up."
