from collections import Counter
from datetime import date

from django.db.models import Q

from casework.chronology import chronology
from children.selectors import child_record
from core.access import inspection_open_rule, is_inspector, may_write_to_record, refuse
from core.models import AuditAction, OrganisationKind, User
from inspection.models import EvidenceItem, EvidenceRequest, Inspection, TrackedChild, VisitActivity
from inspection.redaction import Redaction


def inspections_for(*, user: User, today: date | None = None):
    """The LA's inspections of its areas; an inspector's own inspections, only while they last."""
    today = today or date.today()
    la_areas = [o.area_id for o in user.organisations if o.kind == OrganisationKind.LOCAL_AUTHORITY]
    own = Q(inspection_open_rule(today), inspectors=user)
    return Inspection.objects.filter(Q(area_id__in=la_areas) | own).distinct().select_related("area", "created_by")


def inspection_get(*, user: User, public_id) -> Inspection:
    return inspections_for(user=user).get(public_id=public_id)


def evidence_checklist(*, user: User) -> list[tuple]:
    """Each Annex A request with what the area holds for it: (request label, items, answered)."""
    items = {}
    for item in EvidenceItem.objects.filter(area_id__in=[o.area_id for o in user.organisations]).defer("content"):
        items.setdefault(item.request, []).append(item)
    return [(label, items.get(value, []), bool(items.get(value))) for value, label in EvidenceRequest.choices]


def evidence_get(*, user: User, public_id):
    return EvidenceItem.objects.get(public_id=public_id, area_id__in=[o.area_id for o in user.organisations])


def visit_activities(*, inspection: Inspection) -> list:
    return list(inspection.activities.select_related("provider__organisation"))


def visit_summary(activities: list) -> list[tuple[str, int]]:
    """How many of each kind of activity the visit held, in the order of the kinds."""
    counts = Counter(a.kind for a in activities)
    return [(label, counts[value]) for value, label in VisitActivity.Kind.choices if counts[value]]


def tracked_children(*, inspection: Inspection) -> list:
    return list(TrackedChild.objects.filter(inspection=inspection).select_related("child"))


def latest_documents(*, child) -> list:
    """The newest document of each kind held for a child."""
    latest = {}
    for document in child.documents.defer("content").order_by("-dated"):
        latest.setdefault(document.kind, document)
    return list(latest.values())


def tracking_pack_read(*, user: User, inspection: Inspection, child_id, today: date) -> dict:
    """Everything a child's tracking pack shows, for the page and the PDF alike; reading the record is audited.

    A child the inspection did not select is answered as missing, and the refusal is on the child's log.
    """
    tracked = (
        TrackedChild.objects.select_related("child").filter(inspection=inspection, child__public_id=child_id).first()
    )
    if tracked is None:
        refuse(
            user=user,
            action=AuditAction.CHILD_VIEW_REFUSED,
            object_type="tracking_pack",
            object_id=child_id,
            child_public_id=child_id,
        )
    child, placements = child_record(user=user, public_id=child_id)
    return {
        "redaction": Redaction.for_child(child, pseudonym=tracked.pseudonym),
        # The plans themselves name the child: inspectors see that they are held, not what they say.
        "documents_open": not is_inspector(user),
        "inspection": inspection,
        "tracked": tracked,
        "child": child,
        "current": [p for p in placements if p.is_open_on(today)],
        "events": chronology(user=user, child=child, today=today),
        "portrait": child.pen_portraits.select_related("written_by").first(),
        "documents": latest_documents(child=child),
        "today": today,
        "may_write": may_write_to_record(user=user, child=child, today=today),
    }
