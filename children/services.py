"""Writes to children's records. Each is one transaction with its audit event."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from children.models import Child, ChildDocument, ChildImport, Exclusion, Involvement, PenPortrait
from children.selectors import UPN_TAKEN, child_with_upn
from core.access import (
    can_edit_child,
    can_record_exclusion,
    may_settle_recorded_twice,
    may_write_to_record,
)
from core.audit import audit_record
from core.documents import document_read
from core.imports import ImportPlan, uploaded_list_write
from core.models import AuditAction, AuditEventChild, Organisation, User


def _save(record, *, user: User, child: Child, action: AuditAction, detail: dict | None = None):
    """Check a record against its model's rules, then save it with its audit event, all or nothing."""
    record.full_clean()
    with transaction.atomic():
        record.save()
        audit_record(user=user, action=action, object_type="child", object_id=child.public_id, detail=detail)
    return record


def _earlier_records(children: list[Child]) -> dict[tuple[int, str], Child]:
    """The record that holds each of these UPNs in its area, other than the children themselves.

    A write-side look-up that is never shown: the caller tells the user only about records they may see.
    """
    return {
        (c.area_id, c.upn): c
        for c in Child.objects.filter(upn__in={c.upn for c in children}, recorded_twice_as=None).exclude(
            pk__in=[c.pk for c in children if c.pk]
        )
    }


def _place_upn(*, user: User, child: Child) -> None:
    """A UPN names one record in an area. One already on a record the user may see is refused, with a link
    to it; one on a record they may not see gives this child its own record, recorded twice for the LA to
    settle, so the answer reads exactly as for a UPN nobody holds.
    """
    if child_with_upn(user=user, upn=child.upn, area_id=child.area_id, other_than=child.pk):
        raise ValidationError({"upn": ValidationError(UPN_TAKEN, code="unique")})
    child.recorded_twice_as = _earlier_records([child]).get((child.area_id, child.upn))


def _settle_upn(*, area_id: int, upn: str) -> None:
    """After a UPN left a record: the earliest remaining record with it holds it, and any others point there."""
    records = list(Child.objects.filter(area_id=area_id, upn=upn).order_by("recorded_twice_as", "pk"))
    if not records:
        return
    holder = next((c for c in records if c.recorded_twice_as_id is None), records[0])
    Child.objects.filter(pk=holder.pk).update(recorded_twice_as=None)
    Child.objects.filter(area_id=area_id, upn=upn).exclude(pk=holder.pk).update(recorded_twice_as=holder)


def child_create(*, user: User, data: dict) -> Child:
    """Record a new child in the user's area. Only the LA or the child's home school may."""
    organisation = user.primary_organisation
    child = Child(area=organisation.area, **data)
    if not can_edit_child(user=user, child=child):
        raise PermissionDenied("Only the local authority or the child's home school can add a child.")
    _place_upn(user=user, child=child)
    return _save(child, user=user, child=child, action=AuditAction.CHILD_CREATED)


def child_update(*, user: User, child: Child, data: dict) -> Child:
    """Change a child's record; the history keeps the old values and who changed them."""
    if not can_edit_child(user=user, child=child):
        raise PermissionDenied("Only the local authority or the child's home school can change this record.")
    # Compare with what is stored: a bound form has already copied its data onto `child`.
    stored = Child.objects.get(pk=child.pk)
    changed = [name for name, value in data.items() if getattr(stored, name) != value]
    old_upn = stored.upn
    for name, value in data.items():
        setattr(child, name, value)
    if child.upn == old_upn:
        return _save(child, user=user, child=child, action=AuditAction.CHILD_CHANGED, detail={"fields": changed})
    _place_upn(user=user, child=child)
    with transaction.atomic():
        # The old UPN passes to the next record that has it, if any.
        _save(child, user=user, child=child, action=AuditAction.CHILD_CHANGED, detail={"fields": changed})
        _settle_upn(area_id=child.area_id, upn=old_upn)
    return child


def children_recorded_twice_combine(*, user: User, child: Child, home_school: Organisation | None) -> Child:
    """Make a child recorded twice one record again: the later record's placements, marks, involvements,
    notes and access log move to the earlier one, which takes the home school the LA chose; then the later
    record goes. All or nothing: what cannot be combined (two open main-roll placements, overlapping
    placements at one setting, two marks for one session) is named, and nothing changes.
    """
    earlier = child.recorded_twice_as
    if earlier is None or not may_settle_recorded_twice(user=user, area_id=child.area_id):
        raise PermissionDenied("Only the local authority can combine a child's records.")
    with transaction.atomic():  # a refusal below undoes every move before it
        for relation in _records_of_a_child():
            try:
                with transaction.atomic():
                    relation.related_model._base_manager.filter(**{relation.field.name: child}).update(
                        **{relation.field.name: earlier}
                    )
            except IntegrityError as clash:
                raise ValidationError(
                    f"Both records have {relation.related_model._meta.verbose_name_plural} that cannot be made one, "
                    "for example two open placements on the main roll or overlapping placements at one setting. "
                    "End or correct one of them, then combine again. Nothing has changed."
                ) from clash
        events = AuditEventChild.objects.filter(child_public_id=child.public_id).values_list("event_id", flat=True)
        AuditEventChild.objects.bulk_create(
            [AuditEventChild(event_id=e, child_public_id=earlier.public_id) for e in events]
        )
        earlier.home_school = home_school
        earlier.save()
        audit_record(
            user=user,
            action=AuditAction.CHILD_RECORDS_COMBINED,
            object_type="child",
            object_id=earlier.public_id,
            children=[earlier.public_id, child.public_id],
            detail={"combined": str(child.public_id), "home_school": str(home_school or "")},
        )
        child.delete()
    return earlier


def _records_of_a_child():
    """Every table that names a child: a new one is combined without being listed here."""
    return [
        f
        for f in Child._meta.get_fields(include_hidden=True)
        if f.one_to_many
        and f.auto_created
        and f.related_model is not Child
        and not f.related_model.__name__.startswith("Historical")
    ]


def involvement_create(*, user: User, child: Child, data: dict) -> Involvement:
    """Record a practitioner or service involved with a child. A linked user then sees the child."""
    if not can_edit_child(user=user, child=child):
        raise PermissionDenied("Only the local authority or the child's home school can record who is involved.")
    involvement = Involvement(child=child, **data)
    return _save(
        involvement,
        user=user,
        child=child,
        action=AuditAction.INVOLVEMENT_CREATED,
        detail={"involvement": str(involvement.public_id), "role": involvement.role},
    )


def involvement_update(*, user: User, involvement: Involvement, data: dict) -> Involvement:
    """Change or end an involvement; ending it ends a linked user's sight of the child."""
    child = involvement.child
    if not can_edit_child(user=user, child=child):
        raise PermissionDenied("Only the local authority or the child's home school can change who is involved.")
    for name, value in data.items():
        setattr(involvement, name, value)
    return _save(
        involvement,
        user=user,
        child=child,
        action=AuditAction.INVOLVEMENT_CHANGED,
        detail={"involvement": str(involvement.public_id)},
    )


def _may_write(user: User, child: Child) -> None:
    if not may_write_to_record(user=user, child=child):
        raise PermissionDenied("Only those working with the child now can add to the record.")


def pen_portrait_write(*, user: User, child: Child, data: dict) -> PenPortrait:
    """A pen portrait of a child, by someone who may add to the record; the newest is the one shown."""
    _may_write(user, child)
    portrait = PenPortrait(child=child, written_by=user, **data)
    return _save(portrait, user=user, child=child, action=AuditAction.CHILD_CHANGED, detail={"pen_portrait": True})


def exclusion_record(*, user: User, child: Child, data: dict) -> Exclusion:
    """Record a suspension or permanent exclusion. The LA may name any school; a school only itself, for a child it sees."""
    if not can_record_exclusion(user=user, child=child, school=data.get("school")):
        raise PermissionDenied("Only the local authority or the school that excluded the child can record this.")
    exclusion = Exclusion(child=child, recorded_by=user, **data)
    return _save(
        exclusion,
        user=user,
        child=child,
        action=AuditAction.EXCLUSION_RECORDED,
        detail={"exclusion": str(exclusion.public_id), "category": exclusion.category},
    )


# Plans and assessments arrive as documents from other systems.
DOCUMENT_TYPES = {".pdf", ".docx", ".doc", ".odt", ".rtf"}


def child_document_upload(*, user: User, child: Child, data: dict, upload) -> ChildDocument:
    """Keep a child's EHC plan, personal education plan, care plan or assessment, from someone who may add to the record."""
    _may_write(user, child)
    filename, content = document_read(upload, allowed=DOCUMENT_TYPES, described="a PDF, Word, OpenDocument or RTF file")
    document = ChildDocument(child=child, uploaded_by=user, filename=filename, content=content, **data)
    return _save(document, user=user, child=child, action=AuditAction.CHILD_CHANGED, detail={"document": document.kind})


def children_import_write(*, user: User, upload: ChildImport, plan: ImportPlan) -> None:
    """Add and update the children of a checked file; the history records who and when.

    A new child whose UPN another record of the area holds, one the importer may not see (the plan
    named only children they see), is recorded twice for the LA to settle.
    """
    earlier = _earlier_records(plan.new)
    for child in plan.new:
        child.recorded_twice_as = earlier.get((child.area_id, child.upn))
    uploaded_list_write(user=user, upload=upload, plan=plan, records=Child, action=AuditAction.CHILDREN_IMPORTED)
