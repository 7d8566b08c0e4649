"""Importing a list of children: checked first, all or nothing, the same file twice changes nothing."""

import io
import re
from datetime import date

import pytest
from django.db import IntegrityError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from children.imports import TITLES, code_of, yes_no
from children.models import Child, ChildImport
from core.codes import code_set
from core.imports import ImportPlan, uploaded_list_write
from core.models import AuditAction, AuditEvent
from tests.factories import ChildFactory, valid_upn
from tests.import_helpers import CHILD_HEADINGS, CHILDREN, as_csv
from tests.import_helpers import child_row as row

pytestmark = pytest.mark.django_db

FIELDS = {
    "first_name": "Ada",
    "last_name": "Clash",
    "date_of_birth": date(2012, 3, 14),
    "gender": "F",
    "ethnicity": "WBRI",
    "sen_provision": "K",
    "ehc_plan_status": "none",
}
HEADINGS = CHILD_HEADINGS
upload, confirm, problems_of = CHILDREN.upload, CHILDREN.confirm, CHILDREN.problems


def test_the_la_imports_children_and_the_same_file_again_changes_nothing(client, la_officer, area, school):
    client.force_login(la_officer)
    rows = [row(i, **{"Home school URN": school.urn, "Looked after": "Y" if i == 2 else "N"}) for i in range(1, 4)]
    checked, response = upload(client, rows)
    assert response.url == reverse("children_import_detail", args=[checked.public_id])
    page = client.get(response.url)
    assert page.context["summary"].new == 3
    assert Child.objects.count() == 0, "nothing is written before it is confirmed"
    assert confirm(client, checked).url == reverse("child_list")
    assert Child.objects.filter(area=area, home_school=school).count() == 3
    looked_after = Child.objects.get(upn=valid_upn(2))
    assert looked_after.looked_after
    assert looked_after.looked_after_by == area
    assert looked_after.history.get().history_user == la_officer
    assert AuditEvent.objects.filter(action=AuditAction.CHILDREN_IMPORTED, detail__new=3).exists()
    again, _response = upload(client, rows)
    plan = client.get(reverse("children_import_detail", args=[again.public_id])).context["summary"]
    assert (plan.new, plan.changed, plan.unchanged) == (0, 0, 3)
    assert not plan.can_commit


def test_a_changed_row_brings_the_record_up_to_date_and_keeps_the_history(client, la_officer, area):
    child = ChildFactory(area=area, upn=valid_upn(7), health_needs="Asthma")
    client.force_login(la_officer)
    checked, _response = upload(client, [row(7, **{"SEN provision": "E", "Last name": child.last_name})])
    plan = client.get(reverse("children_import_detail", args=[checked.public_id])).context["summary"]
    assert plan.changes[0][0] == valid_upn(7)
    assert "SEN provision" in plan.changes[0][1]
    confirm(client, checked)
    child.refresh_from_db()
    assert child.sen_provision == "E"
    assert child.health_needs == "Asthma", "a column the file does not have is left as it is"
    assert child.history.count() == 2


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        ({"UPN": "A12345678901B"}, "UPN", "first letter of this UPN"),
        ({"UPN": ""}, "UPN", "is empty"),
        ({"Date of birth": "31/02/2012"}, "Date of birth", ""),
        ({"Date of birth": "14/03/1990"}, "Date of birth", "between 4 and 19"),
        ({"Gender": "X"}, "Gender", "must be one of: M, F"),
        ({"Ethnicity": "Martian"}, "Ethnicity", "see the data dictionary"),
        ({"SEN provision": "Q"}, "SEN provision", "must be one of"),
        ({"Looked after": "maybe"}, "Looked after", "must be Y or N"),
        ({"Home school URN": "999999"}, "Home school URN", "not the URN of a school"),
        ({"EHC plan status": "soon"}, "EHC plan status", "has, had, being assessed"),
        ({"Looked after": "N", "Responsible LA": "877"}, "Responsible LA", "only for a looked-after child"),
        ({"First name": "x" * 101}, "First name", "longer than 100"),
    ],
)
def test_every_bad_cell_is_named_by_row_and_column_and_nothing_is_saved(client, la_officer, cells, column, words):
    client.force_login(la_officer)
    checked, _response = upload(client, [row(1), row(2, **cells)])
    problems = problems_of(client, checked)
    assert any(r == 3 and c == column and words in rule for r, c, _v, rule in problems), problems
    assert checked.status == ChildImport.Status.REJECTED
    assert confirm(client, checked).url == reverse("children_import_detail", args=[checked.public_id])
    assert Child.objects.count() == 0


def test_a_file_that_cannot_be_read_says_why(client, la_officer):
    client.force_login(la_officer)
    checked, _response = upload(client, b"UPN,First name\n", "children.csv")
    assert any("no rows of data" in rule for *_x, rule in problems_of(client, checked))
    checked, _response = upload(client, b"UPN,First name\nA,B\n", "children.csv")
    assert any("The column 'Date of birth' is missing" in rule for *_x, rule in problems_of(client, checked))
    checked, _response = upload(client, b"\x00\x01binary", "children.xls")
    assert problems_of(client, checked)


def test_the_same_upn_twice_in_a_file_is_refused(client, la_officer):
    client.force_login(la_officer)
    checked, _response = upload(client, [row(1), row(1, **{"First name": "Bea"})])
    assert any(c == "UPN" and "also on row 2" in rule for _r, c, _v, rule in problems_of(client, checked))


def test_a_school_imports_its_own_pupils_only(client, school_lead, school, other_school, area):
    client.force_login(school_lead)
    checked, _response = upload(client, [row(1, **{"Home school URN": other_school.urn})])
    assert "your own school's URN" in problems_of(client, checked)[0][3]
    checked, _response = upload(client, [row(1)])
    confirm(client, checked)
    assert Child.objects.get(upn=valid_upn(1)).home_school == school


def _check_page(client, upn_serial: int) -> tuple[list, int, int, str]:
    """What the importer learns from the check page for a file of one child: problems, new, changed, page text."""
    checked, response = upload(client, [row(upn_serial)])
    page = client.get(response.url)
    plan = page.context["summary"]
    text = page.content.decode().replace(valid_upn(upn_serial), "UPN").replace(str(checked.public_id), "ID")
    text = text.replace(f"Child{upn_serial}", "Child")
    text = re.sub(r'(nonce|value)="[^"]*"', "", text)  # a fresh nonce and CSRF token on every page
    return [(p.row, p.column, p.rule) for p in plan.problems], plan.new, plan.changed, text


def test_a_child_the_importer_may_not_see_reads_as_one_never_recorded(
    client, school_lead, la_officer, other_school, area
):
    """Issue 9, item 4: neither a school nor the LA can test whether a UPN is recorded elsewhere."""
    from tests.factories import AreaFactory

    elsewhere = AreaFactory(name="Halton", la_code="876", ons_code="E06000006")
    ChildFactory(area=elsewhere, upn=valid_upn(9))
    ChildFactory(area=area, home_school=other_school, upn=valid_upn(5))
    for user, hidden in ((school_lead, 5), (school_lead, 9), (la_officer, 9)):
        client.force_login(user)
        assert _check_page(client, hidden) == _check_page(client, 7), (user, hidden)
    # Confirming too: the school gets a record of its own, recorded twice for the LA to settle (test_recorded_twice).
    client.force_login(school_lead)
    for serial in (5, 7):
        checked, _response = upload(client, [row(serial)])
        assert confirm(client, checked).status_code == 302
    assert Child.objects.filter(upn=valid_upn(5), home_school=other_school, recorded_twice_as=None).exists()
    assert Child.objects.filter(upn=valid_upn(5)).exclude(recorded_twice_as=None).exists()


def test_only_the_la_and_schools_import_and_only_the_uploader_sees_the_file(client, la_officer, school_lead, school):
    from core.models import Membership
    from tests.factories import OrganisationFactory, member_of

    client.force_login(la_officer)
    checked, _response = upload(client, [row(1)])
    client.force_login(school_lead)
    assert client.get(reverse("children_import_detail", args=[checked.public_id])).status_code == 404
    assert confirm(client, checked).status_code == 404
    provider_org = OrganisationFactory(kind="ap_provider", area=school.area)
    client.force_login(member_of(provider_org, Membership.Role.OFFICE_MANAGER))
    assert client.get(reverse("children_import")).status_code == 404
    assert client.get(reverse("children_import_template")).status_code == 404


def test_the_template_has_every_column_and_no_child(client, la_officer, area):
    ChildFactory(area=area)
    client.force_login(la_officer)
    body = client.get(reverse("children_import_template")).content.decode("utf-8-sig")
    assert body.strip().split(",") == list(TITLES.values())


def test_the_excel_template_offers_the_codes_and_is_read_back(client, la_officer):
    import zipfile

    client.force_login(la_officer)
    workbook = client.get(reverse("children_import_template"), {"format": "xlsx"}).content
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        codes = archive.read("xl/sharedStrings.xml").decode()
    assert sheet.count("<dataValidation ") == 11, "five coded columns, the EHC plan status and five Y/N columns"
    assert "WBRI" in codes
    assert "White - British" in codes
    checked, _response = upload(client, workbook, "children-template.xlsx")
    assert any("no rows of data" in rule for *_x, rule in problems_of(client, checked))


def test_an_excel_file_is_read_like_a_csv(client, la_officer):
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADINGS)
    sheet.write_row(1, 0, list(row(1).values())[:3] + [date(2012, 3, 14)] + list(row(1).values())[4:])
    book.close()
    client.force_login(la_officer)
    checked, _response = upload(client, out.getvalue(), "children.xlsx")
    assert CHILDREN.problems(client, checked) == []
    CHILDREN.confirm(client, checked)
    assert Child.objects.get().date_of_birth == date(2012, 3, 14)


@given(st.sampled_from(["ethnicity", "gender", "sen_provision", "sen_primary_need"]), st.data())
def test_a_code_is_read_from_its_code_or_its_words_in_any_case(set_name, data):
    code = data.draw(st.sampled_from(list(code_set(set_name).values())))
    written = data.draw(st.sampled_from([code.code, code.label]))
    written = data.draw(st.sampled_from([written, written.upper(), written.lower(), f"  {written} "]))
    assert code_of(set_name, written) == code.code


@given(st.text(max_size=6))
def test_yes_no_is_yes_no_or_nothing(text):
    assert yes_no(text) in (True, False, None)
    assert yes_no(" Yes ") is True
    assert yes_no("") is False


def test_checking_a_file_costs_the_same_queries_for_5_and_100_children(client, la_officer, school):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(la_officer)

    def queries(count: int) -> int:
        rows = [row(i, **{"Home school URN": school.urn, "Looked after": "Y"}) for i in range(count)]
        with CaptureQueriesContext(connection) as captured:
            upload(client, rows)
        return len(captured)

    assert queries(5) == queries(100)


def test_a_child_added_after_the_check_is_brought_up_to_date_not_added_twice(client, la_officer, area):
    client.force_login(la_officer)
    checked, _response = upload(client, [row(1), row(2)])
    ChildFactory(area=area, upn=valid_upn(2), first_name="Added", last_name="Meanwhile")
    confirm(client, checked)
    assert Child.objects.count() == 2
    assert Child.objects.get(upn=valid_upn(2)).last_name == "Child2"


def test_a_clash_at_the_moment_of_writing_keeps_nothing_of_the_file(la_officer, area):
    """Two imports at once: the database's unique UPN stops the second, and all of it."""
    first = Child(area=area, upn=valid_upn(1), **FIELDS)
    clash = Child(area=area, upn=valid_upn(2), **FIELDS)
    ChildFactory(area=area, upn=valid_upn(2))
    upload_record = ChildImport.objects.create(
        area=area, uploaded_by=la_officer, filename="x.csv", sha256="", content=b""
    )
    with pytest.raises(IntegrityError):
        uploaded_list_write(
            user=la_officer,
            upload=upload_record,
            plan=ImportPlan(new=[first, clash]),
            records=Child,
            action=AuditAction.CHILDREN_IMPORTED,
        )
    assert not Child.objects.filter(upn=valid_upn(1)).exists()


def test_of_a_refused_file_only_its_problems_are_kept(client, la_officer):
    """Issue 9: refused files were kept whole; now nothing of them stays but what was wrong."""
    client.force_login(la_officer)
    checked, _response = upload(client, [row(1), row(2, **{"Gender": "Q"})])
    checked.refresh_from_db()
    assert checked.status == ChildImport.Status.REJECTED
    assert bytes(checked.content) == b""
    assert checked.sha256 == ""
    assert "Ada" not in str(checked.problems), "the rows without a problem are not kept"
    assert [(r, c) for r, c, _v, _rule in problems_of(client, checked)] == [(3, "Gender")]
    body = client.get(reverse("children_import_problems", args=[checked.public_id])).content.decode("utf-8-sig")
    assert "Gender" in body


def test_a_file_over_the_limit_is_told_its_real_size_and_not_kept(client, la_officer):
    client.force_login(la_officer)
    sixty_mb = as_csv([row(1)]) + b"x" * (60 * 1024 * 1024)
    checked, _response = upload(client, sixty_mb)
    (problem,) = problems_of(client, checked)
    assert f"The file is {len(sixty_mb) / (1024 * 1024):.1f} MB" in problem[3]
    assert "60.0 MB" in problem[3]
    assert bytes(ChildImport.objects.get(pk=checked.pk).content) == b""


def test_the_check_page_shows_what_the_check_kept_and_never_reads_the_file_again(client, la_officer, monkeypatch):
    """Issue 10, item 5: the page re-read and re-planned the whole file on every view."""
    import core.imports

    client.force_login(la_officer)
    child = ChildFactory(area=la_officer.primary_organisation.area, upn=valid_upn(2), health_needs="")
    checked, response = upload(client, [row(1), row(2, **{"Last name": child.last_name, "Health needs": "Asthma"})])
    kept = ChildImport.objects.get(pk=checked.pk).summary
    assert (kept["new"], kept["changed"], kept["unchanged"]) == (1, 1, 0)

    def never(*args, **kwargs):
        raise AssertionError("the check page read the file again")

    monkeypatch.setattr(core.imports, "read_rows", never)
    page = client.get(response.url)
    summary = page.context["summary"]
    assert (summary.new, summary.changed, summary.unchanged, summary.problems) == (1, 1, 0, [])
    [(upn, fields)] = summary.changes
    assert (upn, fields.endswith("health needs")) == (valid_upn(2), True)
    assert f"{valid_upn(2)}: {fields}" in page.content.decode()
    shown = " ".join(re.sub(r"<[^>]+>", " ", page.content.decode()).split())
    assert "Children to add 1" in shown
    assert "Children to bring up to date 1" in shown
    assert client.get(reverse("children_import_problems", args=[checked.public_id])).status_code == 200
    monkeypatch.undo()
    confirm(client, checked)
    assert Child.objects.get(upn=valid_upn(2)).health_needs == "Asthma"
