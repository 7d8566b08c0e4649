"""Reads of children. Each starts from the access policy in core."""

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from children.models import ChildDocument, Exclusion, Involvement, PenPortrait
from core.access import (
    child_object_get_for_user,
    child_record_get_for_user,
    children_visible_to,
    placements_visible_to,
    referrals_visible_to,
)
from core.audit import audit_record
from core.models import AuditAction, AuditEvent, User


def child_record(*, user: User, public_id) -> tuple:
    """A child's record with the placements this user may see; the read is audited.

    A setting whose placement has ended sees, for a while, only that placement and what it recorded
    itself: the child comes back with `limited` set, and nothing else about the child is read.
    """
    # Outside the transaction below, so that a refusal's audit event is kept.
    child, limited = child_record_get_for_user(user=user, public_id=public_id)
    if limited:
        return _limited_record(user=user, child=child)
    with transaction.atomic():
        child = (
            type(child)
            .objects.select_related("home_school", "looked_after_by", "area")
            .prefetch_related(
                Prefetch("involvements", queryset=Involvement.objects.select_related("organisation")),
                Prefetch("exclusions", queryset=Exclusion.objects.select_related("school")),
                # The documents' contents are read only when one is downloaded.
                Prefetch("documents", queryset=ChildDocument.objects.defer("content")),
                # Kept by placements (a layer above): named, not imported.
                "part_time_timetables__school",
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
                # The plan is casework's, above children: reached by its relation's name, never imported.
                "personalised_plan__agreed_by",
                "exit",  # casework's too: why it ended, where the child went, the transition plan
            )
            .prefetch_related("personalised_plan__objectives")
            .order_by("-start_date")
        )
        audit_record(user=user, action=AuditAction.CHILD_VIEWED, object_type="child", object_id=child.public_id)
    return child, placements


def _limited_record(*, user: User, child) -> tuple:
    """What a former setting still sees: its own placements, its own pen portraits and documents."""
    own = [o.pk for o in user.organisations]
    with transaction.atomic():
        child = (
            type(child)
            .objects.only("pk", "public_id", "first_name", "last_name", "area_id")
            .prefetch_related(
                Prefetch(
                    "documents",
                    queryset=ChildDocument.objects.defer("content")
                    .filter(uploaded_by__memberships__organisation__in=own)
                    .distinct(),
                ),
                Prefetch(
                    "pen_portraits",
                    queryset=PenPortrait.objects.filter(written_by__memberships__organisation__in=own)
                    .select_related("written_by")
                    .distinct(),
                ),
            )
            .get(pk=child.pk)
        )
        child.limited = True
        placements = list(
            placements_visible_to(user=user)
            .filter(child=child)
            .select_related("provider__organisation", "commissioner", "personalised_plan__agreed_by", "exit")
            .prefetch_related("personalised_plan__objectives")
        )
        audit_record(
            user=user,
            action=AuditAction.CHILD_VIEWED,
            object_type="child",
            object_id=child.public_id,
            detail={"limited": "placement ended"},
        )
    return child, placements


def child_referrals(*, user: User, child) -> list:
    """The referrals of a child this user may see, newest first, each with its decision if there is one."""
    return list(
        referrals_visible_to(user=user)
        .filter(child=child)
        .select_related("referrer", "decision__provider__organisation")
        .order_by("-created_at", "-pk")
    )


def child_access_log(*, user: User, child) -> QuerySet:
    """Every view, change, refusal, export and API read that touched this child, newest first."""
    audit_record(user=user, action=AuditAction.ACCESS_LOG_VIEWED, object_type="child", object_id=child.public_id)
    return (
        AuditEvent.objects.filter(children__child_public_id=child.public_id)
        .select_related("user", "organisation")
        .order_by("-at", "-pk")
    )


def involvement_get_for_user(*, user: User, public_id) -> Involvement:
    """One involvement of a child this user may see, or 404 alike for missing and forbidden."""
    return child_object_get_for_user(
        user=user,
        queryset=Involvement.objects.select_related("child", "organisation"),
        public_id=public_id,
        object_type="involvement",
    )


def child_document_get(*, user: User, public_id) -> ChildDocument:
    """A document of a child this user may see, or 404 alike for missing and forbidden; the read is audited."""
    document = child_object_get_for_user(
        user=user,
        queryset=ChildDocument.objects.select_related("child"),
        public_id=public_id,
        object_type="document",
        author="uploaded_by",
    )
    audit_record(
        user=user,
        action=AuditAction.CHILD_VIEWED,
        object_type="child",
        object_id=document.child.public_id,
        detail={"document": str(document.public_id)},
    )
    return document


def children_recorded_twice(*, user: User) -> QuerySet:
    """Children whose UPN another record of the area already held when they were added, with that record."""
    return (
        children_visible_to(user=user)
        .filter(recorded_twice_as__isnull=False)
        .select_related("home_school", "recorded_twice_as__home_school")
        .order_by("upn", "pk")
    )


UPN_TAKEN = "Another child already has this UPN."


def child_with_upn(*, user: User, upn: str, area_id: int, other_than: int | None = None):
    """A record of the area with this UPN if the user may see it, else None: a "UPN taken" can then link to it."""
    return (
        children_visible_to(user=user)
        .filter(area_id=area_id, upn=upn.strip().upper())
        .exclude(pk=other_than)
        .order_by("recorded_twice_as", "pk")
        .first()
    )
