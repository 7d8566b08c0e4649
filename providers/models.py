"""AP providers: the settings the area commissions, on the approved list or not."""

import uuid
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.codes import code_set
from core.fields import CodeField
from core.models import Organisation


class Registration(models.TextChoices):
    STATE_MAINTAINED = "state_maintained", "State-maintained"
    INDEPENDENT_REGISTERED = "independent_registered", "Independent registered"
    INDEPENDENT_UNREGISTERED = "independent_unregistered", "Independent unregistered"


class Specialism(models.TextChoices):
    SEMH = "semh", "Social, emotional and mental health"
    EBSA = "ebsa", "Emotionally based school avoidance"
    AUTISM = "autism", "Autism"
    MEDICAL = "medical", "Medical and mental health needs"
    VOCATIONAL = "vocational", "Vocational and preparation for adulthood"
    EXCLUDED = "excluded", "Permanently excluded pupils"
    EARLY_INTERVENTION = "early_intervention", "Early intervention"


def next_area_reference(la_code: str, providers) -> str:
    """The next free reference in an area: AP-<LA code>-<number>, numbered from 001."""
    prefix = f"AP-{la_code}-"
    taken = providers.filter(area_reference__startswith=prefix).values_list("area_reference", flat=True)
    number = max((int(ref.removeprefix(prefix)) for ref in taken if ref.removeprefix(prefix).isdigit()), default=0)
    return f"{prefix}{number + 1:03d}"


class Provider(models.Model):
    # Offers, in the order forms and pages show them: (field, label).
    OFFERS = [
        ("offers_full_time", "Full-time places"),
        ("offers_part_time", "Part-time places"),
        ("offers_outreach", "Outreach"),
        ("offers_online", "Online or virtual"),
        ("offers_home_tuition", "Home tuition"),
        ("offers_hospital_tuition", "Hospital or medical tuition"),
        ("offers_health_service", "Health service"),
    ]

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="provider")
    registration = models.CharField(max_length=30, choices=Registration.choices)
    gias_establishment_type = CodeField("GIAS establishment type", code_set_name="gias_establishment_type", blank=True)
    ukprn = models.CharField(
        "UKPRN", max_length=8, blank=True, validators=[RegexValidator(r"^\d{8}$", "A UKPRN is 8 digits.")]
    )
    # How the area names a setting in its files: every provider has one, so unregistered AP
    # (no URN, often no UKPRN) can be named in a placements import too.
    area_reference = models.CharField(
        "area reference",
        max_length=16,
        unique=True,
        blank=True,
        editable=False,
        help_text="Given by the system, for example AP-355-007: names the setting in the area's files",
    )
    ap_setting_type = CodeField(
        "AP setting type",
        code_set_name="ap_setting_type",
        blank=True,
        help_text="For a setting with no URN or UKPRN, as the AP census records it",
    )
    offers_full_time = models.BooleanField("full-time places", default=False)
    offers_part_time = models.BooleanField("part-time places", default=False)
    offers_outreach = models.BooleanField("outreach", default=False)
    offers_online = models.BooleanField("online or virtual", default=False)
    offers_home_tuition = models.BooleanField("home tuition", default=False)
    offers_hospital_tuition = models.BooleanField("hospital or medical tuition", default=False)
    offers_health_service = models.BooleanField("health service", default=False)
    specialisms = models.JSONField(default=list, blank=True)
    min_age = models.PositiveSmallIntegerField(validators=[MinValueValidator(4), MaxValueValidator(19)])
    max_age = models.PositiveSmallIntegerField(validators=[MinValueValidator(4), MaxValueValidator(25)])
    capacity = models.PositiveIntegerField(help_text="Places at any one time")
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=8)
    location_la = CodeField("local authority it is in", code_set_name="la")
    residential = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age__lte=models.F("max_age")),
                name="provider_age_range_in_order",
                violation_error_message="The oldest age must be the same as or more than the youngest age.",
                violation_error_code="max_age",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.area_reference:
            self.area_reference = next_area_reference(self.organisation.area.la_code, Provider.objects)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("provider_detail", args=[self.public_id])

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def in_area(self) -> bool:
        return self.location_la == self.organisation.area.la_code

    @property
    def offer_labels(self) -> list[str]:
        return [label for field, label in self.OFFERS if getattr(self, field)]

    @property
    def specialism_labels(self) -> list[str]:
        return [Specialism(s).label for s in self.specialisms if s in Specialism.values]


class ApprovalStatus(models.TextChoices):
    APPROVED = "approved", "Approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
    UNDER_REVIEW = "under_review", "Under review"
    SUSPENDED = "suspended", "Suspended"
    NOT_APPROVED = "not_approved", "Not approved"


# A provider may take new placements without a recorded justification only with one of these.
APPROVED = (ApprovalStatus.APPROVED, ApprovalStatus.APPROVED_WITH_CONDITIONS)


class ApprovalModel(models.TextChoices):
    """How the area came to its decision (the approval models seen in practice: research/ap-rulebook.md, section 6)."""

    SELF_DECLARED = "self_declared", "Self-declared: the provider's own entry in the directory"
    LA_VERIFIED = "la_verified", "LA-verified: a quality-assurance visit checked safeguarding and health and safety"
    TENDERED = "tendered", "Tendered against the area's specification"
    FRAMEWORK_LOT = "framework_lot", "A lot of a framework or dynamic purchasing system"
    SPOT = "spot", "Spot purchase"


class ProviderApproval(models.Model):
    """One decision of the area on a provider's approval. Never changed or deleted: the latest is the provider's
    approval today, the rest its history."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="approvals")
    status = models.CharField(max_length=30, choices=ApprovalStatus.choices)
    approval_model = models.CharField("approval model", max_length=20, choices=ApprovalModel.choices)
    reason = models.TextField(help_text="Why, and for approval with conditions, the conditions")
    decided_on = models.DateField("date decided")
    review_by = models.DateField("review by", null=True, blank=True, help_text="When the area looks at it again")
    decided_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["provider", "-decided_on", "-pk"]
        indexes = [models.Index(fields=["provider", "-decided_on", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="provider_approval_has_reason",
                violation_error_code="reason",
                violation_error_message="Enter why the provider has this approval",
            ),
            models.CheckConstraint(
                condition=Q(review_by__isnull=True) | Q(review_by__gt=models.F("decided_on")),
                name="provider_approval_review_after_decision",
                violation_error_code="review_by",
                violation_error_message="The review date must be after the date decided",
            ),
        ]

    def __str__(self):
        return f"{self.provider}: {self.get_status_display()} on {self.decided_on:%d/%m/%Y}"

    @property
    def approved(self) -> bool:
        return self.status in APPROVED


# Safeguarding and compliance checks (issue 13, item 3). The kinds of check are a reference code set,
# core/reference/provider_check_types.csv, taken from DfE's standards for non-school AP.


class CheckOutcome(models.TextChoices):
    SATISFACTORY = "satisfactory", "Seen and satisfactory"
    CONCERNS = "concerns", "Seen, with concerns"
    NOT_PROVIDED = "not_provided", "Not provided"
    NOT_APPLICABLE = "not_applicable", "Does not apply to this setting"


class CheckStatus(models.TextChoices):
    """Where a kind of check stands for a provider on a day, from its latest record (providers.checks)."""

    MISSING = "check_missing", "Missing"
    EXPIRED = "check_expired", "Expired"
    CONCERNS = "check_concerns", "Concerns"
    EXPIRING = "check_expiring", "Expiring"
    VALID = "check_valid", "Valid"
    NOT_APPLICABLE = "check_not_applicable", "Does not apply"


class ProviderCheck(models.Model):
    """One check of a provider, as seen on a day by someone, with the evidence and when it must be made again.

    Never changed or deleted: a check made again is a new record, and the latest of each kind is the one that
    counts; the rest are its history.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="checks")
    check_type = CodeField("check", code_set_name="provider_check_type")
    outcome = models.CharField(max_length=20, choices=CheckOutcome.choices)
    evidence = models.TextField("evidence seen", blank=True, help_text="What was seen, and what it showed")
    filename = models.CharField("evidence file", max_length=255, blank=True)
    content = models.BinaryField(editable=False, blank=True, default=b"")
    dsl_name = models.CharField("designated safeguarding lead", max_length=200, blank=True)
    dsl_trained_on = models.DateField("lead's training", null=True, blank=True)
    deputy_name = models.CharField("deputy designated safeguarding lead", max_length=200, blank=True)
    deputy_trained_on = models.DateField("deputy's training", null=True, blank=True)
    seen_by = models.CharField("seen by", max_length=200, help_text="The name and role of who saw the evidence")
    seen_on = models.DateField("date seen")
    expires_on = models.DateField("expires on", help_text="The last day the check stands")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    # The LA, or the provider keeping its own record: a reader sees which.
    recorded_for = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="recorded by the organisation"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["provider", "check_type", "-seen_on", "-pk"]
        indexes = [
            models.Index(fields=["provider", "check_type", "-seen_on", "-id"]),
            models.Index(fields=["expires_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("seen_on")),
                name="provider_check_expires_after_seen",
                violation_error_code="expires_on",
                violation_error_message="The expiry date must be after the date seen",
            ),
            models.CheckConstraint(
                condition=~Q(evidence="") | Q(outcome="not_provided"),
                name="provider_check_has_evidence",
                violation_error_code="evidence",
                violation_error_message="Enter the evidence seen: what it was and what it showed",
            ),
        ]

    def __str__(self):
        return f"{self.provider}: {self.get_check_type_display()} seen {self.seen_on:%d/%m/%Y}"

    def status_on(self, today, warning_days: int) -> str:
        """Where this check stands on a day: it stands to the end of its expiry date, and is expiring from
        `warning_days` before it."""
        if self.outcome == CheckOutcome.NOT_PROVIDED:
            return CheckStatus.MISSING
        if self.expires_on < today:
            return CheckStatus.EXPIRED
        if self.outcome == CheckOutcome.CONCERNS:
            return CheckStatus.CONCERNS
        if (self.expires_on - today).days <= warning_days:
            return CheckStatus.EXPIRING
        if self.outcome == CheckOutcome.NOT_APPLICABLE:
            return CheckStatus.NOT_APPLICABLE
        return CheckStatus.VALID


def check_type_info(code: str) -> dict:
    """A kind of check's row of core/reference/provider_check_types.csv (its rule columns)."""
    return code_set("provider_check_type")[code].row


def check_default_expiry(
    *, check_type: str, seen_on: date, dsl_trained_on: date | None = None, deputy_trained_on: date | None = None
) -> date:
    """When a check expires unless the person recording says otherwise: its kind's months of validity from the day
    the evidence was seen; for the designated safeguarding lead, from the earlier of the two trainings."""
    start = seen_on
    if check_type_info(check_type)["names_people"] == "Y":
        start = min([d for d in (dsl_trained_on, deputy_trained_on) if d] or [seen_on])
    return start + relativedelta(months=int(check_type_info(check_type)["valid_months"]))
