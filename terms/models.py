"""School calendars: an area's default, and the calendars some settings follow instead.

A calendar holds terms and closures (half terms, INSET days). A calendar with a parent
inherits the parent's terms and closures and adds its own: a trust's INSET days on top of
the area's calendar. A calendar without a parent stands alone: an out-of-area setting's own
local authority's term dates. A setting (an AP provider's or a school's organisation)
follows the calendar linked to it by a SettingCalendar, else its area's default.
"""

import uuid

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.models import Area, Organisation

DATES_IN_ORDER = Q(ends_on__gte=F("starts_on"))


class Calendar(models.Model):
    """A school calendar kept by an area's local authority."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="calendars")
    name = models.CharField(max_length=100, help_text="For example, Halton term dates or Oak Trust INSET days")
    is_area_default = models.BooleanField(
        "area's default", default=False, help_text="Followed by every setting of the area not linked to another"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="based on",
        help_text="Its terms and closures are inherited; this calendar adds its own",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "-is_area_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area"],
                condition=Q(is_area_default=True),
                name="calendar_one_default_per_area",
                violation_error_message="An area has one default calendar.",
            ),
            models.UniqueConstraint(
                fields=["area", "name"],
                name="calendar_name_unique_in_area",
                violation_error_message="The area already has a calendar with this name.",
                violation_error_code="name",
            ),
            models.CheckConstraint(
                condition=Q(is_area_default=False) | Q(parent__isnull=True),
                name="calendar_default_has_no_parent",
                violation_error_message="The area's default calendar is not based on another.",
            ),
        ]

    def __str__(self):
        return self.name


class SettingCalendar(models.Model):
    """The calendar one setting (an AP provider's or a school's organisation) follows instead of the area's default."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="setting_calendar")
    calendar = models.ForeignKey(Calendar, on_delete=models.PROTECT, related_name="settings")

    history = HistoricalRecords()

    def __str__(self):
        return f"{self.organisation} follows {self.calendar}"


class Term(models.Model):
    """A school term of a calendar, from its first day to its last, both included."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    calendar = models.ForeignKey(Calendar, on_delete=models.PROTECT, related_name="terms")
    name = models.CharField(max_length=100, help_text="For example, Autumn 2026")
    starts_on = models.DateField("first day")
    ends_on = models.DateField("last day")

    history = HistoricalRecords()

    class Meta:
        ordering = ["calendar", "starts_on"]
        indexes = [models.Index(fields=["calendar", "starts_on", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=DATES_IN_ORDER,
                name="term_dates_in_order",
                violation_error_message="The last day of the term must be the same as or after its first day.",
                violation_error_code="ends_on",
            ),
        ]

    def __str__(self):
        return self.name


class Closure(models.Model):
    """Days inside a term when a calendar's schools are closed: a half term or an INSET day."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    calendar = models.ForeignKey(Calendar, on_delete=models.PROTECT, related_name="closures")
    name = models.CharField(max_length=100, help_text="For example, Autumn half term or INSET day")
    starts_on = models.DateField("first day")
    ends_on = models.DateField("last day")

    history = HistoricalRecords()

    class Meta:
        ordering = ["calendar", "starts_on"]
        indexes = [models.Index(fields=["calendar", "starts_on", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=DATES_IN_ORDER,
                name="closure_dates_in_order",
                violation_error_message="The last day of the closure must be the same as or after its first day.",
                violation_error_code="ends_on",
            ),
        ]

    def __str__(self):
        return self.name
