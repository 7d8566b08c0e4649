from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from core.access import can_edit_placement, can_place_child, child_get_for_user, placement_get_for_user
from core.forms import run_service
from placements.forms import PlacementForm
from placements.services import placement_create, placement_update


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


def _form_page(request, form, child, title):
    context = {
        "form": form,
        "title": title,
        "caption": child.full_name,
        "back_url": child.get_absolute_url(),
        "submit": "Save placement",
    }
    return render(request, "form_page.html", context)
