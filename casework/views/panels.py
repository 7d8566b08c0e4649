"""The local authority's panels: its queue of referrals, its panels, their members, agendas and decisions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from casework.forms_panels import AgendaForm, DecisionForm, PanelForm, PanelKindForm, PanelMemberForm
from casework.models import PanelKind, PanelMember
from casework.referral_figures import figures_shown
from casework.selectors.panels import (
    agenda_referral_get,
    panel_agenda,
    panel_area_for,
    panel_kind_get,
    panel_kinds_of,
    panel_member_get,
    panel_member_organisations,
    panel_members,
    panels_past,
    panels_upcoming,
    provider_directory,
    queue_choices,
    referral_queue,
    referral_queue_count,
    referrals_of_area,
)
from casework.services.panels import (
    agenda_add,
    agenda_remove,
    decision_record,
    panel_create,
    panel_kind_save,
    panel_member_add,
    panel_member_remove,
)
from core.access import panel_get_for_user
from core.forms import run_service


def _posted(request):
    """The form's data when sent, even if empty: an empty agenda is an error to show, not a page to start again."""
    return request.POST if request.method == "POST" else None


def _panel(request, public_id):
    """The LA's own panel: anyone else is refused, another area's panel is not found."""
    panel_area_for(user=request.user)
    return panel_get_for_user(user=request.user, public_id=public_id)


def panel_list(request):
    panel_area_for(user=request.user)
    today = timezone.localdate()
    context = {
        "upcoming": panels_upcoming(user=request.user, today=today),
        "past": panels_past(user=request.user, today=today, page_number=request.GET.get("page")),
        "waiting": referral_queue_count(user=request.user),
    }
    return render(request, "casework/panel_list.html", context)


def panel_kinds(request):
    area = panel_area_for(user=request.user)
    return render(request, "casework/panel_kinds.html", {"kinds": panel_kinds_of(area=area)})


def panel_kind_form(request, kind_id=None):
    area = panel_area_for(user=request.user)
    kind = None
    if kind_id is not None:
        try:
            kind = panel_kind_get(area=area, kind_id=kind_id)
        except PanelKind.DoesNotExist as missing:
            raise Http404("Not found") from missing
    initial = {"name": kind.name, "description": kind.description} if kind else None
    form = PanelKindForm(_posted(request), initial=initial)
    if request.method == "POST":
        saved = run_service(form, lambda data: panel_kind_save(user=request.user, area=area, kind=kind, **data))
        if saved:
            messages.success(request, f"{saved.name} saved.")
            return redirect("panel_kinds")
    context = {
        "form": form,
        "title": f"Change {kind.name}" if kind else "Add a kind of panel",
        "back_url": reverse("panel_kinds"),
        "submit": "Save",
    }
    return render(request, "form_page.html", context)


def referral_queue_page(request):
    today = timezone.localdate()
    page = referral_queue(user=request.user, today=today, page_number=request.GET.get("page"))
    upcoming = panels_upcoming(user=request.user, today=today)
    return render(request, "casework/panel_queue.html", {"page": page, "upcoming": upcoming})


def panel_new(request):
    area = panel_area_for(user=request.user)
    kinds = panel_kinds_of(area=area)
    form = PanelForm(_posted(request), kinds=kinds)
    if request.method == "POST":
        panel = run_service(form, lambda data: panel_create(user=request.user, area=area, **data))
        if panel:
            messages.success(request, f"The {panel} is arranged. Record who attends and choose its agenda.")
            return redirect(panel)
    context = {
        "form": form,
        "title": "Arrange a panel",
        "back_url": reverse("panel_list"),
        "submit": "Arrange the panel",
        "kinds": kinds,
    }
    return render(request, "casework/panel_new.html", context)


def panel_detail(request, public_id):
    panel = _panel(request, public_id)
    members = panel_members(panel=panel)
    today = timezone.localdate()
    context = {
        "panel": panel,
        "members": members,
        "missing": panel.sectors_missing(members),
        "met": panel.meets_on <= today,
        "agenda": panel_agenda(panel=panel, today=today),
    }
    return render(request, "casework/panel_detail.html", context)


def panel_member_new(request, public_id):
    panel = _panel(request, public_id)
    form = PanelMemberForm(_posted(request), organisations=panel_member_organisations(area_id=panel.area_id))
    if request.method == "POST":
        member = run_service(form, lambda data: panel_member_add(user=request.user, panel=panel, **data))
        if member:
            messages.success(request, f"{member.person_name} recorded as attending.")
            return redirect(panel)
    context = {
        "form": form,
        "title": "Record who attended",
        "caption": str(panel),
        "back_url": panel.get_absolute_url(),
        "submit": "Save",
    }
    return render(request, "form_page.html", context)


@require_POST
def panel_member_remove_view(request, public_id, member_id):
    panel = _panel(request, public_id)
    try:
        member = panel_member_get(panel=panel, member_id=member_id)
    except PanelMember.DoesNotExist as missing:
        raise Http404("Not found") from missing
    panel_member_remove(user=request.user, panel=panel, member=member)
    messages.success(request, f"{member.person_name} taken off the attendance.")
    return redirect(panel)


def panel_agenda_form(request, public_id):
    panel = _panel(request, public_id)
    today = timezone.localdate()
    queue = queue_choices(user=request.user, panel=panel, today=today)
    form = AgendaForm(
        _posted(request), referrals=referrals_of_area(user=request.user, panel=panel), queue=queue, today=today
    )
    if request.method == "POST":
        added = run_service(
            form, lambda data: agenda_add(user=request.user, panel=panel, referrals=list(data["referrals"]))
        )
        if added:
            messages.success(request, f"{len(added)} referral{'s' if len(added) > 1 else ''} put on the agenda.")
            return redirect(panel)
    context = {
        "form": form,
        "title": "Choose the agenda",
        "caption": str(panel),
        "back_url": panel.get_absolute_url(),
        "submit": "Put on the agenda",
        "queue": queue,
    }
    return render(request, "casework/panel_agenda.html", context)


@require_POST
def agenda_remove_view(request, public_id, referral_id):
    panel = _panel(request, public_id)
    referral = agenda_referral_get(user=request.user, panel=panel, public_id=referral_id)
    try:
        agenda_remove(user=request.user, panel=panel, referral=referral)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(panel)
    messages.success(request, f"The referral of {referral.child.full_name} is back in the queue.")
    return redirect(panel)


def decision_new(request, public_id, referral_id):
    panel = _panel(request, public_id)
    referral = agenda_referral_get(user=request.user, panel=panel, public_id=referral_id)
    form = DecisionForm(_posted(request), directory=provider_directory(area_id=panel.area_id))
    if request.method == "POST":
        decision = run_service(
            form, lambda data: decision_record(user=request.user, panel=panel, referral=referral, **data)
        )
        if decision:
            messages.success(request, f"Decision recorded for {referral.child.full_name}.")
            return redirect(panel)
    context = {
        "form": form,
        "title": "Record the decision",
        "caption": f"{referral.child.full_name}, {panel}",
        "back_url": panel.get_absolute_url(),
        "submit": "Record the decision",
        "panel": panel,
        "referral": referral,
        "contributions": referral.contributions.select_related("organisation", "author"),
        "figures": figures_shown(referral.record_when_sent),
        "missing": panel.sectors_missing(),
    }
    return render(request, "casework/panel_decision.html", context)
