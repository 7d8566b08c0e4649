"""The journey around a placement, first half: referral, multi-agency panel and its decision (issue 11).

A referral is written by the organisation that refers (a school for its own pupil, the LA, health,
social care), kept as a draft until sent, then waits for a panel. The LA puts it on a panel's
agenda; the panel's decision, with its rationale, closes it. What each status allows is in
`casework.services`; who sees what is in `core.access`.
"""

import uuid

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from children.models import Child
from core.fields import CodeField
from core.models import Area, Organisation, User
from providers.models import Provider


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Awaiting a panel"
    DECIDED = "decided", "Decided"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ViewsGathered(models.TextChoices):
    """How a child's or a family's own views were gathered, so the panel can weigh them."""

    IN_PERSON = "in_person", "In person"
    ADVOCATE = "advocate", "Through an advocate"
    SYMBOLS = "symbols", "With symbols or pictures"
    INTERPRETER = "interpreter", "In another language, with an interpreter"
    WRITTEN = "written", "In writing"
    DECLINED = "declined", "They declined to give their views"


class Referral(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="referrals")
    referrer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_made",
        verbose_name="referring organisation",
    )
    status = models.CharField(max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT)
    reason = CodeField("main reason for the referral", code_set_name="referral_reason")
    needs = models.TextField("the child's needs", blank=True)
    tried_in_school = models.TextField(
        "what has been tried in school, by whom, and what difference it made", blank=True
    )
    risk_and_safeguarding = models.TextField("risks and safeguarding context", blank=True)
    child_views = models.TextField("the child's own views", blank=True)
    child_views_gathered = models.CharField(
        "how the child's views were gathered", max_length=12, choices=ViewsGathered.choices, blank=True
    )
    family_views = models.TextField("the parent or carer's views", blank=True)
    family_views_gathered = models.CharField(
        "how the parent or carer's views were gathered", max_length=12, choices=ViewsGathered.choices, blank=True
    )
    off_site_direction = models.BooleanField(
        "an off-site direction",
        default=False,
        help_text="A school directing a pupil off site to improve their behaviour: the family is told, not asked",
    )
    family_consented_on = models.DateField("date the family consented", null=True, blank=True)
    family_told_on = models.DateField("date the family was told of the direction", null=True, blank=True)
    # What the record held when the referral was sent: attendance, suspensions and exclusions, pulled, not typed.
    record_when_sent = models.JSONField(default=dict, blank=True)
    fast_tracked_at = models.DateTimeField(null=True, blank=True)
    fast_tracked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    fast_track_reason = models.TextField("why this referral is fast-tracked", blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField("why the referral was withdrawn", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "sent_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ReferralStatus.DRAFT) | Q(sent_at__isnull=False),
                name="referral_sent_has_sent_at",
                violation_error_message="A referral that has been sent must say when.",
            ),
            # One open referral of a child per referring organisation: a second click makes no second referral.
            models.UniqueConstraint(
                fields=["child", "referrer"],
                condition=Q(status__in=[ReferralStatus.DRAFT, ReferralStatus.SENT]),
                name="referral_one_open_per_referrer",
                violation_error_message="Your organisation already has a referral of this child that is open.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.WITHDRAWN)
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
                name="referral_withdrawn_says_when_and_why",
                violation_error_code="withdrawal_reason",
                violation_error_message="Enter why the referral is withdrawn.",
            ),
            models.CheckConstraint(
                condition=Q(fast_tracked_at__isnull=True)
                | (~Q(status=ReferralStatus.DRAFT) & ~Q(fast_track_reason="")),
                name="referral_fast_tracked_once_sent_with_reason",
                violation_error_code="fast_track_reason",
                violation_error_message="Only a sent referral is fast-tracked, and with a reason.",
            ),
        ]

    def __str__(self):
        return f"Referral of {self.child} by {self.referrer}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("referral_detail", args=[self.public_id])

    @property
    def is_fast_tracked(self) -> bool:
        return self.fast_tracked_at is not None


class PanelKind(models.Model):
    """The area's own kinds of multi-agency panel: fair access panel, inclusion panel, hot-clinic triage."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="panel_kinds")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="panel_kind_unique_name",
                violation_error_message="The area already has a kind of panel with this name.",
            )
        ]

    def __str__(self):
        return self.name


class Sector(models.TextChoices):
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Social care"
    OTHER = "other", "Other"


# A decision made without these is flagged: the inspectorate found decisions made without health or care.
SECTORS_A_PANEL_NEEDS = (Sector.HEALTH, Sector.SOCIAL_CARE)


class Panel(models.Model):
    """One meeting of a multi-agency panel: its date, who came, its agenda of referrals and its decisions."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="panels")
    kind = models.ForeignKey(PanelKind, on_delete=models.PROTECT, related_name="panels")
    meets_on = models.DateField("date of the panel")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-meets_on"]

    def __str__(self):
        return f"{self.kind} on {self.meets_on:%d/%m/%Y}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("panel_detail", args=[self.public_id])

    def sectors_missing(self, members=None) -> list[Sector]:
        """The sectors a panel needs that none of its members came from (members: already read, if they were)."""
        present = {m.sector for m in (self.members.all() if members is None else members)}
        return [s for s in SECTORS_A_PANEL_NEEDS if s not in present]


class PanelMember(models.Model):
    """Someone who attended a panel, and the sector they spoke for."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    person_name = models.CharField("name", max_length=200)
    role = models.CharField("role", max_length=200, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sector = models.CharField(max_length=12, choices=Sector.choices)

    class Meta:
        ordering = ["sector", "person_name"]

    def __str__(self):
        return f"{self.person_name} ({self.organisation})"


class AgendaItem(models.Model):
    """A referral on a panel's agenda, waiting for the panel's decision."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="agenda")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="agenda_items")
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "referral"],
                name="agenda_item_once_per_panel",
                violation_error_message="This referral is already on the panel's agenda.",
            )
        ]

    def __str__(self):
        return f"{self.referral} at {self.panel}"


class Decision(models.Model):
    """What a panel decided about a referral, and why. Recorded by the LA; seen by the referrer and those involved."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="decision")
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="decisions")
    outcome = CodeField("decision", code_set_name="panel_outcome")
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="panel_decisions"
    )
    rationale = models.TextField("why the panel decided this")
    # The sectors the panel lacked when it decided, kept with the decision so the flag stays true to the day.
    sectors_missing = models.JSONField(default=list, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(rationale=""),
                name="decision_has_rationale",
                violation_error_code="rationale",
                violation_error_message="Enter why the panel made this decision.",
            )
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} for {self.referral.child}"

    def sectors_missing_labels(self) -> list[str]:
        return [Sector(s).label for s in self.sectors_missing]
