"""Pages of the personalised plan, of a placement started from a panel's decision, and of the child's timeline."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from casework.forms_plans import PersonalisedPlanForm, PlacementFromDecisionForm, objective_formset
from casework.rules import outcome_provision_type
from casework.selectors.plans import child_timeline, decision_get_for_user, plan_of, settings_timetable
from casework.services.plans import (
    personalised_plan_record,
    placement_from_decision_refusal,
    placement_start_from_decision,
)
from core.access import can_edit_placement, deny, may_run_panels, placement_get_for_user
from core.forms import service_errors_to_form
from placements.models import ProvisionType


def placement_plan(request, public_id):
    """The plan as everyone who sees the placement reads it, the setting included."""
    placement = placement_get_for_user(user=request.user, public_id=public_id)
    context = {
        "placement": placement,
        "plan": plan_of(placement=placement),
        "timetable": settings_timetable(user=request.user, child=placement.child, today=date.today()),
        "may_edit": can_edit_placement(user=request.user, placement=placement),
    }
    return render(request, "casework/plan_detail.html", context)


def placement_plan_edit(request, public_id):
    placement = placement_get_for_user(user=request.user, public_id=public_id)
    if not can_edit_placement(user=request.user, placement=placement):
        deny(
            user=request.user,
            reason="Only the local authority or the commissioner can agree a placement's personalised plan.",
            child=placement.child,
        )
    plan = plan_of(placement=placement)
    off_site = plan.decision.referral.off_site_direction if plan and plan.decision_id else None
    form = PersonalisedPlanForm(
        request.POST or None,
        instance=plan,
        off_site=off_site,
        initial={"planned_end_date": placement.planned_end_date, "agreed_on": None if plan else date.today()},
    )
    objectives = objective_formset(request.POST or None, objectives=plan.objectives.all() if plan else ())
    if request.method == "POST" and _valid(form, objectives):
        saved = _run(
            form,
            lambda: personalised_plan_record(
                user=request.user, placement=placement, data=form.cleaned_data, objectives=objectives.objectives()
            ),
        )
        if saved:
            messages.success(request, f"Personalised plan for the placement at {placement.provider} saved.")
            return redirect("placement_plan", public_id=placement.public_id)
    context = {
        "form": form,
        "objectives": objectives,
        "timetable": settings_timetable(user=request.user, child=placement.child, today=date.today()),
        "title": "Change the personalised plan" if plan else "Record the personalised plan",
        "caption": f"{placement.child.full_name} at {placement.provider}",
        "back_url": placement.child.get_absolute_url(),
        "submit": "Save plan",
    }
    return render(request, "casework/plan_form.html", context)


def placement_from_decision(request, public_id):
    """Start the placement a panel decided, in one form with its personalised plan."""
    decision = decision_get_for_user(user=request.user, public_id=public_id)
    child = decision.referral.child
    if not may_run_panels(user=request.user, area_id=child.area_id):
        deny(user=request.user, reason="Only the local authority starts a placement that a panel decided.", child=child)
    refusal = placement_from_decision_refusal(decision=decision)
    form = PlacementFromDecisionForm(request.POST or None, user=request.user, decision=decision)
    objectives = objective_formset(request.POST or None)
    if request.method == "POST" and _valid(form, objectives):
        placement = _run(
            form,
            lambda: placement_start_from_decision(
                user=request.user,
                decision=decision,
                placement_data=form.placement_data(),
                plan_data=form.plan_data(),
                objectives=objectives.objectives(),
            ),
        )
        if placement:
            messages.success(request, f"Placement at {placement.provider} started with its personalised plan.")
            return redirect("placement_plan", public_id=placement.public_id)
    context = {
        "form": form,
        "objectives": objectives,
        "refusal": refusal,
        "decision": decision,
        "timetable": settings_timetable(user=request.user, child=child, today=date.today()),
        "child": child,
        "provision_type": ProvisionType(fixed).label if (fixed := outcome_provision_type(decision.outcome)) else "",
        "title": "Start the placement the panel decided",
        "caption": child.full_name,
        "back_url": child.get_absolute_url(),
        "submit": "Start the placement",
    }
    return render(request, "casework/placement_from_decision.html", context)


def timeline(request, child_id):
    child, events = child_timeline(user=request.user, public_id=child_id, today=date.today())
    return render(request, "casework/timeline.html", {"child": child, "events": events})


def _valid(form, objectives) -> bool:
    # Both, so that every problem shows at once.
    return all([form.is_valid(), objectives.is_valid()])


def _run(form, save):
    """Call the service once the form and its objectives are valid; the rules it breaks land on the form."""
    try:
        return save()
    except ValidationError as error:
        service_errors_to_form(form, error)
    return None
