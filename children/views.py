from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from children.forms import (
    ChildDocumentForm,
    ChildForm,
    CombineForm,
    ExclusionForm,
    InvolvementForm,
    PenPortraitForm,
)
from children.selectors import (
    child_access_log,
    child_document_get,
    child_record,
    child_referrals,
    children_recorded_twice,
    involvement_get_for_user,
)
from children.services import (
    child_create,
    child_document_upload,
    child_update,
    children_recorded_twice_combine,
    exclusion_record,
    involvement_create,
    involvement_update,
    pen_portrait_write,
)
from core.access import (
    can_edit_child,
    can_edit_placement,
    can_place_child,
    can_record_exclusion,
    child_get_for_user,
    deny,
    may_add_child,
    may_read_access_log,
    may_refer,
    may_settle_recorded_twice,
    may_write_to_record,
)
from core.downloads import attachment
from core.forms import run_service


def child_detail(request, public_id):
    child, placements = child_record(user=request.user, public_id=public_id)
    if getattr(child, "limited", False):
        access_days = request.user.primary_organisation.area.provider_access_days
        closes_on = max(p.end_date for p in placements) + timedelta(days=access_days)
        return render(
            request,
            "children/child_left.html",
            {"child": child, "placements": placements, "access_days": access_days, "closes_on": closes_on},
        )
    for placement in placements:
        placement.child = child
        placement.can_edit = can_edit_placement(user=request.user, placement=placement)
    return render(
        request,
        "children/child_detail.html",
        {
            "child": child,
            "placements": placements,
            "can_edit": can_edit_child(user=request.user, child=child),
            "can_place": can_place_child(user=request.user, child=child),
            "can_record_exclusion": can_record_exclusion(user=request.user, child=child),
            "can_see_access_log": may_read_access_log(user=request.user, child=child),
            "may_settle": may_settle_recorded_twice(user=request.user, area_id=child.area_id),
            "may_write": may_write_to_record(user=request.user, child=child),
            "may_refer": may_refer(user=request.user, child=child),
            "referrals": child_referrals(user=request.user, child=child),
        },
    )


def child_new(request):
    if not may_add_child(request.user):
        deny(user=request.user, reason="Only the local authority or a school can add a child.", object_type="page")
    # Come from another task (a referral of a child not yet on the system): its UPN, and the way back to it.
    form = ChildForm(request.POST or None, user=request.user, initial={"upn": request.GET.get("upn", "")[:13]})
    back = request.GET.get("next", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    if request.method == "POST":
        child = run_service(form, lambda data: child_create(user=request.user, data=data))
        if child:
            messages.success(request, f"{child.full_name} has been added.")
            return redirect(back or child)
    # A UPN already on a record the user may see: say whose record it is.
    return render(
        request,
        "children/child_new.html",
        {"form": form, "title": "Add a child", "back_url": back or reverse("child_list"), "existing": form.existing},
    )


def recorded_twice(request):
    area_id = request.user.primary_organisation.area_id
    if not may_settle_recorded_twice(user=request.user, area_id=area_id):
        deny(user=request.user, reason="Only the local authority settles children recorded twice.", object_type="page")
    return render(request, "children/recorded_twice.html", {"children": children_recorded_twice(user=request.user)})


def child_combine(request, public_id):
    child = child_get_for_user(user=request.user, public_id=public_id)
    if not may_settle_recorded_twice(user=request.user, area_id=child.area_id):
        deny(user=request.user, reason="Only the local authority combines a child's records.", child=child)
    earlier = child.recorded_twice_as
    if earlier is None:
        raise Http404("Not found")
    schools = list(dict.fromkeys([child.home_school, earlier.home_school]))
    form = CombineForm(request.POST or None, schools=schools)
    if request.method == "POST":
        combined = run_service(
            form,
            lambda data: children_recorded_twice_combine(
                user=request.user, child=child, home_school=data["home_school"]
            ),
        )
        if combined:
            messages.success(request, f"The two records of {combined.full_name} are now one.")
            return redirect(combined)
    pair = [(earlier, "Earlier record"), (child, "Added later")]
    return render(request, "children/child_combine.html", {"form": form, "child": child, "pair": pair})


def child_edit(request, public_id):
    child = child_get_for_user(user=request.user, public_id=public_id)
    if not can_edit_child(user=request.user, child=child):
        raise Http404("Not found")
    form = ChildForm(request.POST or None, instance=child, user=request.user)
    if request.method == "POST":
        saved = run_service(form, lambda data: child_update(user=request.user, child=child, data=data))
        if saved:
            messages.success(request, "The child's record has been updated.")
            return redirect(saved)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": f"Change {child.full_name}'s record", "back_url": child.get_absolute_url()},
    )


def child_access(request, public_id):
    child = child_get_for_user(user=request.user, public_id=public_id)
    if not may_read_access_log(user=request.user, child=child):
        raise Http404("Not found")
    events = child_access_log(user=request.user, child=child)[:200]
    return render(request, "children/child_access_log.html", {"child": child, "events": events})


def _child_form(request, child, form, save, *, title: str, done, template: str = "form_page.html"):
    """A form about one child: saved through its service, said in words, then back to the child's record."""
    if request.method == "POST":
        saved = run_service(form, save)
        if saved:
            messages.success(request, done(saved))
            return redirect(child)
    context = {"form": form, "title": title, "caption": child.full_name, "back_url": child.get_absolute_url()}
    return render(request, template, context)


def involvement_new(request, child_id):
    child = child_get_for_user(user=request.user, public_id=child_id)
    if not can_edit_child(user=request.user, child=child):
        raise Http404("Not found")
    return _child_form(
        request,
        child,
        InvolvementForm(request.POST or None, user=request.user),
        lambda data: involvement_create(user=request.user, child=child, data=data),
        title="Record someone involved",
        done=lambda saved: f"{saved.person_name} recorded as involved.",
    )


def involvement_edit(request, public_id):
    involvement = involvement_get_for_user(user=request.user, public_id=public_id)
    child = involvement.child
    if not can_edit_child(user=request.user, child=child):
        raise Http404("Not found")
    return _child_form(
        request,
        child,
        InvolvementForm(request.POST or None, instance=involvement, user=request.user),
        lambda data: involvement_update(user=request.user, involvement=involvement, data=data),
        title=f"Change {involvement.person_name}'s involvement",
        done=lambda saved: f"{saved.person_name}'s involvement updated.",
    )


def exclusion_new(request, child_id):
    child = child_get_for_user(user=request.user, public_id=child_id)
    if not can_record_exclusion(user=request.user, child=child):
        raise Http404("Not found")
    return _child_form(
        request,
        child,
        ExclusionForm(request.POST or None, user=request.user, child=child),
        lambda data: exclusion_record(user=request.user, child=child, data=data),
        title="Record a suspension or exclusion",
        done=lambda saved: f"{saved.get_category_display()} recorded.",
    )


def _writer_only(request, child) -> None:
    if not may_write_to_record(user=request.user, child=child):
        deny(user=request.user, child=child, reason=WRITE_REFUSED)


# Said to anyone who may see a child's record but not add to it.
WRITE_REFUSED = (
    "Only the local authority, the child's home school, a setting where the child is placed now, "
    "the practitioners working with the child and the virtual school can add to a child's record."
)


def pen_portrait_new(request, child_id):
    child = child_get_for_user(user=request.user, public_id=child_id)
    _writer_only(request, child)
    return _child_form(
        request,
        child,
        PenPortraitForm(request.POST or None),
        lambda data: pen_portrait_write(user=request.user, child=child, data=data),
        title="Write a pen portrait",
        done=lambda saved: "Pen portrait saved.",
    )


def document_new(request, child_id):
    child = child_get_for_user(user=request.user, public_id=child_id)
    _writer_only(request, child)
    return _child_form(
        request,
        child,
        ChildDocumentForm(request.POST or None, request.FILES or None),
        lambda data: child_document_upload(
            user=request.user,
            child=child,
            data={k: v for k, v in data.items() if k != "file"},
            upload=request.FILES.get("file"),
        ),
        title="Upload a plan or assessment",
        done=lambda saved: f"{saved.get_kind_display()} uploaded.",
        template="children/document_form.html",
    )


def document_download(request, public_id):
    document = child_document_get(user=request.user, public_id=public_id)
    return attachment(document.content, document.filename)
