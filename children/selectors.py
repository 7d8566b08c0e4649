"""Reads of children. Each starts from the access policy in core."""

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from children.models import ChildDocument, ChildImport, Exclusion, Involvement
from core.access import child_get_for_user, children_visible_to, placements_visible_to
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
                Prefetch("exclusions", queryset=Exclusion.objects.select_related("school")),
                # The documents' contents are read only when one is downloaded.
                Prefetch("documents", queryset=ChildDocument.objects.defer("content")),
            )
            .get(pk=child.pk)
        )
        placements = list(
            placements_visible_to(user=user)
            .filter(child=child)
            .select_related(
                "provider__organisation",
                "commissioner",
                "outreach_provider__organisation",
                "commissioning_agreement__agreed_by",
            )
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


def involvement_get_for_user(*, user: User, public_id) -> Involvement:
    """One involvement of a child this user may see, or 404 alike for missing and forbidden."""
    try:
        return Involvement.objects.select_related("child", "organisation").get(
            public_id=public_id, child__in=children_visible_to(user=user)
        )
    except (Involvement.DoesNotExist, ValueError) as missing:
        raise Http404("Not found") from missing


def child_document_get(*, user: User, public_id) -> ChildDocument:
    """A document of a child this user may see, or 404 alike for missing and forbidden; the read is audited."""
    try:
        document = ChildDocument.objects.select_related("child").get(
            public_id=public_id, child__in=children_visible_to(user=user)
        )
    except (ChildDocument.DoesNotExist, ValueError) as missing:
        raise Http404("Not found") from missing
    audit_record(
        user=user,
        action=AuditAction.CHILD_VIEWED,
        object_type="child",
        object_id=document.child.public_id,
        detail={"document": str(document.public_id)},
    )
    return document


def child_import_get(*, user: User, public_id) -> ChildImport:
    """An uploaded list of children, to the person who uploaded it only: it holds children's details."""
    upload = ChildImport.objects.filter(public_id=public_id, uploaded_by=user).first()
    if upload is None:
        raise Http404("Not found")
    return upload
