"""Reads of children. Each starts from the access policy in core."""

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from children.models import Involvement
from core.access import child_get_for_user, placements_visible_to
from core.audit import audit_record
from core.models import AuditAction, AuditEvent, User


def child_record(*, user: User, public_id) -> tuple:
    """A child's record with the placements this user may see; the read is audited."""
    # Outside the transaction below, so that a refusal's audit event is kept.
    child = child_get_for_user(user=user, public_id=public_id)
    with transaction.atomic():
        child = (
            type(child)
            .objects.select_related("home_school", "looked_after_by", "area")
            .prefetch_related(
                Prefetch("involvements", queryset=Involvement.objects.select_related("organisation")),
            )
            .get(pk=child.pk)
        )
        placements = list(
            placements_visible_to(user=user)
            .filter(child=child)
            .select_related("provider__organisation", "commissioner", "outreach_provider__organisation")
            .order_by("-start_date")
        )
        audit_record(user=user, action=AuditAction.CHILD_VIEWED, object_type="child", object_id=child.public_id)
    return child, placements


def child_access_log(*, user: User, child) -> QuerySet:
    """Who opened, changed or was refused this child's record, newest first."""
    audit_record(user=user, action=AuditAction.ACCESS_LOG_VIEWED, object_type="child", object_id=child.public_id)
    return (
        AuditEvent.objects.filter(object_type="child", object_id=str(child.public_id))
        .select_related("user", "organisation")
        .order_by("-at")
    )
