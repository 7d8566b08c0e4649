from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from core.access import (
    can_edit_placement,
    can_place_child,
    child_get_for_user,
    deny,
    may_record_part_time_timetable,
    placement_get_for_user,
)
from core.forms import run_service
from placements.forms import PartTimeTimetableForm, PlacementForm
from placements.selectors import TOLD_PLACEMENTS, TOLD_TIMETABLES, part_time_timetable_get_for_user, told_by_schools
from placements.services import part_time_timetable_record, placement_create, placement_update


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


def part_time_timetable_new(request, child_id):
    child = child_get_for_user(user=request.user, public_id=child_id)
    if not may_record_part_time_timetable(user=request.user, child=child):
        deny(user=request.user, reason="Only the pupil's school or the local authority can record this.", child=child)
    form = PartTimeTimetableForm(request.POST or None)
    if request.method == "POST":
        saved = run_service(form, lambda data: part_time_timetable_record(user=request.user, child=child, data=data))
        if saved:
            messages.success(
                request, "Part-time timetable recorded. The local authority sees it with the AP you commission."
            )
            return redirect(child)
    return _form_page(request, form, child, "Record a part-time timetable", submit="Save part-time timetable")


def part_time_timetable_edit(request, public_id):
    timetable = part_time_timetable_get_for_user(user=request.user, public_id=public_id)
    child = timetable.child
    if not may_record_part_time_timetable(user=request.user, child=child):
        deny(user=request.user, reason="Only the pupil's school or the local authority can change this.", child=child)
    form = PartTimeTimetableForm(request.POST or None, instance=timetable)
    if request.method == "POST":
        saved = run_service(
            form,
            lambda data: part_time_timetable_record(user=request.user, child=child, data=data, timetable=timetable),
        )
        if saved:
            messages.success(request, "Part-time timetable updated.")
            return redirect(child)
    return _form_page(request, form, child, "Change a part-time timetable", submit="Save part-time timetable")


def told_by_schools_list(request):
    """The AP schools commission and their pupils' part-time timetables, as the schools told the LA."""
    show = TOLD_TIMETABLES if request.GET.get("show") == TOLD_TIMETABLES else TOLD_PLACEMENTS
    rows = told_by_schools(user=request.user, show=show, today=date.today())
    page = Paginator(rows, settings.REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "show": show, "today": date.today(), "timetables": show == TOLD_TIMETABLES}
    return render(request, "placements/told_by_schools.html", context)


def _form_page(request, form, child, title, submit="Save placement"):
    context = {
        "form": form,
        "title": title,
        "caption": child.full_name,
        "back_url": child.get_absolute_url(),
        "submit": submit,
    }
    return render(request, "form_page.html", context)
