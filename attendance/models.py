"""Attendance marks from AP settings, and the batches that wrote them.

The marks table is written in bulk (a year of a borough's registers is millions of
rows), so it is kept lean: the columns a mark needs and one unique index, which is
also how a provider's days are looked up. Its references are checked by the database
once per statement, not once per row: a trigger (migration 0002) refuses any batch of
marks whose placement does not exist or whose child and provider are not that
placement's own. Per-row foreign-key checks would cost as much as the rest of an
upload together (docs/decisions.md). Who wrote a mark and when lives on its batch; a
changed mark's old value lives in `AttendanceMarkChange`.
"""

import functools
import operator
import uuid

from django.db import models

from children.models import Child
from core.fields import CodeField
from core.models import Organisation, UploadedList, User
from placements.models import Placement
from providers.models import Provider


class Session(models.IntegerChoices):
    AM = 1, "Morning"
    PM = 2, "Afternoon"


class AttendanceBatch(models.Model):
    """One act of recording marks: a register form, an uploaded file or an API call."""

    class Source(models.TextChoices):
        FORM = "form", "Register form"
        UPLOAD = "upload", "File upload"
        API = "api", "API"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="attendance_batches")
    source = models.CharField(max_length=10, choices=Source.choices)
    filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, help_text="Of the uploaded file, to recognise a re-upload")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    new_marks = models.PositiveIntegerField(default=0)
    changed_marks = models.PositiveIntegerField(default=0)
    unchanged_marks = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "attendance batches"

    def __str__(self):
        return f"{self.get_source_display()} for {self.provider} at {self.created_at:%d/%m/%Y %H:%M}"


class AttendanceMark(models.Model):
    """One session's mark for one child at one AP setting."""

    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    date = models.DateField()
    session = models.PositiveSmallIntegerField(choices=Session.choices)
    code = CodeField(code_set_name="attendance")
    batch = models.ForeignKey(
        AttendanceBatch, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )

    class Meta:
        constraints = [
            # Provider and date first, so the same index finds a provider's register for a day.
            models.UniqueConstraint(
                fields=["provider", "date", "child", "session"],
                name="attendance_mark_one_per_session",
                violation_error_message="This child already has a mark for this session at this setting.",
            )
        ]

    def __str__(self):
        return f"{self.code} {self.date:%d/%m/%Y} {self.get_session_display()}"


class AttendanceMarkChange(models.Model):
    """The old value of a mark that a later batch changed: who, when and from what."""

    mark = models.ForeignKey(AttendanceMark, on_delete=models.CASCADE, related_name="changes")
    old_code = CodeField(code_set_name="attendance")
    new_code = CodeField(code_set_name="attendance")
    batch = models.ForeignKey(AttendanceBatch, on_delete=models.PROTECT, related_name="changes")

    def __str__(self):
        return f"{self.old_code} → {self.new_code}"


class AttendanceMonth(models.Model):
    """How many sessions of one placement in one calendar month carry one code, and on which days.

    Kept by the database itself (triggers, migration 0007 and `attendance.rollup`): every
    statement that inserts, changes or deletes marks updates the months it touches in the
    same transaction, whatever wrote it. Percentages read months, not marks: a whole month
    sums `sessions`, a month cut by the edge of a period sums only its days inside it
    (`d1` … `d31`), so any period is answered exactly without reading a mark. Codes, not
    categories, so that a change to DfE's categories needs no rebuild (docs/decisions.md).
    """

    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    month = models.DateField(help_text="The first day of the month")
    code = CodeField(code_set_name="attendance")
    # Signed: PostgreSQL checks a row proposed by INSERT … ON CONFLICT before it finds the conflict, and the
    # triggers propose the change (-1 for a mark taken away); the property tests hold the counts at 0 or more.
    sessions = models.IntegerField(help_text="Marks with this code in the month")

    DAYS = tuple(f"d{day}" for day in range(1, 32))
    for _day in range(1, 32):
        locals()[f"d{_day}"] = models.SmallIntegerField(default=0, help_text=f"Of them, on day {_day} of the month")
    del _day

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["placement", "month", "code"], name="attendance_month_one_per_code"),
            models.CheckConstraint(
                condition=models.Q(sessions=functools.reduce(operator.add, (models.F(f"d{d}") for d in range(1, 32)))),
                name="attendance_month_days_add_up",
            ),
        ]
        indexes = [
            models.Index(fields=["month", "placement"], name="attendance_month_by_month"),
            models.Index(fields=["child", "month"], name="attendance_month_by_child"),
        ]

    def __str__(self):
        return f"{self.code} × {self.sessions} in {self.month:%B %Y}"


class AttendanceUpload(UploadedList):
    """A register file a setting uploaded, kept between its check and its confirmation."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="attendance_uploads")
    batch = models.OneToOneField(
        AttendanceBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="upload"
    )

    @property
    def caption(self) -> str:
        return self.provider.name


class Alert(models.Model):
    """Something about a child's attendance that someone must look into today.

    Raised by the daily check (`manage.py attendance_alerts`), once per child,
    placement, kind, day and session however often the check runs; it stays open
    until someone records what happened.
    """

    class Kind(models.TextChoices):
        NO_MARK = "no_mark", "No mark by the time of the daily check"
        UNEXPLAINED_ABSENCE = "unexplained_absence", "Absent with no reason given"
        REGISTERS_DISAGREE = "registers_disagree", "Home school says at AP, the AP setting does not"
        MISSED_TUITION = "missed_tuition", "Tuition sessions missed or declined"

    class Outcome(models.TextChoices):
        SEEN_SAFE = "seen_safe", "Child contacted or seen, and safe"
        EXPLAINED = "explained", "Absence explained"
        CORRECTED = "corrected", "The mark was wrong and has been corrected"
        REFERRED = "referred", "Referred to children's social care or the police"
        OTHER = "other", "Other"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    date = models.DateField()
    # 0 where the alert is about the day, not one session.
    session = models.PositiveSmallIntegerField(default=0)
    detail = models.CharField(max_length=300, blank=True)
    raised_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    note = models.TextField(blank=True, help_text="What happened, in a few words")

    class Meta:
        ordering = ["-date", "raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "placement", "kind", "date", "session"], name="alert_once_per_child_kind_session"
            ),
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True) | ~models.Q(outcome=""),
                name="alert_closed_with_outcome",
                violation_error_message="Choose what happened before closing the alert.",
                violation_error_code="outcome",
            ),
        ]
        indexes = [models.Index(fields=["closed_at", "date"], name="alert_open_by_day")]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.date:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class HomeSchoolMark(models.Model):
    """The home school's own register mark for a dual-registered pupil who attends AP.

    B, K or D here says "at the AP setting"; the daily check compares it with the
    setting's own mark for the same session.
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    session = models.PositiveSmallIntegerField(choices=Session.choices)
    code = CodeField(code_set_name="attendance")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "date", "session"], name="home_school_mark_one_per_session")
        ]

    def __str__(self):
        return f"{self.code} {self.date:%d/%m/%Y} {self.get_session_display()} (home school)"


class TuitionSession(models.Model):
    """One home or one-to-one tuition session: offered, delivered, and whether the child engaged."""

    class Status(models.TextChoices):
        DELIVERED = "delivered", "Delivered"
        MISSED = "missed", "Missed: the child was not there"
        DECLINED = "declined", "Declined: the child or family refused it"
        CANCELLED = "cancelled", "Cancelled by the provider"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="tuition_sessions")
    date = models.DateField()
    hours = models.DecimalField(max_digits=3, decimal_places=1)
    status = models.CharField(max_length=10, choices=Status.choices)
    engaged = models.BooleanField(default=False, help_text="The child took part in the learning")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) & models.Q(hours__lte=8),
                name="tuition_session_hours_in_range",
                violation_error_message="A session lasts more than 0 and at most 8 hours.",
                violation_error_code="hours",
            ),
            models.CheckConstraint(
                condition=models.Q(status="delivered") | models.Q(engaged=False),
                name="tuition_session_engaged_only_if_delivered",
                violation_error_message="Only a delivered session can have been engaged with.",
                violation_error_code="engaged",
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} {self.date:%d/%m/%Y}"
