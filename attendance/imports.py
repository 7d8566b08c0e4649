"""A setting's register file of marks, on the one import framework (core.imports).

Read by `attendance.reading` and planned by `attendance.ingest`, the fast path the
register form and the API share; written as one batch under the setting's lock.
"""

from attendance.ingest import COLUMNS, RawMark, plan_marks
from attendance.models import AttendanceUpload
from attendance.reading import read_register_file
from attendance.selectors import provider_for, recent_batches
from attendance.services import attendance_upload_lock, attendance_upload_write
from core.imports import ImportPlan, ImportSpec, ImportWords
from core.models import AuditAction, User


def plan_register_file(*, user: User, upload: AttendanceUpload, rows: list[RawMark], today) -> ImportPlan:
    """What the file's marks would add and change at its setting, or every problem that stops them."""
    return plan_marks(provider=upload.provider, rows=rows, today=today)


def _setting_of(user: User) -> dict | None:
    """A register file is the setting's own: its staff upload it, for it."""
    provider = provider_for(user=user)
    return None if provider is None else {"provider": provider}


def _provider_home(user: User) -> dict:
    provider = provider_for(user=user)
    return {"provider": provider, "batches": recent_batches(provider=provider)}


ATTENDANCE_UPLOAD = ImportSpec(
    name="attendance_upload",
    path="attendance/upload",
    model=AttendanceUpload,
    columns=COLUMNS,
    required=frozenset(COLUMNS),
    read=read_register_file,
    plan=plan_register_file,
    lock=attendance_upload_lock,
    write=attendance_upload_write,
    checked=AuditAction.ATTENDANCE_UPLOADED,
    scope=_setting_of,
    page="attendance/provider_home.html",
    page_context=_provider_home,
    home="attendance_home",
    after="attendance_home",
    words=ImportWords(
        title="Attendance",
        one="mark",
        many="marks",
        label="Register file",
        hint="CSV or Excel (.xlsx), up to 10 MB, with the columns UPN, Date, Session and Mark",
        verb="save",
        past="saved",
        done="Saved {new} new and {changed} changed marks.",
    ),
)
