"""AP providers: the settings the area commissions, on the approved list or not."""

import uuid
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.codes import code_set, label
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


# Quality assurance (issue 13, item 4): the area's framework, versioned, and the visits made against it.


class QAFramework(models.Model):
    """The area's framework for quality-assuring its providers. What it asks lives in its versions: a visit keeps
    the version it used, and a change is a new draft version, published when ready."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.OneToOneField("core.Area", on_delete=models.PROTECT, related_name="qa_framework")
    name = models.CharField(max_length=200)
    visit_interval_months = models.PositiveSmallIntegerField(
        "months between quality-assurance visits",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="Every provider with children placed is visited at least this often: at most 12 months (yearly)",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(visit_interval_months__gte=1, visit_interval_months__lte=12),
                name="qa_framework_visit_at_least_yearly",
                violation_error_code="visit_interval_months",
                violation_error_message="Visit at least once a year: enter a number of months from 1 to 12",
            ),
        ]

    def __str__(self):
        return self.name


class QAVersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class QAFrameworkVersion(models.Model):
    """One version of the framework. A draft is changed freely; a published version never changes."""

    framework = models.ForeignKey(QAFramework, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=QAVersionStatus.choices, default=QAVersionStatus.DRAFT)
    published_on = models.DateField("date published", null=True, blank=True)
    published_by = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="qa_version_number_unique"),
            models.UniqueConstraint(
                fields=["framework"], condition=Q(status="draft"), name="qa_version_one_draft_at_a_time"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_on__isnull=False),
                name="qa_version_published_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.framework}, version {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == QAVersionStatus.DRAFT


class QASignal(models.TextChoices):
    """What a point of the area's rating scale means for oversight, whatever the area calls it: the colour it
    shows in (a red-amber-green reading of any scale)."""

    GREEN = "green", "Green: meets the standard"
    AMBER = "amber", "Amber: partly meets it, improvement needed"
    RED = "red", "Red: does not meet it, action needed now"


class QARatingPoint(models.Model):
    """A point of the version's rating scale, with the guidance on when to give it."""

    version = models.ForeignKey(QAFrameworkVersion, on_delete=models.CASCADE, related_name="points")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=60)
    guidance = models.TextField()
    signal = models.CharField(max_length=10, choices=QASignal.choices)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="qa_point_position_unique"),
            models.UniqueConstraint(fields=["version", "label"], name="qa_point_label_unique"),
        ]

    def __str__(self):
        return self.label

    @property
    def tag(self) -> str:
        return f"qa_{self.signal}"


class QATheme(models.Model):
    """A theme of the framework: for the DfE standards, one of their four areas."""

    version = models.ForeignKey(QAFrameworkVersion, on_delete=models.CASCADE, related_name="themes")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="qa_theme_position_unique")]

    def __str__(self):
        return self.title


class QACriterion(models.Model):
    """What a visit rates, with guidance on what to look for."""

    theme = models.ForeignKey(QATheme, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField()
    text = models.CharField("criterion", max_length=300)
    guidance = models.TextField("what to look for", blank=True)

    class Meta:
        ordering = ["theme__position", "position"]
        constraints = [models.UniqueConstraint(fields=["theme", "position"], name="qa_criterion_position_unique")]

    def __str__(self):
        return self.text


class QAVisitFor(models.TextChoices):
    """For whom a visit is made: the commissioners who rely on it."""

    LOCAL_AUTHORITY = "local_authority", "The local authority"
    SCHOOLS = "schools", "Schools placing children"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Social care"


class QAStrandSector(models.TextChoices):
    """The strands of one holistic visit: the visitor writes education and safeguarding; a health practitioner
    (a designated clinical officer) and a social worker add theirs to the same record."""

    EDUCATION = "education", "Education"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Social care"


class QAVisit(models.Model):
    """A quality-assurance visit to a provider against one version of the area's framework.

    The record is shared: the LA's visit is read by the schools placing children there, the provider reads its
    own, and health and social care add their strands to it. Only the organisation that made it changes it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="qa_visits")
    version = models.ForeignKey(QAFrameworkVersion, on_delete=models.PROTECT, related_name="visits")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", help_text="Whose visit it is: who keeps it"
    )
    visited_on = models.DateField("date of the visit")
    visitors = models.ManyToManyField("core.User", related_name="+", blank=True)
    other_visitors = models.CharField(
        "others who visited", max_length=300, blank=True, help_text="Names and roles of visitors without an account"
    )
    for_whom = models.JSONField("for whom", default=list)
    strengths = models.TextField()
    children_views = models.TextField("the children's views")
    overall = models.ForeignKey(
        QARatingPoint, on_delete=models.PROTECT, related_name="+", verbose_name="overall judgement"
    )
    overall_summary = models.TextField("why: the overall judgement in words")
    next_visit_on = models.DateField("date of the next visit")
    recorded_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["provider", "-visited_on", "-pk"]
        indexes = [models.Index(fields=["provider", "-visited_on", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_visit_on__gt=models.F("visited_on")),
                name="qa_visit_next_after_this",
                violation_error_code="next_visit_on",
                violation_error_message="The next visit must be after this one",
            ),
        ]

    def __str__(self):
        return f"{self.provider}: quality-assurance visit on {self.visited_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("qa_visit_detail", args=[self.public_id])

    @property
    def for_whom_labels(self) -> list[str]:
        return [QAVisitFor(v).label for v in self.for_whom if v in QAVisitFor.values]


class QARating(models.Model):
    """A criterion's rating at a visit, with the evidence seen."""

    visit = models.ForeignKey(QAVisit, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(QACriterion, on_delete=models.PROTECT, related_name="+")
    point = models.ForeignKey(QARatingPoint, on_delete=models.PROTECT, related_name="+")
    evidence = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "criterion"], name="qa_rating_once_per_criterion")]

    def __str__(self):
        return f"{self.criterion}: {self.point}"


class QAStrand(models.Model):
    """One sector's findings at a visit, written by someone of that sector."""

    visit = models.ForeignKey(QAVisit, on_delete=models.CASCADE, related_name="strands")
    sector = models.CharField(max_length=20, choices=QAStrandSector.choices)
    findings = models.TextField()
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["visit", "pk"]
        constraints = [models.UniqueConstraint(fields=["visit", "sector"], name="qa_strand_once_per_sector")]

    def __str__(self):
        return f"{self.get_sector_display()} strand"


class QAAction(models.Model):
    """An action a visit agreed, with who owns it and by when; done when its owner says so."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    visit = models.ForeignKey(QAVisit, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField("action")
    owner = models.CharField(max_length=200, help_text="Who carries it out: a person and their role")
    due_on = models.DateField("due by")
    done_on = models.DateField("date done", null=True, blank=True)
    done_by = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["visit", "due_on", "pk"]
        indexes = [models.Index(fields=["due_on"], condition=Q(done_on__isnull=True), name="qa_action_open_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(done_by__isnull=False),
                name="qa_action_done_says_by_whom",
            ),
        ]

    def __str__(self):
        return self.text


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
