"""Recording marks from a file: preview, all-or-nothing commit, idempotent re-upload, every bad input named."""

from datetime import date

import pytest
import time_machine

from attendance.imports import ATTENDANCE_UPLOAD
from attendance.ingest import RawMark, plan_marks
from attendance.models import AttendanceBatch, AttendanceMark, AttendanceMarkChange
from attendance.reading import read_register_file
from attendance.services import marks_commit
from children.upn import check_letter
from core.imports import import_check, import_commit
from tests.attendance_helpers import TODAY, make_setting, register_csv, week_of_marks
from tests.factories import ProviderFactory, member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def setting(area):
    return make_setting(area)


def upload(setting, content, filename="register.csv"):
    return import_check(spec=ATTENDANCE_UPLOAD, user=setting.manager, filename=filename, content=content, today=TODAY)


def commit(checked):
    """Confirm a checked file; the batch its marks were written in, if any."""
    import_commit(spec=ATTENDANCE_UPLOAD, user=checked.uploaded_by, upload=checked, today=TODAY)
    return checked.batch


def test_preview_counts_then_commit_writes_every_mark(setting):
    content = register_csv(week_of_marks(setting, date(2026, 11, 16), date(2026, 11, 20)))
    preview, plan = upload(setting, content)
    assert (len(plan.new), len(plan.changed), plan.unchanged, plan.problems) == (30, 0, 0, [])
    assert AttendanceMark.objects.count() == 0, "a preview writes nothing"
    batch = commit(preview)
    assert AttendanceMark.objects.count() == 30
    assert batch.created_by == setting.manager
    assert set(AttendanceMark.objects.values_list("code", flat=True)) == {"/", "\\"}, (
        "present is / in the morning, \\ after"
    )


def test_re_uploading_the_same_file_changes_nothing(setting):
    content = register_csv(week_of_marks(setting, date(2026, 11, 16), date(2026, 11, 20)))
    commit(upload(setting, content)[0])
    before = list(AttendanceMark.objects.order_by("pk").values_list("pk", "code", "batch_id"))
    again, plan = upload(setting, content)
    assert (len(plan.new), len(plan.changed), plan.unchanged) == (0, 0, 30)
    assert commit(again) is None
    assert list(AttendanceMark.objects.order_by("pk").values_list("pk", "code", "batch_id")) == before
    assert AttendanceBatch.objects.count() == 1
    assert not AttendanceMarkChange.objects.exists()


def test_a_corrected_file_changes_only_the_marks_that_differ_and_keeps_the_old_value(setting):
    rows = week_of_marks(setting, date(2026, 11, 16), date(2026, 11, 20))
    commit(upload(setting, register_csv(rows))[0])
    rows[0][3] = "I"
    rows[5][3] = "N"
    corrected, plan = upload(setting, register_csv(rows))
    assert (len(plan.new), len(plan.changed), plan.unchanged) == (0, 2, 28)
    batch = commit(corrected)
    changes = AttendanceMarkChange.objects.select_related("batch", "mark").order_by("mark__date", "mark__session")
    assert sorted((c.old_code, c.new_code) for c in changes) == [("/", "I"), ("\\", "N")]
    assert {c.batch for c in changes} == {batch}
    assert batch.created_by == setting.manager
    assert batch.created_at is not None


def problems_for(setting, rows, **kwargs):
    _, plan = upload(setting, register_csv(rows, **kwargs))
    return plan.problems


def one_problem(setting, row):
    problems = problems_for(setting, [row])
    assert len(problems) == 1, problems
    return problems[0]


def a_child(setting):
    return setting.children[0].upn


def wrong_check_letter(upn: str) -> str:
    """The UPN with another check letter: "Z" is the right one for some children the factories make."""
    return ("Y" if upn[0] == "Z" else "Z") + upn[1:]


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        (lambda s: ["A12345678901", "16/11/2026", "AM", "/"], "UPN", "13 characters"),
        (lambda s: [wrong_check_letter(a_child(s)), "16/11/2026", "AM", "/"], "UPN", "first letter of this UPN"),
        (
            lambda s: [check_letter("877999926999") + "877999926999", "16/11/2026", "AM", "/"],
            "UPN",
            "not the UPN of a child placed",
        ),
        (lambda s: [a_child(s), "16/11/2026", "AM", "Q9"], "Mark", "not a DfE attendance code"),
        (lambda s: [a_child(s), "16/11/2026", "Evening", "/"], "Session", "must be AM or PM"),
        (lambda s: [a_child(s), "23/11/2026", "AM", "/"], "Date", "in the future"),
        (lambda s: [a_child(s), "14/11/2026", "AM", "/"], "Date", "is a Saturday"),
        (lambda s: [a_child(s), "28/10/2026", "AM", "/"], "Date", "outside term time"),
        (lambda s: [a_child(s), "25/08/2026", "AM", "/"], "Date", "outside term time"),
        (lambda s: [a_child(s), "31/08/2026", "AM", "/"], "Date", "bank holiday (Late Summer Bank Holiday)"),
        (lambda s: [a_child(s), "02/13/2026", "AM", "/"], "Date", "looks like month/day/year"),
        (lambda s: [a_child(s), "31/02/2026", "AM", "/"], "Date", "not a real date"),
        (lambda s: [a_child(s), "", "AM", "/"], "Date", "missing"),
    ],
)
def test_a_bad_row_is_named_with_its_row_column_value_and_rule(setting, cells, column, words):
    problem = one_problem(setting, cells(setting))
    assert problem.row == 2
    assert problem.column == column
    assert words in problem.rule, problem


def test_a_child_not_placed_on_that_date_is_refused_with_their_dates(area):
    setting = make_setting(area, placed_from=date(2026, 11, 2))
    problem = one_problem(setting, [a_child(setting), "16/10/2026", "AM", "/"])
    assert "not placed with this setting on 16/10/2026 (placed 02/11/2026 to now)" in problem.rule


def test_rows_that_disagree_about_one_session_are_both_named(setting):
    problems = problems_for(
        setting, [[a_child(setting), "16/11/2026", "AM", "/"], [a_child(setting), "16/11/2026", "am", "N"]]
    )
    assert [(p.row, p.column) for p in problems] == [(3, "Mark")]
    assert "row 2 gives /" in problems[0].rule


def test_the_same_row_twice_is_not_a_problem(setting):
    row = [a_child(setting), "16/11/2026", "AM", "/"]
    _, plan = upload(setting, register_csv([row, row]))
    assert (plan.problems, len(plan.new)) == ([], 1)


@pytest.mark.parametrize("written", ["16/11/2026", "2026-11-16", "46342", "16.11.2026", "16-11-2026"])
def test_dates_are_read_in_every_accepted_form(setting, written):
    _, plan = upload(setting, register_csv([[a_child(setting), written, "AM", "/"]]))
    assert plan.problems == []
    assert [new[2] for new in plan.new] == [date(2026, 11, 16)]


def test_windows_1252_bom_and_blank_trailing_rows_are_read(setting):
    rows = [[a_child(setting), "16/11/2026", "AM", "/"], ["", "", "", ""], ["", "", "", ""]]
    for encoding in ("cp1252", "utf-8-sig"):
        _, plan = upload(setting, register_csv(rows, header=["UPN", "Date", "Session", "Mark"], encoding=encoding))
        assert plan.problems == []
        assert len(plan.new) == 1


@pytest.mark.parametrize(
    ("header", "words"),
    [
        (["UPN", "Date", "Mark"], "The column 'Session' is missing"),
        (["UPN", "Date", "Sesion", "Mark"], "Did you mean 'Session'"),
        (["UPN", "Date", "Session", "Mark", "Notes"], "The column 'Notes' (column E) is not one we use"),
    ],
)
def test_wrong_columns_are_explained_and_nothing_else_is_checked(setting, header, words):
    problems = problems_for(setting, [[a_child(setting), "16/11/2026", "AM", "/", "x"][: len(header)]], header=header)
    assert any(words in p.rule for p in problems), problems


def test_a_child_name_column_from_the_template_is_accepted(setting):
    content = register_csv(
        [["Alex Morgan", a_child(setting), "16/11/2026", "AM", "/"]],
        header=["Child", *["UPN", "Date", "Session", "Mark"]],
    )
    _, plan = upload(setting, content)
    assert plan.problems == []
    assert len(plan.new) == 1


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.7 not a register", b"\x89PNG\r\n\x1a\n....", b"", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel"],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_as_a_whole(setting, content):
    preview, plan = upload(setting, content, filename="register.csv")
    assert len(plan.problems) == 1
    assert plan.problems[0].row is None
    assert preview.status == "rejected"


def test_nothing_is_written_while_any_row_has_a_problem(setting):
    rows = week_of_marks(setting, date(2026, 11, 16), date(2026, 11, 20))
    rows.append([a_child(setting), "21/11/2026", "AM", "/"])
    plan, batch = marks_commit(
        user=setting.manager,
        provider=setting.provider,
        rows=read_register_file(register_csv(rows), "r.csv")[0],
        source="upload",
        today=TODAY,
    )
    assert batch is None
    assert len(plan.problems) == 1
    assert AttendanceMark.objects.count() == 0


def test_another_provider_cannot_record_marks_for_these_children(setting, area):
    from django.core.exceptions import PermissionDenied

    other = ProviderFactory(organisation__area=area)
    intruder = member_of(other.organisation, username="intruder")
    with pytest.raises(PermissionDenied):
        marks_commit(
            user=intruder,
            provider=setting.provider,
            rows=[RawMark(2, a_child(setting), "16/11/2026", "AM", "/")],
            source="api",
            today=TODAY,
        )
    # Nor can it pass them off as its own: they are not placed with it.
    plan = plan_marks(provider=other, rows=[RawMark(2, a_child(setting), "16/11/2026", "AM", "/")], today=TODAY)
    assert "not the UPN of a child placed" in plan.problems[0].rule
    assert AttendanceMark.objects.count() == 0
