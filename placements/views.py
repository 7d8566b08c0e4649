from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_POST

from core.access import can_edit_placement, can_place_child, child_get_for_user, is_la_officer, placement_get_for_user
from core.downloads import CSV, XLSX, attachment
from core.forms import run_service
from core.spreadsheets import problems_csv, read_upload
from placements.forms import CommissioningAgreementForm, PlacementForm, PlacementsFileForm
from placements.imports import import_columns, may_import_placements
from placements.selectors import commissioning_agreement_of, placement_import_get
from placements.services import (
    commissioning_agreement_record,
    placement_create,
    placement_update,
    placements_import_check,
    placements_import_commit,
    placements_import_plan,
    placements_import_template,
)


def placement_new(request, child_id):
    child = child_get_for_user(user=request.user, public_id=child_id)
    if not can_place_child(user=request.user, child=child):
        raise Http404("Not found")
    form = PlacementForm(request.POST or None, user=request.user)
    if request.method == "POST":
        placement = run_service(form, lambda data: placement_create(user=request.user, child=child, data=data))
        if placement:
            messages.success(request, f"Placement at {placement.provider} recorded.")
            return redirect(child)
    return _form_page(request, form, child, "Record a placement")


def placement_edit(request, public_id):
    placement = placement_get_for_user(user=request.user, public_id=public_id)
    if not can_edit_placement(user=request.user, placement=placement):
        raise Http404("Not found")
    form = PlacementForm(request.POST or None, instance=placement, user=request.user)
    if request.method == "POST":
        saved = run_service(form, lambda data: placement_update(user=request.user, placement=placement, data=data))
        if saved:
            messages.success(request, "Placement updated.")
            return redirect(saved.child)
    return _form_page(request, form, placement.child, "Change a placement")


def commissioning_agreement(request, public_id):
    placement = placement_get_for_user(user=request.user, public_id=public_id)
    if not can_edit_placement(user=request.user, placement=placement):
        raise Http404("Not found")
    agreement = commissioning_agreement_of(placement=placement)
    form = CommissioningAgreementForm(
        request.POST or None,
        instance=agreement,
        initial={"planned_end_date": placement.planned_end_date, "agreed_on": None if agreement else date.today()},
    )
    if request.method == "POST":
        saved = run_service(
            form, lambda data: commissioning_agreement_record(user=request.user, placement=placement, data=data)
        )
        if saved:
            messages.success(request, f"Commissioning agreement for the placement at {placement.provider} saved.")
            return redirect(placement.child)
    title = "Change the commissioning agreement" if agreement else "Record the commissioning agreement"
    context = {
        "form": form,
        "title": title,
        "caption": f"{placement.child.full_name} at {placement.provider}",
        "back_url": placement.child.get_absolute_url(),
        "submit": "Save agreement",
    }
    return render(request, "form_page.html", context)


def _form_page(request, form, child, title):
    context = {
        "form": form,
        "title": title,
        "caption": child.full_name,
        "back_url": child.get_absolute_url(),
        "submit": "Save placement",
    }
    return render(request, "form_page.html", context)


# Importing a list of placements: upload, check, confirm.


# How the shared check page (templates/import_detail.html) names this import.
IMPORT_KIND = {"url": "placements_import", "title": "Import placements", "many": "placements", "one": "placement"}


def _importer_only(request) -> None:
    if not may_import_placements(request.user):
        raise Http404("Not found")


def placements_import(request):
    _importer_only(request)
    form = PlacementsFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        upload, _plan = placements_import_check(
            user=request.user, filename=file.name, content=read_upload(file), today=date.today()
        )
        return redirect("placements_import_detail", public_id=upload.public_id)
    return render(
        request,
        "placements/import.html",
        {"form": form, "columns": import_columns(), "is_la": is_la_officer(request.user)},
    )


def placements_import_detail(request, public_id):
    upload = placement_import_get(user=request.user, public_id=public_id)
    plan = placements_import_plan(user=request.user, upload=upload, today=date.today())
    return render(
        request,
        "import_detail.html",
        {
            "upload": upload,
            "plan": plan,
            "problems": plan.problems[:500],
            "problem_count": len(plan.problems),
            "kind": IMPORT_KIND,
        },
    )


@require_POST
def placements_import_confirm(request, public_id):
    upload = placement_import_get(user=request.user, public_id=public_id)
    try:
        plan = placements_import_commit(user=request.user, upload=upload, today=date.today())
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("placements_import_detail", public_id=upload.public_id)
    added = len(plan.new)
    messages.success(request, f"{added} placement{pluralize(added)} added and {len(plan.changed)} brought up to date.")
    return redirect("register")


def placements_import_problems(request, public_id):
    upload = placement_import_get(user=request.user, public_id=public_id)
    plan = placements_import_plan(user=request.user, upload=upload, today=date.today())
    return attachment(problems_csv(plan.problems), f"problems-{upload.filename}.csv", CSV)


def placements_import_template_download(request):
    _importer_only(request)
    if request.GET.get("format") == "xlsx":
        return attachment(placements_import_template(user=request.user, as_xlsx=True), "placements-template.xlsx", XLSX)
    return attachment(placements_import_template(user=request.user), "placements-template.csv", CSV)
