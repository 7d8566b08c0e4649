"""AP providers: the settings the area commissions, on the approved list or not."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

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
