"""Children in (or referred to) alternative provision, and who is involved with them."""

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from children.upn import upn_validator
from core.codes import code_set
from core.fields import CodeField
from core.models import Area, Organisation, OrganisationKind, UploadedList

# Children in AP are of school age; a record for anyone outside this range is a typing error.
YOUNGEST_AGE, OLDEST_AGE = 4, 19


def age_on(date_of_birth: date, day: date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def plausible_date_of_birth(value: date) -> None:
    """A date of birth must make the child between 4 and 19 years old today."""
    age = age_on(value, date.today())
    if not YOUNGEST_AGE <= age <= OLDEST_AGE:
        raise ValidationError(
            f"Date of birth must make the child between {YOUNGEST_AGE} and {OLDEST_AGE} years old today; "
            f"this date makes them {age}.",
            code="implausible_age",
        )


class EhcPlanStatus(models.TextChoices):
    NONE = "none", "No EHC plan"
    BEING_ASSESSED = "being_assessed", "Being assessed for an EHC plan"
    HAS_PLAN = "has_plan", "Has an EHC plan"
    HAD_PLAN = "had_plan", "Had an EHC plan"


class Child(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="children")
    # A UPN names one child's record in an area. A school that adds a pupil whose UPN is already on a
    # record it may not see gets a record of its own, marked as recorded twice, for the LA to settle:
    # telling the school "taken" would let it test whether any UPN is known.
    upn = models.CharField("UPN", max_length=13, db_index=True, validators=[upn_validator])
    # Names and date of birth are restricted: shown on the record, never exported.
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(validators=[plausible_date_of_birth])
    gender = CodeField(code_set_name="gender")
    ethnicity = CodeField(code_set_name="ethnicity")
    sen_provision = CodeField("SEN provision", code_set_name="sen_provision")
    sen_primary_need = CodeField("primary SEN need", code_set_name="sen_primary_need", blank=True)
    sen_secondary_need = CodeField("secondary SEN need", code_set_name="sen_primary_need", blank=True)
    ehc_plan_status = models.CharField("EHC plan status", max_length=20, choices=EhcPlanStatus.choices)
    looked_after = models.BooleanField("looked after", default=False)
    looked_after_by = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children_looked_after",
        verbose_name="responsible local authority",
    )
    child_in_need = models.BooleanField("child in need", default=False)
    child_protection = models.BooleanField("child protection plan", default=False)
    known_to_youth_justice = models.BooleanField("known to youth justice", default=False)
    on_dynamic_support_register = models.BooleanField("on the dynamic support register", default=False)
    last_cetr_date = models.DateField("date of last CETR", null=True, blank=True)
    health_needs = models.CharField(
        max_length=200, blank=True, help_text="Health needs relevant to education, in a few words"
    )
    home_school = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="pupils"
    )
    recorded_twice_as = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="recorded_twice",
        verbose_name="earlier record with the same UPN",
        help_text="Set when a school adds a child whose UPN the area already holds, until the LA settles it",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "children"
        constraints = [
            models.UniqueConstraint(
                fields=["area", "upn"],
                condition=Q(recorded_twice_as__isnull=True),
                name="child_upn_once_per_area",
                violation_error_message="Another child already has this UPN.",
            ),
            models.CheckConstraint(
                condition=Q(looked_after=False) | Q(looked_after_by__isnull=False),
                name="child_looked_after_has_responsible_la",
                violation_error_code="looked_after_by",
                violation_error_message="For a looked-after child, choose the responsible local authority.",
            ),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("child_detail", args=[self.public_id])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def age(self) -> int:
        return age_on(self.date_of_birth, date.today())


class Involvement(models.Model):
    """A practitioner or service involved with a child, for a period.

    A linked user (health, social care) sees the child while the involvement is open.
    """

    class Role(models.TextChoices):
        SOCIAL_WORKER = "social_worker", "Social worker"
        CAMHS = "camhs", "CAMHS practitioner"
        SCHOOL_NURSE = "school_nurse", "School nurse"
        YOUTH_JUSTICE = "youth_justice", "Youth justice worker"
        EDUCATIONAL_PSYCHOLOGIST = "educational_psychologist", "Educational psychologist"
        VIRTUAL_SCHOOL = "virtual_school", "Virtual school officer"
        SEN_CASEWORKER = "sen_caseworker", "SEN caseworker"
        OTHER = "other", "Other"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="involvements")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="involvements")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="involvements"
    )
    person_name = models.CharField(max_length=200)
    role = models.CharField(max_length=30, choices=Role.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="involvement_end_not_before_start",
                violation_error_code="ended_on",
                violation_error_message="The end date must be the same as or after the start date.",
            ),
        ]

    def __str__(self):
        return f"{self.person_name} ({self.get_role_display()})"

    def clean(self):
        # A linked account sees the child, so it must belong to the organisation named.
        if (
            self.user_id
            and self.organisation_id
            and not self.user.memberships.filter(organisation_id=self.organisation_id).exists()
        ):
            raise ValidationError(
                {
                    "user": f"{self.user} does not work for {self.organisation}; choose their organisation or leave this blank"
                }
            )

    @property
    def is_open(self) -> bool:
        today = date.today()
        return self.started_on <= today and (self.ended_on is None or self.ended_on >= today)


class PenPortrait(models.Model):
    """A practitioner's short account of a child: needs, aspirations and the support that works."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="pen_portraits")
    needs = models.TextField(help_text="What the child needs, in plain words")
    aspirations = models.TextField(help_text="What the child wants for themselves, in their words where possible")
    support = models.TextField(help_text="The support in place and what helps")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-written_at"]

    def __str__(self):
        return f"Pen portrait of {self.child} ({self.written_at:%d/%m/%Y})"


class ChildDocument(models.Model):
    """An assessment or plan held for a child: EHC plan, personal education plan, care plan."""

    class Kind(models.TextChoices):
        EHC_PLAN = "ehc_plan", "EHC plan"
        PEP = "pep", "Personal education plan"
        CARE_PLAN = "care_plan", "Care plan"
        ASSESSMENT = "assessment", "Other assessment"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    dated = models.DateField("date of the document")
    filename = models.CharField(max_length=255)
    content = models.BinaryField(editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-dated"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


# The census categories (`core/reference/exclusion_types.csv`): the permanent exclusion, and the suspension
# whose length is counted in lunchtimes; every other category is a suspension counted in sessions.
PERMANENT_EXCLUSION = next(c.code for c in code_set("exclusion_type").values() if c.row["permanent"] == "Y")
LUNCHTIME_SUSPENSION = next(
    c.code for c in code_set("exclusion_type").values() if c.row["length_counted_in"] == "lunchtimes"
)
# No pupil may be suspended for more than 45 school days in a school year: 90 sessions.
MAX_SUSPENSION_SESSIONS = 90


class Exclusion(models.Model):
    """A suspension or permanent exclusion from a school, as the school census records it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="exclusions")
    school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="exclusions",
        verbose_name="school that excluded",
        limit_choices_to={"kind": OrganisationKind.SCHOOL},
    )
    category = CodeField("suspension or permanent exclusion", code_set_name="exclusion_type")
    start_date = models.DateField("first day")
    sessions = models.PositiveSmallIntegerField(
        "length in sessions",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SUSPENSION_SESSIONS)],
        help_text="For a suspension: a school day is two sessions, and each lunchtime counts as one. Leave blank for a permanent exclusion",
    )
    reason = CodeField("reason", code_set_name="exclusion_reason")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category=PERMANENT_EXCLUSION) | Q(sessions__isnull=False, sessions__gte=1),
                name="exclusion_suspension_has_length",
                violation_error_code="sessions",
                violation_error_message="Enter how many sessions the suspension lasts (a school day is two sessions)",
            ),
            models.CheckConstraint(
                condition=~Q(category=PERMANENT_EXCLUSION) | Q(sessions__isnull=True),
                name="exclusion_permanent_has_no_length",
                violation_error_code="sessions",
                violation_error_message="A permanent exclusion has no length: leave the number of sessions blank",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()} of {self.child} from {self.start_date:%d/%m/%Y}"

    def clean(self):
        if self.school_id and self.school.kind != OrganisationKind.SCHOOL:
            raise ValidationError({"school": "Choose the school that excluded the child"})

    @property
    def is_permanent(self) -> bool:
        return self.category == PERMANENT_EXCLUSION

    @property
    def length(self) -> str:
        """The suspension's length in words: sessions are half days, lunchtimes are counted as such."""
        if self.is_permanent or not self.sessions:
            return ""
        if self.category == LUNCHTIME_SUSPENSION:
            return "1 lunchtime" if self.sessions == 1 else f"{self.sessions} lunchtimes"
        days, half = divmod(self.sessions, 2)
        if not days:
            return "half a day"
        if half:
            return f"{days} and a half days"
        return "1 day" if days == 1 else f"{days} days"


class ChildImport(UploadedList):
    """A spreadsheet of children uploaded to the register, kept between its check and its confirmation."""
