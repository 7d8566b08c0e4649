"""Pages of an ending and of returns to school: end the placement, record a return by hand, record how a return
went at 6 and 12 weeks, and the returns whose outcome is due."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from casework.forms_exits import ExitForm, ReintegrationAttemptForm, ReintegrationOutcomeForm
from casework.models import Destination, EndReason
from casework.selectors.exits import exit_of, reintegration_outcomes_due
from casework.services.exits import (
    placement_exit_record,
    reintegration_attempt_record,
    reintegration_outcome_record,
)
from core.access import (
    child_get_for_user,
    deny,
    may_add_reintegration_attempt,
    may_record_exit,
    may_record_reintegration_outcome,
    placement_get_for_user,
    reintegration_get_for_user,
)
from core.forms import run_service

EXIT_FIELDS = (
    "reason",
    "destination",
    "post16_activity",
    "destination_detail",
    "transition_plan",
    "support_name",
    "support_role",
    "support_organisation",
    "support_until",
)


def placement_exit(request, public_id):
    """End the placement: why, when, where the child went, the transition plan and who supports the child after.

    A review that decided to end it sends the user here with the reason (and where it leads) chosen.
    """
    placement = placement_get_for_user(user=request.user, public_id=public_id)
    if not may_record_exit(user=request.user, placement=placement):
        deny(
            user=request.user,
            reason="Only the local authority or the commissioner can end a placement.",
            child=placement.child,
        )
    recorded = exit_of(user=request.user, placement=placement)
    initial = {"end_date": placement.end_date or date.today()}
    if recorded:
        initial |= {name: getattr(recorded, name) for name in EXIT_FIELDS}
    if request.GET.get("reason") in EndReason.values:
        initial["reason"] = request.GET["reason"]
    if request.GET.get("destination") in Destination.values:
        initial["destination"] = request.GET["destination"]
    form = ExitForm(request.POST or None, initial=initial, area_id=placement.child.area_id)
    if request.method == "POST":
        done = run_service(form, lambda data: placement_exit_record(user=request.user, placement=placement, data=data))
        if done:
            messages.success(request, f"The placement at {placement.provider} ended on {placement.end_date:%-d %B %Y}.")
            return redirect("placement_reviews", public_id=placement.public_id)
    context = {
        "form": form,
        "placement": placement,
        "recorded": recorded,
        "title": "Record how the placement ended" if placement.end_date else "End the placement",
        "caption": f"{placement.child.full_name} at {placement.provider}",
        "back_url": reverse("placement_reviews", args=[placement.public_id]),
    }
    return render(request, "casework/exit_form.html", context)


def reintegration_new(request, child_id):
    """Record a return to school by hand: one that no ending started (a managed move, a return after a gap)."""
    child = child_get_for_user(user=request.user, public_id=child_id)
    if not may_add_reintegration_attempt(user=request.user, child=child):
        deny(
            user=request.user,
            reason="Only the local authority or the child's school can record a return to school.",
            child=child,
        )
    form = ReintegrationAttemptForm(
        request.POST or None,
        initial={"returned_on": date.today(), "school": child.home_school_id},
        area_id=child.area_id,
    )
    if request.method == "POST":
        attempt = run_service(
            form, lambda data: reintegration_attempt_record(user=request.user, child=child, data=data)
        )
        if attempt:
            messages.success(request, f"Return of {child.full_name} to {attempt.school.name} recorded.")
            return redirect("child_detail", public_id=child.public_id)
    context = {
        "form": form,
        "title": "Record a return to school",
        "caption": child.full_name,
        "back_url": child.get_absolute_url(),
    }
    return render(request, "casework/reintegration_form.html", context)


def reintegration_outcome(request, public_id):
    """Record how a return to school went at 6 and at 12 school weeks, and why if it broke down."""
    attempt = reintegration_get_for_user(user=request.user, public_id=public_id)
    if not may_record_reintegration_outcome(user=request.user, attempt=attempt):
        deny(
            user=request.user,
            reason="Only the local authority, the school the child returned to or the commissioner can record how it went.",
            child=attempt.child,
        )
    form = ReintegrationOutcomeForm(
        request.POST or None,
        initial={
            "outcome_6_weeks": attempt.outcome_6_weeks,
            "outcome_12_weeks": attempt.outcome_12_weeks,
            "why_failed": attempt.why_failed,
        },
    )
    if request.method == "POST":
        done = run_service(
            form, lambda data: reintegration_outcome_record(user=request.user, attempt=attempt, data=data)
        )
        if done:
            messages.success(
                request, f"How {attempt.child.full_name}'s return to {attempt.school.name} went: recorded."
            )
            return redirect("reintegrations_due")
    context = {
        "form": form,
        "attempt": attempt,
        "title": "How the return to school went",
        "caption": f"{attempt.child.full_name} at {attempt.school.name} from {attempt.returned_on:%-d %B %Y}",
        "back_url": reverse("reintegrations_due"),
    }
    return render(request, "casework/reintegration_outcome_form.html", context)


def reintegrations_due(request):
    """The returns to school whose outcome at 6 or 12 weeks has come due and is not recorded."""
    today = date.today()
    page = Paginator(reintegration_outcomes_due(user=request.user, today=today), settings.REGISTER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for attempt in page.object_list:
        attempt.due_now = attempt.outcomes_due(today)
    return render(request, "casework/reintegrations_due.html", {"page": page, "today": today})
