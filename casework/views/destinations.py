"""Pages of destinations after AP: the checks due, one young person's checks and their sustained destination, and
recording a check."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from casework.forms_destinations import DestinationCheckForm
from casework.models import DestinationCheckKind
from casework.selectors.destinations import SHOW_DUE, SHOWS, checks_due, leaving_read
from casework.services.destinations import destination_check_record
from core.access import deny, may_keep_destination_checks
from core.forms import run_service

PER_PAGE = 50


def destinations_due(request):
    """The young people who left AP in Year 11 or later with a check due or overdue, and those NEET."""
    today = date.today()
    show = request.GET.get("show", SHOW_DUE)
    show = show if show in SHOWS else SHOW_DUE
    kind = request.GET.get("check", "")
    kind = kind if kind in DestinationCheckKind.values else ""
    leavings = checks_due(user=request.user, today=today, show=show, kind=kind)
    page = Paginator(leavings, PER_PAGE).get_page(request.GET.get("page"))
    for leaving in page.object_list:
        leaving.due_now = [(c, c.is_overdue(today)) for c in leaving.outstanding(today) if not kind or c.kind == kind]
    context = {
        "page": page,
        "count": len(leavings),
        "neet": sum(1 for leaving in leavings if leaving.neet),
        "show": show,
        "show_words": SHOWS[show],
        "shows": SHOWS,
        "kind": kind,
        "kinds": DestinationCheckKind.choices,
        "today": today,
    }
    return render(request, "casework/destinations_due.html", context)


def leaving_destinations(request, public_id):
    """A young person's checks since leaving AP: each owed with its window, what was found, and whether sustained."""
    today = date.today()
    leaving = leaving_read(user=request.user, public_id=public_id, today=today)
    context = {
        "leaving": leaving,
        "placement": leaving.placement,
        "today": today,
        "may_record": may_keep_destination_checks(user=request.user, placement=leaving.placement),
    }
    return render(request, "casework/leaving_destinations.html", context)


def destination_check_new(request, public_id, kind):
    today = date.today()
    leaving = leaving_read(user=request.user, public_id=public_id, today=today)
    due = next((c for c in leaving.schedule if c.kind == kind), None)
    if due is None:
        raise Http404("No such check for this young person")
    if not may_keep_destination_checks(user=request.user, placement=leaving.placement):
        deny(
            user=request.user,
            reason="Only the local authority, the setting the young person left or the virtual school can record this check.",
            child=leaving.child,
        )
    form = DestinationCheckForm(request.POST or None, kind=kind, initial={"checked_on": today})
    if request.method == "POST":
        check = run_service(
            form,
            lambda data: destination_check_record(user=request.user, leaving=leaving, kind=kind, data=data),
        )
        if check:
            messages.success(request, f"{due.label} check of {leaving.child.full_name} recorded.")
            return redirect("leaving_destinations", public_id=leaving.placement.public_id)
    context = {
        "form": form,
        "due": due,
        "leaving": leaving,
        "recorded": leaving.recorded.get(kind),
        "title": f"Record the {due.label} check",
        "caption": f"{leaving.child.full_name}, left {leaving.placement.provider.name} "
        f"on {leaving.placement.end_date:%-d %B %Y}",
        "back_url": reverse("leaving_destinations", args=[leaving.placement.public_id]),
    }
    return render(request, "casework/destination_check_form.html", context)
