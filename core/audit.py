"""The audit service: the one way anything is written to the audit log."""

from django.db import transaction

from core.models import AuditAction, AuditEvent, Organisation, User


def audit_record(
    *,
    user: User,
    action: AuditAction,
    object_type: str = "",
    object_id: str = "",
    organisation: Organisation | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Write one audit event. Refuses to write without an actor.

    Callers that change data call this inside their own transaction, so the change
    and its record stand or fall together.
    """
    if user is None or not user.is_authenticated:
        raise ValueError("An audit event needs the person who acted.")
    if organisation is None:
        organisation = user.primary_organisation
    with transaction.atomic():
        return AuditEvent.objects.create(
            user=user,
            organisation=organisation,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            detail=detail or {},
        )
