"""Writes to children's records. Each is one transaction with its audit event."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from children.imports import COLUMNS, REQUIRED, TITLES, ImportPlan, plan_children, template_choices
from children.models import Child, ChildDocument, ChildImport, Exclusion, Involvement, PenPortrait
from core.access import can_edit_child, can_record_exclusion, may_write_to_record
from core.audit import audit_record
from core.csv_export import csv_text
from core.documents import document_read
from core.imports import uploaded_list_commit, uploaded_list_keep, uploaded_list_problems
from core.models import AuditAction, User
from core.spreadsheets import read_rows
from core.xlsx_export import xlsx_form


def _changed_fields(child: Child, data: dict) -> list[str]:
    # Compare with what is stored: a bound form has already copied its data onto `child`.
    stored = Child.objects.get(pk=child.pk)
    return [name for name, value in data.items() if getattr(stored, name) != value]


def _save(record, *, user: User, child: Child, action: AuditAction, detail: dict | None = None):
    """Check a record against its model's rules, then save it with its audit event, all or nothing."""
    record.full_clean()
    with transaction.atomic():
        record.save()
        audit_record(user=user, action=action, object_type="child", object_id=child.public_id, detail=detail)
    return record


def child_create(*, user: User, data: dict) -> Child:
    """Record a new child in the user's area. Only the LA or the child's home school may."""
    organisation = user.primary_organisation
    child = Child(area=organisation.area, **data)
    if not can_edit_child(user=user, child=child):
        raise PermissionDenied("Only the local authority or the child's home school can add a child.")
    return _save(child, user=user, child=child, action=AuditAction.CHILD_CREATED)


def child_update(*, user: User, child: Child, data: dict) -> Child:
    """Change a child's record; the history keeps the old values and who changed them."""
    if not can_edit_child(user=user, child=child):
        raise PermissionDenied("Only the local authority or the child's home school can change this record.")
    changed = _changed_fields(child, data)
    for name, value in data.items():
        setattr(child, name, value)
    return _save(child, user=user, child=child, action=AuditAction.CHILD_CHANGED, detail={"fields": changed})


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


def _import_plan(user: User, content: bytes, filename: str, today: date) -> ImportPlan:
    rows, problems = read_rows(content, filename, COLUMNS, REQUIRED)
    return ImportPlan(problems=problems) if problems else plan_children(user=user, rows=rows, today=today)


def children_import_check(*, user: User, filename: str, content: bytes, today: date) -> tuple[ChildImport, ImportPlan]:
    """Keep an uploaded list of children and check it; nothing changes in the register until it is confirmed."""
    plan = _import_plan(user, content, filename, today)
    upload = uploaded_list_keep(
        model=ChildImport,
        user=user,
        filename=filename,
        content=content,
        plan=plan,
        action=AuditAction.CHILDREN_IMPORT_CHECKED,
    )
    return upload, plan


def children_import_plan(*, user: User, upload: ChildImport, today: date) -> ImportPlan:
    """What the kept file would do now, against the register as it is now; a refused file, its problems."""
    if upload.status == ChildImport.Status.REJECTED:
        return ImportPlan(problems=uploaded_list_problems(upload))
    return _import_plan(user, bytes(upload.content), upload.filename, today)


def children_import_commit(*, user: User, upload: ChildImport, today: date) -> ImportPlan:
    """Add and update the children of a checked file, all or nothing; the history records who and when."""
    plan = children_import_plan(user=user, upload=upload, today=today)
    return uploaded_list_commit(
        user=user, upload=upload, plan=plan, records=Child, action=AuditAction.CHILDREN_IMPORTED
    )


def children_import_template(*, as_xlsx: bool = False) -> bytes | str:
    """An empty list with every column, the required ones first; it names no child.

    As a workbook, each coded column offers its codes in a drop-down.
    """
    header = list(TITLES.values())
    if not as_xlsx:
        return csv_text(header, [])
    return xlsx_form(header, [], sheet="Children", choices=template_choices(), blank_rows=2000)
