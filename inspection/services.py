"""Starting an inspection and producing its returns. Only those allowed to produce returns may."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.access import deny, is_inspector_of, is_la_of, may_export_returns, may_keep_inspections
from core.audit import audit_record
from core.documents import document_read
from core.models import AuditAction, OrganisationKind, User
from inspection.annex_a import annex_a_sheets, csv_zip_bytes, workbook_bytes
from inspection.models import EvidenceItem, Inspection, TrackedChild, VisitActivity


def _require_export(user: User, what: str, inspection: Inspection | None = None, today: date | None = None) -> None:
    if inspection is not None and is_inspector_of(user, inspection, today or date.today()):
        return
    if not may_export_returns(user):
        deny(
            user=user,
            reason="Producing inspection returns needs the permission to export person-level data.",
            action=AuditAction.ANNEX_A_REFUSED,
            object_type="inspection",
            detail={"tried": what},
        )


def inspection_start(*, user: User, data: dict) -> Inspection:
    """Record a notified inspection; it gets a new pseudonymisation key of its own."""
    _require_export(user, "start an inspection")
    inspection = Inspection(area=user.primary_organisation.area, created_by=user, **data)
    inspection.full_clean()
    with transaction.atomic():
        inspection.save()
        audit_record(
            user=user, action=AuditAction.INSPECTION_STARTED, object_type="inspection", object_id=inspection.public_id
        )
    return inspection


def annex_a_export(*, user: User, inspection: Inspection, as_csv: bool, today: date) -> bytes:
    """The Annex A return as a workbook (or a zip of CSV files); every download is audited."""
    _require_export(user, "download the Annex A return", inspection, today)
    # An inspector sees what the area sees, pseudonymised: the return is read as the officer who recorded the visit.
    scope = inspection.created_by if is_inspector_of(user, inspection, today) else user
    with transaction.atomic():
        sheets = annex_a_sheets(user=scope, inspection=inspection, today=today)
        body = (csv_zip_bytes if as_csv else workbook_bytes)(sheets, inspection=inspection)
        audit_record(
            user=user,
            action=AuditAction.ANNEX_A_EXPORTED,
            object_type="inspection",
            object_id=inspection.public_id,
            detail={"format": "csv" if as_csv else "xlsx", "rows": {s.name: len(s.rows) for s in sheets}},
            children=set().union(*(s.children for s in sheets)),
        )
    return body


def tracking_pack_export(*, user: User, inspection: Inspection, tracked: TrackedChild, html: str, today: date) -> bytes:
    """A tracking pack as a PDF, for the LA of the area or the inspection's inspector during the visit; audited."""
    if not (is_la_of(user, inspection.area_id) or is_inspector_of(user, inspection, today)):
        raise PermissionDenied("Only the local authority and this inspection's inspectors can download its packs.")
    # WeasyPrint takes about a second to import: loaded when a PDF is asked for, not by every process.
    from core.pdf import pdf_from_html

    body = pdf_from_html(html)
    with transaction.atomic():
        audit_record(
            user=user,
            action=AuditAction.TRACKING_PACK_EXPORTED,
            object_type="child",
            object_id=tracked.child.public_id,
            detail={"inspection": str(inspection.public_id), "pseudonym": tracked.pseudonym, "format": "pdf"},
        )
    return body


def pseudonym_resolve(*, user: User, inspection: Inspection, pseudonym: str, children, today: date):
    """The child behind a pseudonymised id, while the inspection lasts; the look-up is audited."""
    _require_export(user, "look up a pseudonymised id")
    if today > inspection.visit_ends_on:
        raise PermissionDenied("The visit has ended, so its ids can no longer be looked up.")
    wanted = pseudonym.strip().upper()
    found = next((c for c in children if inspection.pseudonym(c.public_id) == wanted), None)
    audit_record(
        user=user,
        action=AuditAction.PSEUDONYM_RESOLVED,
        object_type="child" if found else "inspection",
        object_id=found.public_id if found else inspection.public_id,
        detail={"pseudonym": wanted, "found": found is not None},
    )
    return found


# The kinds of document an area keeps its plans and reports in.
EVIDENCE_TYPES = {".pdf", ".docx", ".doc", ".xlsx", ".xls", ".pptx", ".odt", ".ods", ".txt", ".csv"}


def evidence_add(*, user: User, data: dict, upload=None) -> EvidenceItem:
    """Add a document, a link or "not held" to the area's evidence for an Annex A request. LA only."""
    if not may_keep_inspections(user):
        raise PermissionDenied("Only the local authority keeps the evidence library.")
    item = EvidenceItem(area=user.primary_organisation.area, added_by=user, **data)
    if item.kind == EvidenceItem.Kind.DOCUMENT:
        item.filename, item.content = document_read(
            upload, allowed=EVIDENCE_TYPES, described="a PDF, Word, Excel, PowerPoint, OpenDocument, text or CSV file"
        )
    item.full_clean()
    with transaction.atomic():
        item.save()
        audit_record(user=user, action=AuditAction.EVIDENCE_ADDED, object_type="evidence", object_id=item.public_id)
    return item


def visit_activity_record(*, user: User, inspection: Inspection, data: dict):
    """Record one activity of the visit; it must fall within the inspection's dates. LA only."""
    if not may_keep_inspections(user, inspection.area_id):
        raise PermissionDenied("Only the local authority keeps the visit record.")
    activity = VisitActivity(inspection=inspection, recorded_by=user, **data)
    activity.full_clean()
    if not inspection.notified_on <= activity.held_on <= inspection.visit_ends_on:
        raise ValidationError(
            {
                "held_on": [
                    f"The date must be between the notification ({inspection.notified_on:%d/%m/%Y}) and the end of the visit ({inspection.visit_ends_on:%d/%m/%Y})"
                ]
            }
        )
    with transaction.atomic():
        activity.save()
        audit_record(
            user=user,
            action=AuditAction.VISIT_ACTIVITY_RECORDED,
            object_type="inspection",
            object_id=inspection.public_id,
        )
    return activity


def tracked_child_add(*, user: User, inspection: Inspection, pseudonym: str, children, today: date):
    """Add a child the inspectors selected for tracking, by the id they were given."""
    child = pseudonym_resolve(user=user, inspection=inspection, pseudonym=pseudonym, children=children, today=today)
    if child is None:
        raise ValidationError(
            {"pseudonym": ["No child of the area has this id in this inspection; check it was copied exactly"]}
        )
    tracked, _ = TrackedChild.objects.get_or_create(
        inspection=inspection, child=child, defaults={"pseudonym": pseudonym.strip().upper(), "selected_by": user}
    )
    return tracked


def inspection_inspector_add(*, user: User, inspection: Inspection, inspector: User) -> None:
    """Give an inspector's account sight of this inspection (its return and tracking packs) until the visit ends."""
    _require_export(user, "give an inspector access")
    if not inspector.memberships.filter(organisation__kind=OrganisationKind.INSPECTORATE).exists():
        raise ValidationError({"inspector": ["Choose an inspector's account"]})
    with transaction.atomic():
        inspection.inspectors.add(inspector)
        audit_record(
            user=user,
            action=AuditAction.INSPECTOR_ADDED,
            object_type="inspection",
            object_id=inspection.public_id,
            detail={"inspector": str(inspector.public_id)},
        )


def inspection_inspector_remove(*, user: User, inspection: Inspection, inspector: User) -> None:
    """Take an inspector's sight of this inspection away, at once, whatever the visit's dates."""
    _require_export(user, "remove an inspector's access")
    if not may_keep_inspections(user, inspection.area_id):
        raise PermissionDenied("Only the local authority of the area can change who sees its inspection.")
    with transaction.atomic():
        inspection.inspectors.remove(inspector)
        audit_record(
            user=user,
            action=AuditAction.INSPECTOR_REMOVED,
            object_type="inspection",
            object_id=inspection.public_id,
            detail={"inspector": str(inspector.public_id)},
        )
