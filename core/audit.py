"""The audit service: the one way anything is written to the audit log."""

import uuid
from collections.abc import Iterable

from django.db import transaction

from core.models import AuditAction, AuditEvent, AuditEventChild, Organisation, User


def _child_ids(object_type: str, object_id: str, children: Iterable) -> set[uuid.UUID]:
    """The public ids of the children an event touched: its own object when that is a child, and any named."""
    ids = set()
    for value in ([object_id] if object_type == "child" else []) + list(children):
        try:
            ids.add(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
        except ValueError:
            continue  # a refused look-up of something that is not an id names no child
    return ids


def audit_record(
    *,
    user: User,
    action: AuditAction,
    object_type: str = "",
    object_id: str = "",
    organisation: Organisation | None = None,
    detail: dict | None = None,
    children: Iterable = (),
) -> AuditEvent:
    """Write one audit event, linked to every child it touched (`children`: public ids). Refuses to write without an actor.

    Callers that change data call this inside their own transaction, so the change
    and its record stand or fall together.
    """
    if user is None or not user.is_authenticated:
        raise ValueError("An audit event needs the person who acted.")
    if organisation is None:
        organisation = user.primary_organisation
    with transaction.atomic():
        event = AuditEvent.objects.create(
            user=user,
            organisation=organisation,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            detail=detail or {},
        )
        AuditEventChild.objects.bulk_create(
            [
                AuditEventChild(event=event, child_public_id=i)
                for i in _child_ids(object_type, str(object_id), children)
            ],
            batch_size=2000,
        )
    return event
