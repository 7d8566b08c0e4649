"""AP providers: the settings the area commissions, on the approved list or not."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.codes import label
from core.fields import CodeField
from core.models import Organisation, UploadedList


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
    # The directory (issue 13, item 1): what a commissioner looks for when choosing a setting.
    key_stages = models.JSONField("key stages", default=list, blank=True)
    qualifications = models.JSONField(
        default=list, blank=True, help_text="Codes of the qualification code set (core/reference/qualifications.csv)"
    )
    qualified_teachers = models.PositiveSmallIntegerField(
        "qualified teachers", null=True, blank=True, help_text="How many of its teachers hold qualified teacher status"
    )
    cost_per_day = models.DecimalField(
        "cost per day (£)", max_digits=7, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    cost_per_session = models.DecimalField(
        "cost per session (£)", max_digits=7, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    school_site_of = models.ForeignKey(
        Organisation,
        verbose_name="run by or on the site of",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A school whose AP this is, though not under the school's URN",
    )
    # Of the main site: from Get Information about Schools, or the centre of its postcode's district.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

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
            models.CheckConstraint(
                condition=Q(cost_per_day__isnull=True) | Q(cost_per_day__gte=0),
                name="provider_cost_per_day_not_negative",
                violation_error_code="cost_per_day",
                violation_error_message="A cost cannot be less than £0",
            ),
            models.CheckConstraint(
                condition=Q(cost_per_session__isnull=True) | Q(cost_per_session__gte=0),
                name="provider_cost_per_session_not_negative",
                violation_error_code="cost_per_session",
                violation_error_message="A cost cannot be less than £0",
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

    # Set by the directory's search from a postcode: how far the main site is, in miles.
    miles_away = None

    @property
    def vacancies(self) -> int:
        """Places free today: capacity less the children placed today (as providers_for counts them); never stored."""
        return max(self.capacity - self.children_today, 0)

    @property
    def key_stage_labels(self) -> list[str]:
        return [KeyStage(s).label for s in self.key_stages if s in KeyStage.values]

    @property
    def qualification_labels(self) -> list[str]:
        return [label("qualification", code) for code in self.qualifications]


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


class KeyStage(models.TextChoices):
    """The key stages, with the ages at the start of the school year (31 August) of the children in them."""

    KS1 = "ks1", "Key stage 1 (5 to 7)"
    KS2 = "ks2", "Key stage 2 (7 to 11)"
    KS3 = "ks3", "Key stage 3 (11 to 14)"
    KS4 = "ks4", "Key stage 4 (14 to 16)"
    POST16 = "post16", "Post-16"


# Ages on 31 August of the children in each key stage: year 1 are 5, year 6 are 10, year 11 are 15.
KEY_STAGE_AGES = {
    KeyStage.KS1: (5, 6),
    KeyStage.KS2: (7, 10),
    KeyStage.KS3: (11, 13),
    KeyStage.KS4: (14, 15),
    KeyStage.POST16: (16, 18),
}


def key_stages_for(youngest: int, leaving_age: int) -> list[str]:
    """The key stages of a setting that takes children from `youngest` and until they turn `leaving_age` (as Get
    Information about Schools gives its statutory low and high ages: 11 to 16 is years 7 to 11, key stages 3 and 4)."""
    return [
        str(stage)
        for stage, (low, high) in KEY_STAGE_AGES.items()
        if low <= leaving_age - 1 and high >= youngest and leaving_age > youngest
    ]


class ProviderSite(models.Model):
    """Another place a provider teaches; its address on the provider itself is its main site."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=200, help_text="As the provider calls it, for example Barn Lane workshop")
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=8)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["provider", "name"]

    def __str__(self):
        return f"{self.provider}: {self.name}"


class ProviderContact(models.Model):
    """Someone to speak to at a provider about a place: who they are, their role, how to reach them."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, help_text="For example Head of centre, or Admissions")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["provider", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""),
                name="provider_contact_reachable",
                violation_error_code="email",
                violation_error_message="Enter an email address or a phone number",
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.role}"


class GiasImport(UploadedList):
    """A Get Information about Schools establishment extract uploaded by the LA, kept between check and confirmation."""
