from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.access import (
    children_visible_to,
    is_inspector_of,
    may_export_returns,
    may_keep_inspections,
    may_see_inspections,
)
from core.downloads import XLSX, attachment
from core.forms import run_service
from inspection.forms import EvidenceForm, InspectionForm, InspectorForm, PseudonymForm, VisitActivityForm
from inspection.models import EvidenceItem, Inspection
from inspection.selectors import (
    evidence_checklist,
    evidence_get,
    inspection_get,
    inspections_for,
    tracked_children,
    tracking_pack_read,
    visit_activities,
    visit_summary,
)
from inspection.services import (
    annex_a_export,
    evidence_add,
    inspection_inspector_add,
    inspection_inspector_remove,
    inspection_start,
    pseudonym_resolve,
    tracked_child_add,
    tracking_pack_export,
    visit_activity_record,
)


def inspection_list(request):
    if not may_see_inspections(request.user):
        raise Http404("Not found")
    return render(
        request,
        "inspection/inspection_list.html",
        {
            "inspections": inspections_for(user=request.user),
            "may_export": may_export_returns(request.user),
            "is_la": may_keep_inspections(request.user),
        },
    )


def inspection_new(request):
    if not may_keep_inspections(request.user):
        raise Http404("Not found")
    form = InspectionForm(request.POST or None)
    if request.method == "POST":
        inspection = run_service(form, lambda data: inspection_start(user=request.user, data=data))
        if inspection:
            messages.success(request, "Inspection recorded with a new pseudonymisation key.")
            return redirect("inspection_detail", public_id=inspection.public_id)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": "Record a notified inspection", "back_url": reverse("inspection_list")},
    )


def _inspection_or_404(request, public_id) -> Inspection:
    try:
        return inspection_get(user=request.user, public_id=public_id)
    except Inspection.DoesNotExist as missing:
        raise Http404("Not found") from missing


def inspection_detail(request, public_id):
    inspection = _inspection_or_404(request, public_id)
    form = PseudonymForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid() and may_keep_inspections(request.user):
        found = pseudonym_resolve(
            user=request.user,
            inspection=inspection,
            pseudonym=form.cleaned_data["pseudonym"],
            children=children_visible_to(user=request.user).only("pk", "public_id", "first_name", "last_name"),
            today=date.today(),
        )
        if found is None:
            form.add_error(
                "pseudonym", "No child of the area has this id in this inspection; check it was copied exactly"
            )
    today = date.today()
    return render(
        request,
        "inspection/inspection_detail.html",
        {
            "inspection": inspection,
            "form": form,
            "found": found,
            "is_la": may_keep_inspections(request.user),
            "may_export": may_export_returns(request.user),
            "is_inspector": is_inspector_of(request.user, inspection, today),
            "inspector_form": InspectorForm(),
            "inspectors": inspection.inspectors.all(),
        },
    )


@require_POST
def inspection_inspector_new(request, public_id):
    inspection = _inspection_or_404(request, public_id)
    form = InspectorForm(request.POST)
    saved = run_service(
        form,
        lambda data: (
            inspection_inspector_add(user=request.user, inspection=inspection, inspector=data["inspector"]) or True
        ),
    )
    if saved:
        messages.success(request, "The inspector can now see this inspection until the visit ends.")
    else:
        messages.error(request, "Choose an inspector's account")
    return redirect("inspection_detail", public_id=inspection.public_id)


@require_POST
def inspector_remove(request, public_id, user_id):
    inspection = _inspection_or_404(request, public_id)
    inspector = inspection.inspectors.filter(public_id=user_id).first()
    if inspector is None:
        raise Http404("Not found")
    inspection_inspector_remove(user=request.user, inspection=inspection, inspector=inspector)
    messages.success(request, f"{inspector} can no longer see this inspection.")
    return redirect("inspection_detail", public_id=inspection.public_id)


def annex_a_download(request, public_id, fmt):
    if fmt not in ("xlsx", "zip"):
        raise Http404("Not found")
    inspection = _inspection_or_404(request, public_id)
    today = date.today()
    body = annex_a_export(user=request.user, inspection=inspection, as_csv=fmt == "zip", today=today)
    filename = f"annex-a-{inspection.area.la_code}-{today.isoformat()}.{fmt}"
    return attachment(body, filename, "application/zip" if fmt == "zip" else XLSX)


def evidence(request):
    if not may_keep_inspections(request.user):
        raise Http404("Not found")
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        saved = run_service(
            form,
            lambda data: evidence_add(user=request.user, data=_without_file(data), upload=request.FILES.get("file")),
        )
        if saved:
            messages.success(request, "Added to the evidence library.")
            return redirect("evidence")
    return render(
        request, "inspection/evidence.html", {"checklist": evidence_checklist(user=request.user), "form": form}
    )


def _without_file(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "file"}


def evidence_download(request, public_id):
    if not may_keep_inspections(request.user):
        raise Http404("Not found")
    try:
        item = evidence_get(user=request.user, public_id=public_id)
    except EvidenceItem.DoesNotExist as missing:
        raise Http404("Not found") from missing
    if item.kind != EvidenceItem.Kind.DOCUMENT:
        raise Http404("Not found")
    return attachment(item.content, item.filename)


def visit_record(request, public_id):
    inspection = _inspection_or_404(request, public_id)
    if not may_keep_inspections(request.user):
        raise Http404("Not found")
    form = VisitActivityForm(request.POST or None, area=inspection.area)
    if request.method == "POST":
        saved = run_service(
            form, lambda data: visit_activity_record(user=request.user, inspection=inspection, data=data)
        )
        if saved:
            messages.success(request, "Activity recorded.")
            return redirect("visit_record", public_id=inspection.public_id)
    activities = visit_activities(inspection=inspection)
    return render(
        request,
        "inspection/visit_record.html",
        {"inspection": inspection, "form": form, "activities": activities, "summary": visit_summary(activities)},
    )


def tracking(request, public_id):
    inspection = _inspection_or_404(request, public_id)
    form = PseudonymForm(request.POST or None)
    if request.method == "POST" and may_keep_inspections(request.user):
        added = run_service(
            form,
            lambda data: tracked_child_add(
                user=request.user,
                inspection=inspection,
                pseudonym=data["pseudonym"],
                children=children_visible_to(user=request.user).only("pk", "public_id"),
                today=date.today(),
            ),
        )
        if added:
            messages.success(request, f"{added.pseudonym} added for tracking.")
            return redirect("tracking", public_id=inspection.public_id)
    return render(
        request,
        "inspection/tracking.html",
        {
            "inspection": inspection,
            "form": form,
            "tracked": tracked_children(inspection=inspection),
            "is_la": may_keep_inspections(request.user),
        },
    )


def _tracking_pack(request, public_id, child_id) -> dict:
    """The pack of a child this inspection selected, read through the same checks for the page and the PDF."""
    inspection = _inspection_or_404(request, public_id)
    return tracking_pack_read(user=request.user, inspection=inspection, child_id=child_id, today=date.today())


def tracking_pack(request, public_id, child_id):
    return render(request, "inspection/tracking_pack.html", _tracking_pack(request, public_id, child_id))


def tracking_pack_pdf(request, public_id, child_id):
    pack = _tracking_pack(request, public_id, child_id)
    html = render_to_string("inspection/tracking_pack_pdf.html", pack)
    body = tracking_pack_export(
        user=request.user, inspection=pack["inspection"], tracked=pack["tracked"], html=html, today=pack["today"]
    )
    return attachment(body, f"tracking-pack-{pack['tracked'].pseudonym}.pdf", "application/pdf")
