"""The journey around a placement, first half: referral, multi-agency panel and its decision (issue 11).

A referral is written by the organisation that refers (a school for its own pupil, the LA, health,
social care), kept as a draft until sent, then waits for a panel. The LA puts it on a panel's
agenda; the panel's decision, with its rationale, closes it. What each status allows is in
`casework.services`; who sees what is in `core.access`.
"""

import uuid

from django.conf.locale import LANG_INFO
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from casework.schedule import REVIEW_KINDS
from children.models import Child
from core.codes import code_set
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


class ReferralContribution(models.Model):
    """What a practitioner involved with the child adds to a sent referral for the panel: health's or care's view.

    The inspectorate found decisions made without health or care; the panel reads these beside the referral.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="contributions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sector = models.CharField(max_length=12, choices=Sector.choices)
    text = models.TextField("what the panel should know")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="contribution_has_text",
                violation_error_code="text",
                violation_error_message="Enter what the panel should know.",
            )
        ]

    def __str__(self):
        return f"{self.organisation} on {self.referral}"


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
        # As the pages write dates: 7 December 2026.
        return f"{self.kind} on {self.meets_on.day} {self.meets_on:%B %Y}"

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


def family_language_choices() -> list[tuple[str, str]]:
    """The languages Django knows by name, English first, so that nobody types a language list by hand."""
    named = sorted(((code, info["name"]) for code, info in LANG_INFO.items() if "name" in info), key=lambda c: c[1])
    return [("en", "English"), *[(code, name) for code, name in named if code != "en"]]


class PersonalisedPlan(models.Model):
    """What a placement is for and how it ends (DfE, Arranging AP, 2025): one per placement.

    It replaces and extends the commissioning agreement: objectives each with a measure, a baseline and a
    date; the intervention and its timeline; the reintegration plan or next step; for an off-site direction
    the agreed maximum period; what the family was told and in which language; and the child's baseline the
    provider needs. Its timeframe is the placement's planned end date, and its hours and timetable are the
    placements' own (read across every setting the child attends, never typed twice).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    placement = models.OneToOneField("placements.Placement", on_delete=models.PROTECT, related_name="personalised_plan")
    decision = models.OneToOneField(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="personalised_plan",
        help_text="The panel decision the placement follows, if it follows one",
    )
    intervention = models.TextField(
        "the intervention",
        blank=True,
        help_text="What the setting will do with the child, and who does it: teaching, therapy, mentoring",
    )
    intervention_timeline = models.TextField(
        "the intervention's timeline",
        blank=True,
        help_text="Its stages and when each happens, for example settling in, building hours, preparing to return",
    )
    reintegration_plan = models.TextField(
        "the reintegration plan or next step",
        help_text="What happens at the end: return to school, a specialist place, post-16, and who makes it happen",
    )
    off_site_direction = models.BooleanField(
        "an off-site direction",
        default=False,
        help_text="A school directing a pupil off site to improve their behaviour: the family is told, not asked",
    )
    maximum_end_date = models.DateField(
        "end of the agreed maximum period",
        null=True,
        blank=True,
        help_text="For an off-site direction: the latest the placement may last, agreed with the setting",
    )
    # What the family was told, point by point as the guidance lists them, so a gap shows.
    family_told_on = models.DateField("date the family was told", null=True, blank=True)
    family_language = models.CharField(
        "language the family was told in", max_length=15, choices=family_language_choices, default="en"
    )
    family_told_why = models.TextField("why the child is placed", blank=True)
    family_told_start = models.TextField("when it starts", blank=True)
    family_told_length = models.TextField("for how long", blank=True)
    family_told_who_where = models.TextField("who will teach the child, and where", blank=True)
    family_told_review = models.TextField("how and when it will be reviewed", blank=True)
    # The child's baseline the setting needs from the first day, so it does not spend weeks rebuilding it.
    baseline_needs = models.TextField("the child's needs", blank=True)
    baseline_triggers = models.TextField("what triggers distress or behaviour", blank=True)
    baseline_what_works = models.TextField("what works", blank=True)
    baseline_attainment = models.TextField(
        "attainment", blank=True, help_text="Latest assessments and reading age, with their dates"
    )
    baseline_ehc_sections = models.TextField(
        "EHC plan sections the setting needs",
        blank=True,
        help_text="For a child with an EHC plan: the needs (section B), outcomes (E) and provision (F) that apply",
    )
    agreed_on = models.DateField("date agreed")
    agreed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # Kept from the objectives (objectives_due_refresh) so that "plans past their timeframe" is a condition on the
    # plan, not a search of every objective.
    last_objective_due = models.DateField(
        "date the last objective is due",
        null=True,
        blank=True,
        editable=False,
        help_text="The latest of the objectives' dates: the plan has run its time after it",
    )

    history = HistoricalRecords()

    class Meta:
        # What the dashboard and the flags ask of every open placement's plan (is there one; has it run out), read
        # from the index alone: the plan's row is wide with the family's and the child's words.
        indexes = [
            models.Index(
                fields=["placement", "id", "last_objective_due", "off_site_direction", "maximum_end_date"],
                name="plan_facts_of_placement",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reintegration_plan=""),
                name="plan_has_reintegration_plan",
                violation_error_code="reintegration_plan",
                violation_error_message="Enter the reintegration plan or the next step",
            ),
            models.CheckConstraint(
                condition=Q(off_site_direction=False) | Q(maximum_end_date__isnull=False),
                name="plan_off_site_direction_has_maximum",
                violation_error_code="maximum_end_date",
                violation_error_message="Enter the end of the agreed maximum period: the placement is an off-site direction",
            ),
        ]

    def __str__(self):
        return f"Personalised plan for {self.placement}"

    def family_told_missing(self) -> list[str]:
        """The points the guidance says a family is told that the plan does not record."""
        return [
            self._meta.get_field(name).verbose_name for name in FAMILY_TOLD_POINTS if not getattr(self, name).strip()
        ]


FAMILY_TOLD_POINTS = (
    "family_told_why",
    "family_told_start",
    "family_told_length",
    "family_told_who_where",
    "family_told_review",
)


class PlanObjective(models.Model):
    """One objective of a personalised plan: what the child should achieve, how it is measured, from where, by when."""

    plan = models.ForeignKey(PersonalisedPlan, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveSmallIntegerField(default=1)
    description = models.TextField("objective", help_text="What the child should achieve")
    measure = models.TextField("how it is measured", help_text="Attendance, an assessment, the child's own view")
    # Blank only on objectives carried over from a commissioning agreement, which had none: the plan page asks.
    baseline = models.TextField("where the child is now", blank=True, help_text="The measure's value at the start")
    target_date = models.DateField("by when", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(description="") & ~Q(measure=""),
                name="objective_has_description_and_measure",
                violation_error_message="An objective needs what it is and how it is measured.",
            ),
        ]

    def __str__(self):
        return self.description


def objectives_due_refresh(plan_ids) -> None:
    """Set each plan's last objective date from its objectives: called whenever an objective is written."""
    last = PlanObjective.objects.filter(plan=models.OuterRef("pk")).order_by(
        models.F("target_date").desc(nulls_last=True)
    )
    PersonalisedPlan.objects.filter(pk__in=plan_ids).update(
        last_objective_due=models.Subquery(last.values("target_date")[:1])
    )


def objective_written(sender, instance, **kwargs):
    """An objective saved or deleted (connected in casework.apps)."""
    objectives_due_refresh([instance.plan_id])


class ReviewDecision(models.TextChoices):
    CONTINUE = "continue", "Continue as planned"
    EXTEND = "extend", "Extend the placement"
    CHANGE_PROVIDER = "change_provider", "Change provider"
    REINTEGRATE = "reintegrate", "Reintegrate: return to school"
    END = "end", "End the placement"


# Who may take part in a review: (field, words). The guidance: commissioner and provider, with the family.
REVIEW_PARTICIPANTS = (
    ("with_commissioner", "The commissioner"),
    ("with_provider", "The provider"),
    ("with_home_school", "The home school"),
    ("with_family", "The family"),
    ("with_child", "The child"),
    ("with_health", "Health"),
    ("with_care", "Social care"),
)


class Review(models.Model):
    """A review of a placement: who took part, progress on each objective, what the record says since the last
    review, the child's and the family's views, and what was decided (DfE, Arranging AP, 2025: at least half-termly).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    placement = models.ForeignKey("placements.Placement", on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField("date of the review")
    with_commissioner = models.BooleanField("the commissioner took part", default=False)
    with_provider = models.BooleanField("the provider took part", default=False)
    with_home_school = models.BooleanField("the home school took part", default=False)
    with_family = models.BooleanField("the family took part", default=False)
    with_child = models.BooleanField("the child took part", default=False)
    with_health = models.BooleanField("health took part", default=False)
    with_care = models.BooleanField("social care took part", default=False)
    # Attendance and suspensions from the last review (or the start) to this one: pulled from the record, not typed.
    record_since = models.JSONField("the record since the last review", default=dict, blank=True)
    child_views = models.TextField("the child's views")
    family_views = models.TextField("the family's views")
    decision = models.CharField(max_length=20, choices=ReviewDecision.choices)
    new_planned_end_date = models.DateField("new planned end", null=True, blank=True)
    extend_reason = models.TextField("why the placement is extended", blank=True)
    # Agreed at the review, it becomes the placement's next review date; without it the schedule decides.
    next_review_on = models.DateField("date of the next review", null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["placement", "held_on", "pk"]
        # The second: reviews held since a day, across placements (placements out of area not seen this half term).
        indexes = [models.Index(fields=["placement", "held_on"]), models.Index(fields=["held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision=ReviewDecision.EXTEND)
                | (Q(new_planned_end_date__isnull=False) & ~Q(extend_reason="")),
                name="review_extend_has_end_and_reason",
                violation_error_code="new_planned_end_date",
                violation_error_message="An extension needs the new planned end and the reason for it.",
            ),
        ]

    def __str__(self):
        return f"Review of {self.placement} on {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("review_detail", args=[self.public_id])

    @property
    def took_part(self) -> list[str]:
        return [words for name, words in REVIEW_PARTICIPANTS if getattr(self, name)]


class ProgressStatus(models.TextChoices):
    MET = "met", "Met"
    ON_TRACK = "on_track", "On track"
    NOT_ON_TRACK = "not_on_track", "Not on track"


class ObjectiveProgress(models.Model):
    """Progress on one objective of the placement's plan at a review, with its evidence.

    The objective's words are kept too: a plan changed later may reword or remove it.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="progress")
    objective = models.ForeignKey(
        PlanObjective, null=True, blank=True, on_delete=models.SET_NULL, related_name="progress"
    )
    objective_text = models.TextField("objective")
    status = models.CharField(max_length=15, choices=ProgressStatus.choices)
    evidence = models.TextField()

    class Meta:
        ordering = ["review", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "objective"], name="progress_once_per_objective"),
        ]

    def __str__(self):
        return f"{self.objective_text}: {self.get_status_display()}"


class NextReview(models.Model):
    """When an open placement's next review falls due, on its setting's calendar (casework.schedule).

    Worked out again whenever what it depends on is written (the placement, a review, the calendars, the area's
    intervals: casework.services.next_reviews), so that "reviews overdue" is one indexed read however many
    placements. A placement whose setting's calendar has no school days yet to come has none.
    """

    placement = models.OneToOneField(
        "placements.Placement", primary_key=True, on_delete=models.CASCADE, related_name="next_review"
    )
    due_on = models.DateField("next review due")
    kind = models.CharField(max_length=10, choices=REVIEW_KINDS.items())

    class Meta:
        indexes = [models.Index(fields=["due_on"])]

    def __str__(self):
        return f"Next review of {self.placement_id} due {self.due_on:%d/%m/%Y}"

    @property
    def label(self) -> str:
        return self.get_kind_display()


class PlacementVisit(models.Model):
    """A visit to the child where they are taught, by the LA or the commissioner: what oversight of a placement
    out of the area rests on between reviews (the thematic review found it weaker out of area)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    placement = models.ForeignKey("placements.Placement", on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField("date of the visit")
    saw_the_child = models.BooleanField("saw the child")
    what_was_seen = models.TextField("what was seen and heard")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["placement", "visited_on", "pk"]
        indexes = [models.Index(fields=["placement", "visited_on"])]

    def __str__(self):
        return f"Visit to {self.placement} on {self.visited_on:%d/%m/%Y}"


class DestinationCheckKind(models.TextChoices):
    """The checks on a young person who left AP in Year 11 or later (casework.destinations says when each is due)."""

    SEPTEMBER_GUARANTEE = "september_guarantee", "September Guarantee"
    OCTOBER = "october", "October activity"
    MARCH = "march", "March activity"
    TWELVE_MONTHS = "12_months", "12 months after leaving"
    TWENTY_FOUR_MONTHS = "24_months", "24 months after leaving"


class HowKnown(models.TextChoices):
    """Where the activity recorded at a check comes from, so that a reader can weigh it."""

    YOUNG_PERSON = "young_person", "Confirmed with the young person"
    FAMILY = "family", "Told by the parent or carer"
    PROVIDER = "provider", "Confirmed by the college, training provider or employer"
    NCCIS = "nccis", "From the area's NCCIS (CCIS) record"
    OTHER = "other", "Another way (say how in the notes)"


# Months from October to March: the six months DfE's sustained-destination test reads.
MONTHS_OCTOBER_TO_MARCH = 6


class DestinationCheck(models.Model):
    """What a young person who left AP in Year 11 or later was doing at one check, in NCCIS activity codes.

    Keyed on the placement they left: one check of each kind per leaving. The September Guarantee check
    says whether a place was offered; the March check counts the months from October to March in education
    or training and in employment, from which the destination is judged sustained or not
    (casework.destinations.sustained_destination).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        related_name="destination_checks",
        help_text="The AP placement the young person left",
    )
    kind = models.CharField("which check", max_length=20, choices=DestinationCheckKind.choices)
    activity = CodeField("activity (NCCIS code)", code_set_name="post16_activity")
    checked_on = models.DateField("date checked")
    how_known = models.CharField("how it is known", max_length=15, choices=HowKnown.choices)
    offer_made = models.BooleanField("a place was offered", null=True, blank=True, help_text="September Guarantee only")
    months_in_education_or_training = models.PositiveSmallIntegerField(
        "months in education or training, October to March", null=True, blank=True, help_text="March check only"
    )
    months_employed = models.PositiveSmallIntegerField(
        "months employed, October to March", null=True, blank=True, help_text="March check only"
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["placement", "checked_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "kind"],
                name="destination_check_once_per_leaving",
                violation_error_code="kind",
                violation_error_message="This check is already recorded for this young person.",
            ),
            models.CheckConstraint(
                condition=Q(kind=DestinationCheckKind.SEPTEMBER_GUARANTEE, offer_made__isnull=False)
                | (~Q(kind=DestinationCheckKind.SEPTEMBER_GUARANTEE) & Q(offer_made__isnull=True)),
                name="destination_check_offer_on_september_guarantee",
                violation_error_code="offer_made",
                violation_error_message="Say whether a place was offered: only the September Guarantee check records it.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=DestinationCheckKind.MARCH)
                    & Q(months_in_education_or_training__isnull=False, months_employed__isnull=False)
                    & Q(months_in_education_or_training__lte=MONTHS_OCTOBER_TO_MARCH)
                    & Q(months_employed__lte=MONTHS_OCTOBER_TO_MARCH)
                )
                | (
                    ~Q(kind=DestinationCheckKind.MARCH)
                    & Q(months_in_education_or_training__isnull=True)
                    & Q(months_employed__isnull=True)
                ),
                name="destination_check_months_on_march",
                violation_error_code="months_employed",
                violation_error_message="Months from October to March, 0 to 6: only the March check records them.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} check of {self.placement.child}"


class EndReason(models.TextChoices):
    """Why a placement ended (moved here from placements with the exit, issue 12, item 2)."""

    COMPLETED = "completed", "Completed as planned"
    REINTEGRATED = "reintegrated", "Returned to mainstream school"
    SPECIALIST_PLACE = "specialist_place", "Moved to a specialist place"
    ANOTHER_AP = "another_ap", "Moved to another AP setting"
    POST_16 = "post_16", "Left at the end of Year 11"
    MOVED_AWAY = "moved_away", "Moved out of the area"
    BROKE_DOWN = "broke_down", "Placement broke down"
    OTHER = "other", "Other"


# Where a child went after a placement: the code set in core/reference/destinations.csv, with its rule columns
# (`post16_activity_needed`: the NCCIS activity is named; `returns_to_school`: a reintegration attempt follows).
# Named members, e.g. Destination.HOME_SCHOOL.
Destination = models.TextChoices(
    "Destination", [(c.code.upper(), (c.code, c.label)) for c in code_set("destination").values()]
)


def destinations_where(column: str) -> list[str]:
    """The destination codes whose rule column says Y."""
    return [c.code for c in code_set("destination").values() if c.row[column] == "Y"]


class PlacementExit(models.Model):
    """How a placement ended: why, where the child went, and the transition plan with the person who supports the
    child after the move (the thematic review: support that "stops at the front door"). The placement's own end
    date stays on the placement: it is the placement's period, read everywhere.

    Exits copied from the placements' old fields (casework 0010) may lack a destination, a plan or who recorded
    them; every exit recorded since has them (casework.services.exits).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    placement = models.OneToOneField("placements.Placement", on_delete=models.PROTECT, related_name="exit")
    reason = models.CharField("why the placement ended", max_length=20, choices=EndReason.choices, blank=True)
    destination = models.CharField("where the child went", max_length=30, choices=Destination.choices, blank=True)
    post16_activity = CodeField("post-16 activity (NCCIS code)", code_set_name="post16_activity", blank=True)
    destination_detail = models.TextField(
        "more about the destination", blank=True, help_text="The school, college or employer, or what 'other' means"
    )
    transition_plan = models.TextField("transition plan", blank=True)
    support_name = models.CharField("name of the person supporting the child", max_length=200, blank=True)
    support_role = models.CharField("their role", max_length=200, blank=True)
    support_organisation = models.CharField("their organisation", max_length=200, blank=True)
    support_until = models.DateField("support in place until", null=True, blank=True)
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["placement"]
        indexes = [models.Index(fields=["reason"]), models.Index(fields=["destination"])]

    def __str__(self):
        return f"Exit from {self.placement}"

    @property
    def returns_to_school(self) -> bool:
        return self.destination in destinations_where("returns_to_school")

    @property
    def support_shown(self) -> str:
        who = ", ".join(part for part in (self.support_name, self.support_role, self.support_organisation) if part)
        if who and self.support_until:
            who += f", until {self.support_until:%-d %B %Y}"
        return who


class ReintegrationOutcome(models.TextChoices):
    SUSTAINED = "sustained", "Sustained"
    PARTLY = "partly", "Partly sustained"
    BROKE_DOWN = "broke_down", "Broke down"
    NOT_YET_KNOWN = "not_yet_known", "Not yet known"


# An outcome still to be recorded: none given, or "not yet known".
OUTCOMES_OUTSTANDING = ("", ReintegrationOutcome.NOT_YET_KNOWN)
# School weeks from the return to each outcome (counted on the school's calendar, as reviews are).
OUTCOME_WEEKS = (6, 12)


class ReintegrationAttempt(models.Model):
    """An attempt to return a child to school: when, where, with what support, and how it went at 6 and 12 school
    weeks, with why if it broke down. Nobody keeps this today and the sector asks for it (FFT Education Datalab).

    The 6- and 12-week dates are the last school day of the 6th and 12th school week on the school's calendar
    (casework.schedule.SchoolYear), worked out when the attempt is recorded; none if the calendar has no term
    dates that far.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="reintegration_attempts")
    placement = models.ForeignKey(
        "placements.Placement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reintegration_attempts",
        help_text="The AP placement the child returned from, if any",
    )
    returned_on = models.DateField("date of return")
    school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "school"},
    )
    support = models.TextField("support in place")
    six_weeks_on = models.DateField("6 school weeks on", null=True, blank=True)
    twelve_weeks_on = models.DateField("12 school weeks on", null=True, blank=True)
    outcome_6_weeks = models.CharField(
        "outcome at 6 weeks", max_length=15, choices=ReintegrationOutcome.choices, blank=True
    )
    outcome_12_weeks = models.CharField(
        "outcome at 12 weeks", max_length=15, choices=ReintegrationOutcome.choices, blank=True
    )
    why_failed = models.TextField("why it broke down", blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["child", "returned_on", "pk"]
        indexes = [models.Index(fields=["six_weeks_on"]), models.Index(fields=["twelve_weeks_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~(
                    Q(outcome_6_weeks=ReintegrationOutcome.BROKE_DOWN)
                    | Q(outcome_12_weeks=ReintegrationOutcome.BROKE_DOWN)
                )
                | ~Q(why_failed=""),
                name="reintegration_broke_down_says_why",
                violation_error_code="why_failed",
                violation_error_message="Enter why the return to school broke down.",
            ),
        ]

    def __str__(self):
        return f"Return of {self.child} to {self.school} on {self.returned_on:%d/%m/%Y}"

    def outcomes_due(self, today) -> list[int]:
        """The outcomes (6, 12) whose date has come and that are not recorded; none after a breakdown at 6 weeks."""
        due = []
        if self.six_weeks_on and self.six_weeks_on <= today and self.outcome_6_weeks in OUTCOMES_OUTSTANDING:
            due.append(6)
        if (
            self.twelve_weeks_on
            and self.twelve_weeks_on <= today
            and self.outcome_12_weeks in OUTCOMES_OUTSTANDING
            and self.outcome_6_weeks != ReintegrationOutcome.BROKE_DOWN
        ):
            due.append(12)
        return due
