"""The shared kernel: areas, organisations, people and what they did."""

import hashlib
import secrets
import uuid
from datetime import time

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from core.fields import CodeField


class User(AbstractUser):
    """A person who signs in. What they may see comes from their memberships."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    def __str__(self):
        return self.get_full_name() or self.username

    @cached_property
    def organisations(self) -> list["Organisation"]:
        """The organisations this person acts for, read once per request."""
        # The first membership stays the primary one when a later organisation adds the person.
        return [m.organisation for m in self.memberships.select_related("organisation__area").order_by("pk")]

    @property
    def primary_organisation(self) -> "Organisation | None":
        return self.organisations[0] if self.organisations else None


class FullTimeTest(models.TextChoices):
    """Which children an unregistered setting educates "full time" (Education and Skills Act 2008 s.92, as substituted)."""

    MORE_THAN_18_HOURS = "more_than_18_hours", "More than 18 hours a week (DfE's reading today)"
    MAJORITY = "majority", "The majority of the child's education (more than half their hours across every setting)"


class Area(models.Model):
    """A local area: one local authority and its partners."""

    name = models.CharField(max_length=100)
    la_code = CodeField(code_set_name="la", unique=True, help_text="DfE 3-digit local authority code")
    ons_code = models.CharField(
        max_length=9, unique=True, validators=[RegexValidator(r"^E\d{8}$", "An ONS code is E and 8 digits.")]
    )
    attendance_alert_time = models.TimeField(
        "time of the daily attendance check",
        default=time(10, 30),
        help_text="By this time each school day, a child in AP with no morning mark or an unexplained absence raises an alert",
    )
    tuition_alert_after = models.PositiveSmallIntegerField(
        "missed tuition sessions before an alert",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Missed or declined home or one-to-one tuition sessions in four weeks",
    )
    provider_access_days = models.PositiveSmallIntegerField(
        "days a setting keeps sight of a placement after it ends",
        default=30,
        validators=[MaxValueValidator(365)],
        help_text="After a placement ends, the setting sees that placement, its own marks and what it recorded, read-only, for this many days; then nothing",
    )
    # When a placement is reviewed (casework.schedule): school weeks are counted on the setting's calendar.
    # Defaults in the database too, so that rows written by an older migration's code still get them.
    first_review_weeks = models.PositiveSmallIntegerField(
        "school weeks to the first review",
        default=6,
        db_default=6,
        validators=[MinValueValidator(1), MaxValueValidator(39)],
        help_text="Every placement's first review, counted in school weeks from its start",
    )
    second_review_weeks = models.PositiveSmallIntegerField(
        "school weeks to a dual-registered placement's second review",
        default=12,
        db_default=12,
        validators=[MinValueValidator(2), MaxValueValidator(39)],
        help_text="A dual-registered placement is reviewed again after this many school weeks from its start",
    )
    review_every_half_terms = models.PositiveSmallIntegerField(
        "half terms between reviews",
        default=1,
        db_default=1,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text="After the first reviews, at least one review every this many half terms (the guidance: every half term)",
    )
    # The oversight flags' settings (insight.oversight). No national figure for the first: each area sets its own.
    # Defaults in the database too, so that rows written by older code (an earlier migration's state) get them.
    minimum_hours = models.DecimalField(
        "fewest hours a week of home tuition or a part-time placement",
        max_digits=3,
        decimal_places=1,
        default=15,
        db_default=15,
        validators=[MinValueValidator(0), MaxValueValidator(25)],
        help_text="A home or hospital tuition placement, or a part-time one, with fewer hours than this is flagged",
    )
    full_time_test = models.CharField(
        "what counts as full-time education at an unregistered setting",
        max_length=20,
        choices=FullTimeTest.choices,
        default=FullTimeTest.MORE_THAN_18_HOURS,
        db_default=FullTimeTest.MORE_THAN_18_HOURS.value,
        help_text="The registration test counts the children a setting educates full time",
    )
    time_limits_flagged = models.BooleanField(
        "flag the proposed time limits for non-school AP",
        default=False,
        db_default=False,
        help_text="Proposed, not law: at most 12 weeks full time, or at most four sessions a week alongside school",
    )
    # Providers' safeguarding and compliance checks (providers.selectors.checks_expiring).
    check_expiry_warning_days = models.PositiveSmallIntegerField(
        "days ahead a provider's check is listed as expiring",
        default=30,
        db_default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
        help_text="A check that expires within this many days is listed, with the expired ones, for the LA and the provider",
    )

    def __str__(self):
        return self.name


class OrganisationKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    SCHOOL = "school", "School"
    ACADEMY_TRUST = "academy_trust", "Academy trust"
    AP_PROVIDER = "ap_provider", "AP provider"
    HEALTH = "health", "Health service"
    SOCIAL_CARE = "social_care", "Social care"
    VIRTUAL_SCHOOL = "virtual_school", "Virtual school"
    INSPECTORATE = "inspectorate", "Inspectorate"


class Organisation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="organisations")
    urn = models.CharField(
        "URN",
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", "A URN is 6 digits.")],
        help_text="Unique reference number in Get Information about Schools",
    )
    trust = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="academies",
        limit_choices_to={"kind": OrganisationKind.ACADEMY_TRUST},
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["urn"],
                condition=~models.Q(urn=""),
                name="organisation_urn_unique",
                violation_error_message="Another organisation already has this URN.",
                violation_error_code="urn",
            ),
        ]

    def __str__(self):
        return self.name


# The roles that make sense in each kind of organisation.
ROLES_BY_KIND = {
    OrganisationKind.LOCAL_AUTHORITY: ["ap_officer", "practitioner", "office_manager"],
    OrganisationKind.SCHOOL: ["designated_lead", "senco", "office_manager", "practitioner"],
    OrganisationKind.ACADEMY_TRUST: ["designated_lead", "office_manager", "practitioner"],
    OrganisationKind.AP_PROVIDER: ["designated_lead", "senco", "office_manager", "practitioner"],
    OrganisationKind.HEALTH: ["practitioner"],
    OrganisationKind.SOCIAL_CARE: ["social_worker", "practitioner"],
    OrganisationKind.VIRTUAL_SCHOOL: ["virtual_school_head", "practitioner"],
    OrganisationKind.INSPECTORATE: ["inspector"],
}


class Membership(models.Model):
    """A user's place in an organisation; the organisation's kind decides what they see."""

    class Role(models.TextChoices):
        AP_OFFICER = "ap_officer", "AP / inclusion officer"
        DESIGNATED_LEAD = "designated_lead", "Designated lead"
        SENCO = "senco", "SENCO"
        OFFICE_MANAGER = "office_manager", "Office manager"
        PRACTITIONER = "practitioner", "Practitioner"
        SOCIAL_WORKER = "social_worker", "Social worker"
        VIRTUAL_SCHOOL_HEAD = "virtual_school_head", "Virtual school head"
        INSPECTOR = "inspector", "Inspector"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    may_export_returns = models.BooleanField(
        "may produce inspection returns",
        default=False,
        help_text="Produce the Annex A return and other person-level exports for inspectors",
    )
    may_manage_accounts = models.BooleanField(
        "may manage accounts",
        default=False,
        help_text="Add people and change their roles: in the whole area for the local authority, else in this organisation",
    )
    # What the manager who added the person typed, and when: until the person signs in, that is all
    # the organisation's managers see of them (see signed_in_since_added).
    added_at = models.DateTimeField(
        "added",
        default=timezone.now,
        editable=False,
        help_text="When the person was added to the organisation: until they sign in after it, its managers see only what was entered",
    )
    first_name_entered = models.CharField(
        "first name", max_length=150, help_text="As the manager who added the person typed it"
    )
    last_name_entered = models.CharField(
        "last name", max_length=150, help_text="As the manager who added the person typed it"
    )
    email_entered = models.EmailField("email address", help_text="As the manager who added the person typed it")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}, {self.organisation}"

    @property
    def signed_in_since_added(self) -> bool:
        """Has the person signed in since they were added to this organisation?

        Until they have, its managers see only what was entered when they were added: the account's own
        name, its last sign-in, its app and whether it is stopped would tell whether the address already
        had an account elsewhere (issue 9, item 4). Every page and action about a person asks this.
        """
        return self.user.last_login is not None and self.user.last_login >= self.added_at

    @property
    def entered_name(self) -> str:
        return f"{self.first_name_entered} {self.last_name_entered}".strip()

    @property
    def name_shown(self) -> str:
        """The person's name as the organisation's colleagues see it: as entered, until they sign in."""
        if not self.signed_in_since_added:
            return self.entered_name
        return self.user.get_full_name() or self.user.username


class AuditAction(models.TextChoices):
    CHILD_VIEWED = "child_viewed", "Viewed child record"
    CHILD_VIEW_REFUSED = "child_view_refused", "Refused: child not visible"
    NOT_PERMITTED = "not_permitted", "Refused: not permitted to do this"
    CHILD_CREATED = "child_created", "Created child record"
    CHILD_CHANGED = "child_changed", "Changed child record"
    CHILD_RECORDS_COMBINED = "child_records_combined", "Combined two records of one child"
    INVOLVEMENT_CREATED = "involvement_created", "Recorded someone involved"
    INVOLVEMENT_CHANGED = "involvement_changed", "Changed someone's involvement"
    EXCLUSION_RECORDED = "exclusion_recorded", "Recorded a suspension or permanent exclusion"
    PLACEMENT_CREATED = "placement_created", "Created placement"
    PLACEMENT_CHANGED = "placement_changed", "Changed placement"
    PLACEMENT_REFUSED = "placement_refused", "Refused: placement not visible"
    AGREEMENT_RECORDED = "agreement_recorded", "Recorded a placement's commissioning agreement"
    PROVIDER_CREATED = "provider_created", "Added a provider"
    PROVIDER_CHANGED = "provider_changed", "Changed a provider"
    PROVIDER_APPROVAL_DECIDED = "provider_approval_decided", "Decided a provider's approval"
    REGISTER_EXPORTED = "register_exported", "Exported the register"
    ATTENDANCE_RECORDED = "attendance_recorded", "Recorded attendance"
    ATTENDANCE_UPLOADED = "attendance_uploaded", "Uploaded an attendance file for checking"
    ATTENDANCE_EXPORTED = "attendance_exported", "Exported attendance"
    ALERT_CLOSED = "alert_closed", "Recorded what happened about an attendance alert"
    ALERT_VIEWED = "alert_viewed", "Viewed an attendance alert"
    ALERTS_RAISED = "alerts_raised", "Raised attendance alerts (the daily check)"
    AREA_SETTINGS_CHANGED = "area_settings_changed", "Changed when the daily attendance check runs"
    RECORD_ACCESS_CHANGED = "record_access_changed", "Changed how long a setting sees a placement after it ends"
    OVERSIGHT_SETTINGS_CHANGED = "oversight_settings_changed", "Changed the settings of the oversight flags"
    HOME_SCHOOL_MARKS_RECORDED = "home_school_marks_recorded", "Recorded the home school's register for pupils in AP"
    ACCESS_LOG_VIEWED = "access_log_viewed", "Viewed who looked at a child"
    INSPECTION_STARTED = "inspection_started", "Started an inspection"
    ANNEX_A_EXPORTED = "annex_a_exported", "Downloaded the Annex A return"
    ANNEX_A_REFUSED = "annex_a_refused", "Refused: no permission to produce inspection returns"
    TRACKING_PACK_EXPORTED = "tracking_pack_exported", "Downloaded a tracking pack as a PDF"
    PSEUDONYM_RESOLVED = "pseudonym_resolved", "Looked up the child behind a pseudonymised id"
    EVIDENCE_ADDED = "evidence_added", "Added to the evidence library"
    INSPECTOR_ADDED = "inspector_added", "Gave an inspector access to an inspection"
    INSPECTOR_REMOVED = "inspector_removed", "Took an inspector's access to an inspection away"
    VISIT_ACTIVITY_RECORDED = "visit_activity_recorded", "Recorded an activity of an inspection visit"
    CALENDAR_CREATED = "calendar_created", "Added a school calendar"
    SETTING_CALENDAR_CHANGED = "setting_calendar_changed", "Changed which school calendar a setting follows"
    TERM_CREATED = "term_created", "Added a term to the school calendar"
    TERM_CHANGED = "term_changed", "Changed a term"
    TERM_DELETED = "term_deleted", "Deleted a term"
    CLOSURE_CREATED = "closure_created", "Added a half term or INSET day"
    CLOSURE_CHANGED = "closure_changed", "Changed a half term or INSET day"
    CLOSURE_DELETED = "closure_deleted", "Deleted a half term or INSET day"
    API_TOKEN_CREATED = "api_token_created", "Created an API key"
    API_TOKEN_REVOKED = "api_token_revoked", "Revoked an API key"
    API_READ = "api_read", "Read children's data through the API"
    SURVEY_CREATED = "survey_created", "Set up a stakeholder survey"
    SURVEY_CHANGED = "survey_changed", "Changed a stakeholder survey"
    SURVEY_RESULTS_EXPORTED = "survey_results_exported", "Downloaded a survey's results"
    ACCOUNT_CREATED = "account_created", "Added a person's account"
    ACCOUNT_CHANGED = "account_changed", "Changed a person's role or permissions"
    ACCOUNT_DEACTIVATED = "account_deactivated", "Stopped a person signing in"
    ACCOUNT_REACTIVATED = "account_reactivated", "Let a person sign in again"
    ACCOUNT_REMOVED = "account_removed", "Removed a person who had not signed in yet from an organisation"
    ACCOUNT_LINK_SENT = "account_link_sent", "Sent a link to set a password"
    TWO_FACTOR_SET_UP = "two_factor_set_up", "Set up an authenticator app"
    TWO_FACTOR_RESET = "two_factor_reset", "Reset a person's authenticator app"
    CHILDREN_IMPORT_CHECKED = "children_import_checked", "Uploaded a list of children for checking"
    CHILDREN_IMPORTED = "children_imported", "Imported a list of children into the register"
    PLACEMENTS_IMPORT_CHECKED = "placements_import_checked", "Uploaded a list of placements for checking"
    PLACEMENTS_IMPORTED = "placements_imported", "Imported a list of placements into the register"
    PART_TIME_TIMETABLE_RECORDED = "part_time_timetable_recorded", "Recorded a pupil's part-time timetable"
    REFERRAL_DRAFTED = "referral_drafted", "Started or changed a draft referral"
    REFERRAL_SENT = "referral_sent", "Sent a referral to the local authority"
    REFERRAL_WITHDRAWN = "referral_withdrawn", "Withdrew a referral"
    REFERRAL_FAST_TRACKED = "referral_fast_tracked", "Fast-tracked a referral ahead of the queue"
    REFERRAL_CONTRIBUTION_ADDED = (
        "referral_contribution_added",
        "Added health's, care's or the virtual school's view to a referral",
    )
    REFERRAL_VIEWED = "referral_viewed", "Viewed a referral"
    PANEL_KIND_SAVED = "panel_kind_saved", "Added or changed a kind of panel"
    PANEL_CREATED = "panel_created", "Arranged a panel"
    PANEL_MEMBER_RECORDED = "panel_member_recorded", "Recorded who attended a panel"
    AGENDA_CHANGED = "agenda_changed", "Changed a panel's agenda"
    DECISION_RECORDED = "decision_recorded", "Recorded a panel's decision"
    PLAN_RECORDED = "plan_recorded", "Recorded a placement's personalised plan"
    PLACEMENT_FROM_DECISION = "placement_from_decision", "Started a placement that a panel decided, with its plan"
    REVIEW_RECORDED = "review_recorded", "Recorded a placement's review"
    VISIT_RECORDED = "visit_recorded", "Recorded a visit to a child at a setting"
    EXIT_RECORDED = "exit_recorded", "Ended a placement: reason, destination and transition plan"
    REINTEGRATION_RECORDED = "reintegration_recorded", "Recorded a return to school"
    REINTEGRATION_OUTCOME_RECORDED = "reintegration_outcome_recorded", "Recorded how a return to school went"
    REVIEW_INTERVALS_CHANGED = "review_intervals_changed", "Changed when placements are reviewed"
    PLACEMENT_EXTENDED = "placement_extended", "Extended a placement's planned end at a review"
    DESTINATION_CHECK_RECORDED = "destination_check_recorded", "Recorded a destination check after leaving AP"
    PROVIDER_CHECK_RECORDED = "provider_check_recorded", "Recorded a provider's safeguarding or compliance check"
    CHECK_CONFIRMATION_PRODUCED = (
        "check_confirmation_produced",
        "Produced a written confirmation of a provider's checks",
    )
    CHECK_EXPIRY_DAYS_CHANGED = (
        "check_expiry_days_changed",
        "Changed how far ahead providers' checks expiring are listed",
    )
    QA_FRAMEWORK_CHANGED = "qa_framework_changed", "Changed the quality-assurance framework or its draft"
    QA_FRAMEWORK_PUBLISHED = "qa_framework_published", "Published a version of the quality-assurance framework"
    QA_VISIT_RECORDED = "qa_visit_recorded", "Recorded a quality-assurance visit to a provider"
    QA_STRAND_ADDED = "qa_strand_added", "Added health's or social care's strand to a quality-assurance visit"
    QA_ACTION_ADDED = "qa_action_added", "Added an action to a quality-assurance visit"
    QA_ACTION_DONE = "qa_action_done", "Marked a quality-assurance visit's action done"
    PROVIDER_DIRECTORY_CHANGED = "provider_directory_changed", "Changed a provider's offer, costs or location"
    PROVIDER_SITE_ADDED = "provider_site_added", "Added a site of a provider"
    PROVIDER_CONTACT_ADDED = "provider_contact_added", "Added a contact at a provider"
    PROVIDER_SITE_CHANGED = "provider_site_changed", "Changed or removed a site of a provider"
    PROVIDER_CONTACT_CHANGED = "provider_contact_changed", "Changed or removed a contact at a provider"
    GIAS_IMPORT_CHECKED = "gias_import_checked", "Uploaded a GIAS establishment extract for checking"
    GIAS_IMPORTED = "gias_imported", "Imported registered settings from a GIAS extract"


def audit_actions() -> list[tuple[str, str]]:
    return AuditAction.choices


class AuditEvent(models.Model):
    """One thing a person did to children's data, written in the same transaction as the act."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    # A callable, so that a new kind of event needs no migration.
    action = models.CharField(max_length=30, choices=audit_actions)
    object_type = models.CharField(max_length=30, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type} {self.object_id}"


class AuditEventChild(models.Model):
    """A child an audit event touched, so that the child's access log lists every view, refusal, export and API read.

    The child is named by public id: `core` keeps no key to a domain table, and an event about a child
    who was never found (a refusal) is kept all the same.
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="children")
    child_public_id = models.UUIDField(db_index=True)

    def __str__(self):
        return f"{self.event_id} → {self.child_public_id}"


class ApiToken(models.Model):
    """A revocable key with which one organisation's system (a school MIS, a provider's database) calls the API.

    Only a hash of the key is stored; the key itself is shown once, when it is made.
    """

    PREFIX = "apo_"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="Which system uses it, for example 'SIMS export'")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.organisation})"

    @classmethod
    def hash_key(cls, key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


class UploadedList(models.Model):
    """A spreadsheet uploaded to the register (children, placements, marks), kept between its check and its
    confirmation with what the check found, so that its page never reads the file again."""

    class Status(models.TextChoices):
        CHECKED = "checked", "Checked, waiting for confirmation"
        IMPORTED = "imported", "Imported"
        REJECTED = "rejected", "Could not be imported"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    # Empty for a refused file: of it, only what was wrong is kept (its problems, below).
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    problems = models.JSONField(
        default=list, blank=True, help_text="A refused file's problems: row, column, value, rule"
    )
    summary = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the check found: how many records the file adds, changes and leaves as they are, "
        "and what changes in each",
    )

    class Meta:
        abstract = True
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def caption(self) -> str:
        """Above the check page's heading: whose file it is, where that is not plain."""
        return ""


class RateCount(models.Model):
    """One counter of core.counters.DatabaseCounterCache: how many times something happened in a window.

    The rate limits (django-ratelimit) keep their counts here, so every worker of the
    service sees the same counts without a separate cache server.
    """

    key = models.CharField(max_length=250, unique=True)
    count = models.BigIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="Empty for never")

    def __str__(self):
        return f"{self.key}: {self.count}"
