"""Pages of a placement's reviews and visits: the schedule and those held, recording a review or a visit, one\nreview, and the reviews overdue."""

from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from casework.forms_reviews import ReviewForm, VisitForm, progress_formset, progress_rows
from casework.models import Destination, EndReason, ReviewDecision
from casework.selectors.exits import exit_of, reintegrations_of
from casework.selectors.plans import plan_of
from casework.selectors.reviews import (
    review_figures_shown,
    review_read,
    review_schedule_of,
    reviews_of,
    reviews_overdue,
    visits_of,
)
from casework.services.reviews import DECISIONS_THAT_END, review_record
from casework.services.visits import visit_record
from core.access import (
    deny,
    may_record_exit,
    may_record_review,
    may_record_visit,
    may_set_review_intervals,
    placement_get_for_user,
)
from placements.models import PlacementStatus

# A review's decision that ends the placement, and the exit it leads to: (reason, destination or None).
ENDING_AFTER_DECISION = {
    ReviewDecision.CHANGE_PROVIDER: (EndReason.ANOTHER_AP, Destination.ANOTHER_AP),
    ReviewDecision.REINTEGRATE: (EndReason.REINTEGRATED, Destination.HOME_SCHOOL),
    ReviewDecision.END: (EndReason.COMPLETED, None),
}
assert set(ENDING_AFTER_DECISION) == set(DECISIONS_THAT_END)


def placement_reviews(request, public_id):
    """The placement's reviews: when each is due on the setting's calendar, those held, those overdue."""
    placement = placement_get_for_user(user=request.user, public_id=public_id)
    today = date.today()
    reviews = reviews_of(user=request.user, placement=placement)
    by_date = {}
    for review in reviews:
        by_date.setdefault(review.held_on, []).append(review)
    schedule = [
        (due, by_date[due.held_on].pop(0) if due.held_on else None)
        for due in review_schedule_of(placement=placement, reviews=reviews, today=today)
    ]
    is_open = placement.status_on(today) != PlacementStatus.ENDED
    context = {
        "placement": placement,
        "schedule": schedule,
        "visits": visits_of(user=request.user, placement=placement),
        "today": today,
        "may_record": may_record_review(user=request.user, placement=placement) and is_open,
        "may_visit": may_record_visit(user=request.user, placement=placement),
        "may_end": may_record_exit(user=request.user, placement=placement),
        "exit": exit_of(user=request.user, placement=placement),
        "returns": reintegrations_of(user=request.user, placement=placement),
    }
    return render(request, "casework/placement_reviews.html", context)


def review_new(request, public_id):
    placement = placement_get_for_user(user=request.user, public_id=public_id)
    if not may_record_review(user=request.user, placement=placement):
        deny(
            user=request.user,
            reason="Only the local authority, the commissioner or the setting can record a review.",
            child=placement.child,
        )
    plan = plan_of(placement=placement)
    objectives = list(plan.objectives.all()) if plan else []
    form = ReviewForm(request.POST or None, initial={"held_on": date.today()})
    progress = progress_formset(request.POST or None, objectives=objectives)
    if request.method == "POST" and all([form.is_valid(), progress.is_valid()]):
        review = _run(
            form,
            lambda: review_record(
                user=request.user, placement=placement, data=form.review_data(), progress=progress_rows(progress)
            ),
        )
        if review:
            messages.success(request, f"Review of the placement at {placement.provider} recorded.")
            ending = ENDING_AFTER_DECISION.get(review.decision)
            if ending and may_record_exit(user=request.user, placement=placement):
                # The review decided the placement ends: record how, with the reason it gave chosen.
                reason, destination = ending
                query = urlencode({"reason": reason, **({"destination": destination} if destination else {})})
                return redirect(f"{reverse('placement_exit', args=[placement.public_id])}?{query}")
            return redirect("review_detail", public_id=review.public_id)
    context = {
        "form": form,
        "progress": progress,
        "placement": placement,
        "plan": plan,
        "title": "Record a review",
        "caption": f"{placement.child.full_name} at {placement.provider}",
        "back_url": placement.child.get_absolute_url(),
    }
    return render(request, "casework/review_form.html", context)


def visit_new(request, public_id):
    """Record a visit to the child at the setting: the LA or the commissioner."""
    placement = placement_get_for_user(user=request.user, public_id=public_id)
    if not may_record_visit(user=request.user, placement=placement):
        deny(
            user=request.user,
            reason="Only the local authority or the commissioner can record a visit.",
            child=placement.child,
        )
    form = VisitForm(request.POST or None, initial={"visited_on": date.today()})
    if request.method == "POST" and form.is_valid():
        visit = _run(form, lambda: visit_record(user=request.user, placement=placement, data=form.cleaned_data))
        if visit:
            messages.success(request, f"Visit to {placement.child.full_name} at {placement.provider} recorded.")
            return redirect("placement_reviews", public_id=placement.public_id)
    context = {
        "form": form,
        "title": "Record a visit",
        "caption": f"{placement.child.full_name} at {placement.provider}",
        "back_url": reverse("placement_reviews", args=[placement.public_id]),
    }
    return render(request, "casework/visit_form.html", context)


def review_detail(request, public_id):
    review = review_read(user=request.user, public_id=public_id)
    context = {
        "review": review,
        "placement": review.placement,
        "figures": review_figures_shown(review.record_since),
    }
    return render(request, "casework/review_detail.html", context)


def overdue(request):
    """The placements with a review due and not held: the LA's and the commissioners' list to chase."""
    today = date.today()
    organisation = request.user.primary_organisation
    area = organisation.area if organisation else None
    page = Paginator(reviews_overdue(user=request.user, today=today), settings.REGISTER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for placement in page:
        placement.days_overdue = (today - placement.next_review.due_on).days
    context = {
        "page": page,
        "today": today,
        "area": area if area and may_set_review_intervals(user=request.user, area_id=area.pk) else None,
    }
    return render(request, "casework/reviews_overdue.html", context)


def _run(form, save):
    """Call the service; the rules it breaks land on the form's fields, the others above them."""
    try:
        return save()
    except ValidationError as error:
        errors = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
        for name, problems in errors.items():
            form.add_error(name if name in form.fields else None, problems)
        form._move_constraint_errors_to_fields()
    return None
