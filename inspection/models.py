"""Inspections of the area's alternative provision, and the key that pseudonymises children for each."""

import hashlib
import hmac
import secrets
import uuid

from django.db import models
from django.db.models import F, Q

from core.models import Area, User
from core.periods import is_open_on


def new_key() -> str:
    return secrets.token_hex(32)


class Inspection(models.Model):
    """A thematic visit of alternative provision to the area (Ofsted and CQC, Annex A).

    Each inspection has its own pseudonymisation key, so the ids inspectors see cannot
    be matched across inspections, nor worked back to a child without the key.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="inspections")
    notified_on = models.DateField("date the area was notified")
    visit_starts_on = models.DateField("first day of the visit")
    visit_ends_on = models.DateField("last day of the visit")
    lead_inspector = models.CharField(max_length=200)
    key = models.CharField(max_length=64, default=new_key, editable=False)
    inspectors = models.ManyToManyField(
        User,
        blank=True,
        related_name="inspections",
        help_text="Inspectors' accounts, which see this inspection until it ends",
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visit_starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visit_ends_on__gte=F("visit_starts_on")),
                name="inspection_visit_dates_in_order",
                violation_error_message="The last day of the visit must be the same as or after the first day.",
                violation_error_code="visit_ends_on",
            ),
            models.CheckConstraint(
                condition=Q(visit_starts_on__gte=F("notified_on")),
                name="inspection_visit_after_notification",
                violation_error_message="The visit starts on or after the day the area was notified.",
                violation_error_code="visit_starts_on",
            ),
        ]

    def __str__(self):
        return f"Inspection of {self.area} from {self.visit_starts_on:%d/%m/%Y}"

    def is_open_on(self, day) -> bool:
        """Inspectors see an inspection from its notification to the last day of the visit."""
        return is_open_on(self.notified_on, self.visit_ends_on, day)

    def pseudonym(self, child_public_id: uuid.UUID) -> str:
        """The child's id for this inspection: a keyed hash of the child's random public id."""
        digest = hmac.new(bytes.fromhex(self.key), child_public_id.bytes, hashlib.sha256).hexdigest()
        return f"AP-{digest[:10].upper()}"


class EvidenceRequest(models.TextChoices):
    """The documents Annex A asks the area for, in its order."""

    STRATEGIC_PLANNING = "strategic_planning", "Strategic planning for AP"
    COMMISSIONING = "commissioning", "Commissioning arrangements"
    PATHWAYS = "pathways", "Assessment, diagnostic and support pathways"
    INFORMATION_EXCHANGE = "information_exchange", "Information exchange between commissioners and providers"
    HEALTH_SYSTEM = "health_system", "Overview of the health system"
    MONITORING = "monitoring", "Monitoring and evaluation"
    TRANSITIONS = "transitions", "Transition practices"
    ACCOUNTABILITY = "accountability", "Accountability"
    IMPACT = "impact", "Impact"
    TASKFORCE = "taskforce", "AP taskforce involvement"
    UNLISTED_SCHOOL_AP = "unlisted_school_ap", "AP within state-funded schools not on GIAS"


class EvidenceItem(models.Model):
    """A document or link the area holds for one of Annex A's requests, or its word that it holds none.

    "Not held" is a valid answer: nothing is produced just for a visit.
    """

    class Kind(models.TextChoices):
        DOCUMENT = "document", "A document"
        LINK = "link", "A link to a published page"
        NOT_HELD = "not_held", "Not held"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="evidence")
    request = models.CharField("what it answers", max_length=30, choices=EvidenceRequest.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200, blank=True)
    url = models.URLField("link", blank=True)
    filename = models.CharField(max_length=255, blank=True)
    content = models.BinaryField(blank=True, editable=False)
    note = models.CharField(
        max_length=500, blank=True, help_text="Which parts answer the request, or why it is not held"
    )
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "-added_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="link") | ~Q(url=""),
                name="evidence_link_has_url",
                violation_error_message="Enter the link to the page.",
                violation_error_code="url",
            ),
            models.CheckConstraint(
                condition=Q(kind="not_held") | ~Q(title=""),
                name="evidence_has_title",
                violation_error_message="Enter a title for the document or link.",
                violation_error_code="title",
            ),
        ]

    def __str__(self):
        return self.title or self.get_kind_display()


class VisitActivity(models.Model):
    """One activity of an inspection visit, for the record and its summary."""

    class Kind(models.TextChoices):
        SET_UP = "set_up", "Set-up discussion"
        MEETING = "meeting", "Meeting with leaders or partners"
        TRACKING = "tracking", "Tracking meeting"
        SAMPLING = "sampling", "Sampling visit to a provider"
        FEEDBACK = "feedback", "Feedback"
        OTHER = "other", "Other"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    held_on = models.DateField("date")
    title = models.CharField(
        max_length=200, help_text="For example, meeting with the ICB's designated clinical officer"
    )
    provider = models.ForeignKey(
        "providers.Provider",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The setting visited, for a sampling visit",
    )
    attendees = models.CharField(max_length=500, blank=True, help_text="Roles and organisations, not children's names")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="sampling") | Q(provider__isnull=False),
                name="visit_activity_sampling_names_provider",
                violation_error_message="Choose the setting visited.",
                violation_error_code="provider",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


class TrackedChild(models.Model):
    """A child the inspectors selected, by pseudonymised id, for a tracking meeting."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="tracked")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")
    pseudonym = models.CharField(max_length=20)
    selected_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspection", "child"], name="tracked_child_once")]

    def __str__(self):
        return self.pseudonym
