"""Placements: a child at an AP setting, one to one with the DfE's AP placement records."""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from children.models import Child
from core.fields import CodeField
from core.models import Organisation, UploadedList
from core.periods import is_open_on, open_during, open_on, overlap
from providers.models import Provider

# Full-time education is 25 hours a week; no timetable exceeds a school week's 32.5.
MAX_HOURS_PER_WEEK = 32.5


class CommissionerType(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    SCHOOL = "school", "School"
    ACADEMY_TRUST = "academy_trust", "Academy trust"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Social care"
    OTHER = "other", "Other"


class ProvisionType(models.TextChoices):
    PRU_OR_AP_ACADEMY = "pru_or_ap_academy", "PRU or AP academy"
    INDEPENDENT_AP = "independent_ap", "Independent AP"
    HOME_OR_HOSPITAL_TUITION = "home_or_hospital_tuition", "Home or hospital tuition"
    ONLINE = "online", "Online"
    OUTREACH = "outreach", "Outreach"


class AttendancePattern(models.TextChoices):
    FULL_TIME = "full_time", "Full time"
    PART_TIME = "part_time", "Part time"


class RegistrationType(models.TextChoices):
    SINGLE = "single", "Single registration"
    DUAL = "dual", "Dual registration"


class MainRoll(models.TextChoices):
    HOME_SCHOOL = "home_school", "Home school"
    AP = "ap", "AP setting"


# A placement's timetable: ten characters, "1" for each session it covers, Monday morning first.
SESSION_NAMES = [
    f"{day} {part}"
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
    for part in ("morning", "afternoon")
]
FULL_WEEK = "1" * 10


class PlacementStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


def placement_status(start: date, end: date | None, day: date) -> PlacementStatus:
    """Planned before its start, ended after its end, active in between (both days included)."""
    if start > day:
        return PlacementStatus.PLANNED
    return PlacementStatus.ACTIVE if is_open_on(start, end, day) else PlacementStatus.ENDED


class PlacementQuerySet(models.QuerySet):
    def open_on(self, day: date) -> "PlacementQuerySet":
        """Placements the child is in on this day (see `core.periods`; `Placement.is_open_on` is the twin)."""
        return self.filter(open_on(day))

    def open_during(self, first: date, last: date | None) -> "PlacementQuerySet":
        """Placements open on at least one day of the period (`Placement.is_open_during` is the twin)."""
        return self.filter(open_during(first, last))


class Placement(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="placements")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="placements")
    provision_type = models.CharField("type of provision", max_length=30, choices=ProvisionType.choices)
    commissioner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="commissioned_placements")
    commissioner_type = models.CharField(max_length=20, choices=CommissionerType.choices)
    reason = CodeField("reason for placement", code_set_name="ap_placement_reason")
    start_date = models.DateField()
    planned_end_date = models.DateField(null=True, blank=True)
    review_date = models.DateField(
        "next review date",
        null=True,
        blank=True,
        help_text="When the commissioner, the setting and the family next review whether the placement is working",
    )
    end_date = models.DateField("actual end date", null=True, blank=True)
    attendance_pattern = models.CharField("full or part time", max_length=10, choices=AttendancePattern.choices)
    hours_per_week = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_HOURS_PER_WEEK)],
    )
    timetable = models.CharField(
        max_length=10,
        default=FULL_WEEK,
        validators=[RegexValidator(r"^[01]{10}$", "Choose the sessions the child attends.")],
        help_text="The sessions of the week the placement covers; a child is expected at the setting in these",
    )
    registration_type = models.CharField("single or dual registration", max_length=10, choices=RegistrationType.choices)
    main_roll = models.CharField(max_length=12, choices=MainRoll.choices)
    out_of_area = models.BooleanField("out of area", default=False)
    journey_minutes = models.PositiveSmallIntegerField(
        "journey time in minutes", null=True, blank=True, validators=[MaxValueValidator(300)]
    )
    residential = models.BooleanField(default=False)
    outreach_provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="outreach_placements"
    )
    # Issue 13: a placement at a provider the area has not approved says why, so the LA can see it was a choice.
    provider_justification = models.TextField(
        "why this provider",
        blank=True,
        help_text="Needed when the area has not approved the provider: why no approved provider would do",
    )
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlacementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        indexes = [
            models.Index(fields=["start_date", "end_date"]),
            models.Index(fields=["end_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="placement_end_not_before_start",
                violation_error_code="end_date",
                violation_error_message="The actual end date must be the same as or after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(planned_end_date__isnull=True) | Q(planned_end_date__gte=F("start_date")),
                name="placement_planned_end_not_before_start",
                violation_error_code="planned_end_date",
                violation_error_message="The planned end date must be the same as or after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(review_date__isnull=True) | Q(review_date__gte=F("start_date")),
                name="placement_review_not_before_start",
                violation_error_code="review_date",
                violation_error_message="The review date must be the same as or after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=0) & Q(hours_per_week__lte=MAX_HOURS_PER_WEEK),
                name="placement_hours_in_range",
                violation_error_code="hours_per_week",
                violation_error_message=f"Hours per week must be between 0 and {MAX_HOURS_PER_WEEK}.",
            ),
            models.CheckConstraint(
                condition=Q(registration_type=RegistrationType.DUAL) | Q(main_roll=MainRoll.AP),
                name="placement_single_registration_is_main_roll",
                violation_error_code="main_roll",
                violation_error_message="A single-registered child is on the AP setting's roll: choose the AP setting as the main roll, or dual registration.",
            ),
            # One open placement may hold a child's main roll at an AP setting.
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(main_roll=MainRoll.AP, end_date__isnull=True),
                name="placement_one_open_main_roll",
                violation_error_code="main_roll",
                violation_error_message="This child is already on the roll of another AP setting with an open placement. End that placement first, or record this one as dual registration with the home school as the main roll.",
            ),
            # No two overlapping placements of one child at one provider: a date-range
            # rule Django cannot express on both databases, added in migration 0002.
        ]

    def __str__(self):
        return f"{self.child} at {self.provider} from {self.start_date:%d/%m/%Y}"

    def is_open_on(self, day: date) -> bool:
        return is_open_on(self.start_date, self.end_date, day)

    def is_open_during(self, first: date, last: date | None) -> bool:
        return overlap(self.start_date, self.end_date, first, last)

    def status_on(self, day: date) -> PlacementStatus:
        return placement_status(self.start_date, self.end_date, day)

    def is_timetabled(self, day: date, session: int) -> bool:
        """Whether the child is expected at the setting on a weekday's session (1 morning, 2 afternoon)."""
        return day.weekday() < 5 and self.timetable[day.weekday() * 2 + session - 1] == "1"

    @property
    def status(self) -> PlacementStatus:
        return self.status_on(date.today())


class PlacementImport(UploadedList):
    """A spreadsheet of placements uploaded to the register, kept between its check and its confirmation."""


class PartTimeReason(models.TextChoices):
    """Why a pupil is on a part-time timetable. Never to manage behaviour (Working together to improve attendance)."""

    HEALTH = "health", "A physical or mental health need"
    PHASED_RETURN = "phased_return", "A phased return after absence, exclusion or AP"
    SEN = "sen", "Special educational needs, while support is put in place"
    OTHER = "other", "Another exceptional reason"


class PartTimeTimetable(models.Model):
    """A pupil on a reduced timetable at their own school: agreed with the parents, time-limited, reviewed to increase.

    The school tells the local authority here, in the same place as the AP it commissions, once.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="part_time_timetables")
    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="part_time_timetables")
    reason = models.CharField(max_length=20, choices=PartTimeReason.choices)
    reason_detail = models.TextField("why, in a sentence or two")
    hours_per_week = models.DecimalField(
        "hours in school a week",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_HOURS_PER_WEEK)],
    )
    timetable = models.CharField(
        "sessions in school",
        max_length=10,
        validators=[RegexValidator(r"^[01]{10}$", "Choose the sessions the pupil is in school.")],
    )
    start_date = models.DateField()
    time_limit = models.DateField("time limit", help_text="The last day of the part-time timetable, as agreed")
    review_date = models.DateField("review date")
    parents_agreed_on = models.DateField("date the parents agreed")
    plan_to_increase = models.TextField("how the hours will increase back to full time")
    end_date = models.DateField("actual end date", null=True, blank=True)
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit__gte=F("start_date")),
                name="part_time_limit_not_before_start",
                violation_error_code="time_limit",
                violation_error_message="The time limit must be the same as or after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(review_date__gte=F("start_date")) & Q(review_date__lte=F("time_limit")),
                name="part_time_review_within_limit",
                violation_error_code="review_date",
                violation_error_message="The review date must fall between the start date and the time limit.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="part_time_end_not_before_start",
                violation_error_code="end_date",
                violation_error_message="The actual end date must be the same as or after the start date.",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(end_date__isnull=True),
                name="part_time_one_open_per_child",
                violation_error_code="start_date",
                violation_error_message="This pupil already has a part-time timetable that has not ended: change that one, or record when it ended first.",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=0) & Q(hours_per_week__lte=MAX_HOURS_PER_WEEK),
                name="part_time_hours_in_range",
                violation_error_code="hours_per_week",
                violation_error_message=f"Hours in school a week must be between 0 and {MAX_HOURS_PER_WEEK}.",
            ),
        ]

    def __str__(self):
        return f"{self.child}: part-time timetable at {self.school} from {self.start_date:%d/%m/%Y}"

    def is_open_on(self, day: date) -> bool:
        return is_open_on(self.start_date, self.end_date, day)

    @property
    def is_past_time_limit(self) -> bool:
        """Still running after the day it was agreed to end: the LA chases these."""
        return self.end_date is None and self.time_limit < date.today()

    @property
    def is_review_overdue(self) -> bool:
        return self.end_date is None and self.review_date < date.today()

    def clean(self):
        if self.parents_agreed_on and self.parents_agreed_on > date.today():
            raise ValidationError({"parents_agreed_on": "The date the parents agreed must be today or in the past"})
