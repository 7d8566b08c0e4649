"""The school calendar of an area: its terms, and the half terms and INSET days inside them."""

import uuid

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.models import Area

DATES_IN_ORDER = Q(ends_on__gte=F("starts_on"))


class Term(models.Model):
    """A school term of an area, from its first day to its last, both included."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="terms")
    name = models.CharField(max_length=100, help_text="For example, Autumn 2026")
    starts_on = models.DateField("first day")
    ends_on = models.DateField("last day")

    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "starts_on"]
        indexes = [models.Index(fields=["area", "starts_on", "ends_on"])]
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
    """Days inside a term when the area's schools are closed: a half term or an INSET day."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="closures")
    name = models.CharField(max_length=100, help_text="For example, Autumn half term or INSET day")
    starts_on = models.DateField("first day")
    ends_on = models.DateField("last day")

    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "starts_on"]
        indexes = [models.Index(fields=["area", "starts_on", "ends_on"])]
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
