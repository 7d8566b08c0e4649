"""Inspections of the area's alternative provision, and the key that pseudonymises children for each."""

import hashlib
import hmac
import secrets
import uuid

from django.db import models
from django.db.models import F, Q

from core.models import Area, User


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

    def pseudonym(self, child_public_id: uuid.UUID) -> str:
        """The child's id for this inspection: a keyed hash of the child's random public id."""
        digest = hmac.new(bytes.fromhex(self.key), child_public_id.bytes, hashlib.sha256).hexdigest()
        return f"AP-{digest[:10].upper()}"
