"""Recording attendance: the register form, the API and uploaded register files all write marks through
`_marks_write`, planned under the setting's lock."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from attendance import writer
from attendance.exports import template_file, template_placements
from attendance.hours import tuition_summary
from attendance.ingest import COLUMN_TITLES, SESSION_WORDS, UNKNOWN_CODE, RawMark, plan_marks, read_dates
from attendance.models import Alert, AttendanceBatch, AttendanceUpload, HomeSchoolMark, Session, TuitionSession
from attendance.reading import read_register_file
from core.access import can_record_attendance, children_visible_to, is_la_of
from core.areas import area_settings_save
from core.audit import audit_record
from core.codes import code_set
from core.imports import ImportPlan
from core.models import AuditAction, Organisation, OrganisationKind, User
from core.spreadsheets import Problem
from providers.models import Provider
from terms.calendar import SchoolCalendar


def _lock(provider: Provider) -> Provider:
    """Serialise writers for one provider: the plan is made again under this lock."""
    return Provider.objects.select_for_update().get(pk=provider.pk)


def marks_commit(
    *, user: User, provider: Provider, rows: list[RawMark], source: str, today: date
) -> tuple[ImportPlan, AttendanceBatch | None]:
    """Check rows and, only if every row is right, write them all in one transaction.

    Unchanged marks are left alone; a changed mark keeps its old value in its change
    history. Nothing is written when any row has a problem, or when nothing differs.
    """
    if not can_record_attendance(user=user, provider=provider):
        raise PermissionDenied("You cannot record attendance for this setting.")
    with transaction.atomic():
        _lock(provider)
        plan = plan_marks(provider=provider, rows=rows, today=today)
        batch = None if plan.problems else _marks_write(user=user, provider=provider, plan=plan, source=source)
    return plan, batch


def _marks_write(
    *, user: User, provider: Provider, plan: ImportPlan, source: str, filename: str = "", sha256: str = ""
) -> AttendanceBatch | None:
    """Write a plan of marks as one batch, with its audit event; nothing when nothing differs."""
    if not (plan.new or plan.changed):
        return None
    batch = AttendanceBatch.objects.create(
        provider=provider,
        source=source,
        filename=filename,
        sha256=sha256,
        created_by=user,
        organisation=user.primary_organisation,
        new_marks=len(plan.new),
        changed_marks=len(plan.changed),
        unchanged_marks=plan.unchanged,
    )
    writer.insert_marks(plan.new, provider_id=provider.pk, batch_id=batch.pk)
    writer.update_marks(plan.changed, batch_id=batch.pk)
    audit_record(
        user=user,
        action=AuditAction.ATTENDANCE_RECORDED,
        object_type="provider",
        object_id=provider.public_id,
        detail={"batch": str(batch.public_id), "source": source, "new": len(plan.new), "changed": len(plan.changed)},
    )
    return batch


def attendance_upload_lock(upload: AttendanceUpload) -> None:
    """A register file is planned again under the lock every writer of the setting's marks takes."""
    _lock(upload.provider)


def attendance_upload_write(*, user: User, upload: AttendanceUpload, plan: ImportPlan) -> None:
    """Write the marks of a checked register file as one batch, which the upload then names."""
    upload.batch = _marks_write(
        user=user,
        provider=upload.provider,
        plan=plan,
        source=AttendanceBatch.Source.UPLOAD,
        filename=upload.filename,
        sha256=upload.sha256,
    )
    upload.save(update_fields=["batch"])


def register_template_export(
    *, user: User, provider: Provider, start: date, end: date, as_xlsx: bool = False
) -> bytes | str:
    """The setting's register template for a range of days; it names children, so it is audited."""
    if not can_record_attendance(user=user, provider=provider):
        raise PermissionDenied("Only the setting itself downloads its register.")
    with transaction.atomic():
        body = template_file(provider=provider, start=start, end=end, as_xlsx=as_xlsx)
        audit_record(
            user=user,
            action=AuditAction.ATTENDANCE_EXPORTED,
            object_type="provider",
            object_id=provider.public_id,
            detail={"template": f"{start.isoformat()} to {end.isoformat()}", "format": "xlsx" if as_xlsx else "csv"},
            children=template_placements(provider=provider, start=start, end=end).values_list(
                "child__public_id", flat=True
            ),
        )
    return body


def alert_close(*, user: User, alert: Alert, outcome: str, note: str) -> Alert:
    """Record what happened about an alert, which closes it. Anyone who can see the child may."""
    if alert.closed_at is not None:
        raise ValidationError({"outcome": ["This alert has already been closed."]})
    alert.outcome, alert.note = outcome, note
    alert.closed_at, alert.closed_by = timezone.now(), user
    alert.full_clean()
    with transaction.atomic():
        alert.save(update_fields=["outcome", "note", "closed_at", "closed_by"])
        audit_record(
            user=user,
            action=AuditAction.ALERT_CLOSED,
            object_type="child",
            object_id=alert.child.public_id,
            detail={"alert": str(alert.public_id), "outcome": outcome},
        )
    return alert


def home_school_marks_record(*, user: User, school: Organisation, day: date, marks: list[tuple]) -> int:
    """Record the home school's register for its pupils in AP: (child, session, code) entries.

    Only the child's own home school may, and only for a school day not in the future.
    """
    if school not in user.organisations or school.kind != OrganisationKind.SCHOOL:
        raise PermissionDenied("Only a school records its own register.")
    if day > date.today():
        raise ValidationError("Marks can only be recorded for today or earlier.")
    strangers = [child for child, _session, _code in marks if child.home_school_id != school.pk]
    if strangers:
        raise PermissionDenied("A school records marks for its own pupils only.")
    with transaction.atomic():
        for child, session, code in marks:
            HomeSchoolMark.objects.update_or_create(
                child=child,
                date=day,
                session=session,
                defaults={"school": school, "code": code, "recorded_by": user},
            )
        audit_record(
            user=user,
            action=AuditAction.HOME_SCHOOL_MARKS_RECORDED,
            object_type="school",
            object_id=school.public_id,
            detail={"date": day.isoformat(), "marks": len(marks)},
        )
    return len(marks)


def tuition_session_record(*, user: User, placement, data: dict, today: date) -> TuitionSession:
    """Record a tuition session; too many missed or declined in four weeks raises an alert to the LA and school."""
    if not can_record_attendance(user=user, provider=placement.provider):
        raise PermissionDenied("Only the setting that gives the tuition records its sessions.")
    if data["date"] > today:
        raise ValidationError({"date": ["A session can only be recorded for today or earlier."]})
    if not placement.is_open_on(data["date"]):
        raise ValidationError({"date": ["The child was not placed with you for tuition on this date."]})
    session = TuitionSession(placement=placement, recorded_by=user, **data)
    session.full_clean()
    with transaction.atomic():
        session.save()
        audit_record(
            user=user,
            action=AuditAction.ATTENDANCE_RECORDED,
            object_type="child",
            object_id=placement.child.public_id,
            detail={"tuition_session": str(session.public_id), "status": session.status},
        )
        _missed_tuition_alert(placement, today)
    return session


def _missed_tuition_alert(placement, today: date) -> None:
    threshold = placement.child.area.tuition_alert_after
    missed = tuition_summary(placement=placement, today=today)["missed_or_declined"]
    if missed >= threshold:
        Alert.objects.get_or_create(
            child=placement.child,
            placement=placement,
            kind=Alert.Kind.MISSED_TUITION,
            date=today,
            session=0,
            defaults={"detail": f"{missed} tuition sessions missed or declined in the last four weeks"},
        )


def area_attendance_settings_update(*, user: User, area, data: dict):
    """Change when the area's daily check runs and how many missed tuition sessions raise an alert. LA only."""
    if not is_la_of(user, area.pk):
        raise PermissionDenied("Only the local authority sets the daily check.")
    return area_settings_save(user=user, area=area, data=data, action=AuditAction.AREA_SETTINGS_CHANGED)


def home_school_marks_upload(*, user: User, school: Organisation, content: bytes, filename: str, today: date):
    """A school's register for its pupils in AP, from its MIS: every row right, or nothing saved.

    Returns (number of marks saved, problems).
    """
    rows, problems = read_register_file(content, filename)
    if problems:
        return 0, problems
    pupils = {c.upn: c for c in children_visible_to(user=user).filter(home_school=school)}
    days = read_dates({raw.date for raw in rows})
    real_days = [day for day in days.values() if isinstance(day, date)]
    # One calendar for the file's whole span, not one look-up per date.
    calendar = SchoolCalendar.load(
        organisation=school, start=min(real_days, default=today), end=max(real_days, default=today)
    )
    marks, problems = [], []
    # One mark per pupil per session: where two rows give one, the same mark is taken once, and two
    # different marks are refused, since which is right is the school's to say, not the last row's.
    given: dict[tuple, tuple[int, str]] = {}
    for raw in rows:
        day = days[raw.date]
        if isinstance(day, str):
            problems.append(Problem(raw.row, COLUMN_TITLES["date"], raw.date, day))
            continue
        child = pupils.get(raw.upn.strip().upper())
        session = SESSION_WORDS.get(raw.session.strip().lower())
        code = raw.code.strip().upper()
        if day > today or not calendar.is_school_day(day):
            problems.append(Problem(raw.row, COLUMN_TITLES["date"], raw.date, "is not a school day up to today"))
        elif child is None:
            problems.append(Problem(raw.row, COLUMN_TITLES["upn"], raw.upn, "is not the UPN of one of your pupils"))
        elif session is None:
            problems.append(Problem(raw.row, COLUMN_TITLES["session"], raw.session, "must be AM or PM"))
        elif code not in code_set("attendance"):
            problems.append(Problem(raw.row, COLUMN_TITLES["code"], raw.code, UNKNOWN_CODE))
        elif (child.pk, day, session) in given:
            first_row, first_code = given[(child.pk, day, session)]
            if code != first_code:
                when = f"{Session(session).label.lower()} session on {day:%d/%m/%Y}"
                problems.append(
                    Problem(
                        raw.row,
                        COLUMN_TITLES["code"],
                        raw.code,
                        f"disagrees with row {first_row}, which gives {first_code} for this pupil's {when}: "
                        "keep the right mark and remove the other row",
                    )
                )
        else:
            given[(child.pk, day, session)] = (raw.row, code)
            marks.append((day, child, session, code))
    if problems:
        return 0, problems
    by_day = {}
    for day, child, session, code in marks:
        by_day.setdefault(day, []).append((child, session, code))
    with transaction.atomic():
        for day, entries in by_day.items():
            home_school_marks_record(user=user, school=school, day=day, marks=entries)
    return len(marks), []
