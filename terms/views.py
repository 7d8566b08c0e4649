from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from core.forms import run_service
from terms.calendar import academic_year_of
from terms.forms import ClosureForm, TermForm
from terms.selectors import (
    calendar_area,
    calendar_years,
    can_keep_calendar,
    closure_get,
    closures_within,
    term_get,
)
from terms.services import (
    closure_create,
    closure_delete,
    closure_update,
    term_create,
    term_delete,
    term_update,
)

CAPTION = "School calendar"


def _calendar_url(day=None) -> str:
    url = reverse("calendar")
    return f"{url}#year-{academic_year_of(day)}" if day else url


def _keeper_or_404(user, area) -> None:
    if not can_keep_calendar(user=user, area=area):
        raise Http404("Not found")


def calendar(request):
    area = calendar_area(user=request.user)
    if area is None:
        raise Http404("Not found")
    return render(
        request,
        "terms/calendar.html",
        {"area": area, "years": calendar_years(area=area), "can_edit": can_keep_calendar(user=request.user, area=area)},
    )


def _form_page(request, form, title):
    return render(
        request, "form_page.html", {"form": form, "title": title, "caption": CAPTION, "back_url": _calendar_url()}
    )


def term_new(request):
    _keeper_or_404(request.user, calendar_area(user=request.user))
    form = TermForm(request.POST or None)
    if request.method == "POST":
        term = run_service(form, lambda data: term_create(user=request.user, data=data))
        if term:
            messages.success(request, f"{term.name} added to the calendar.")
            return redirect(_calendar_url(term.starts_on))
    return _form_page(request, form, "Add a term")


def term_edit(request, public_id):
    term = term_get(user=request.user, public_id=public_id)
    _keeper_or_404(request.user, term.area)
    title = f"Change {term.name}"
    form = TermForm(request.POST or None, instance=term)
    if request.method == "POST":
        saved = run_service(form, lambda data: term_update(user=request.user, term=term, data=data))
        if saved:
            messages.success(request, f"{saved.name} updated.")
            return redirect(_calendar_url(saved.starts_on))
    return _form_page(request, form, title)


def closure_new(request):
    _keeper_or_404(request.user, calendar_area(user=request.user))
    form = ClosureForm(request.POST or None)
    if request.method == "POST":
        closure = run_service(form, lambda data: closure_create(user=request.user, data=data))
        if closure:
            messages.success(request, f"{closure.name} added to the calendar.")
            return redirect(_calendar_url(closure.starts_on))
    return _form_page(request, form, "Add a half term or INSET day")


def closure_edit(request, public_id):
    closure = closure_get(user=request.user, public_id=public_id)
    _keeper_or_404(request.user, closure.area)
    title = f"Change {closure.name}"
    form = ClosureForm(request.POST or None, instance=closure)
    if request.method == "POST":
        saved = run_service(form, lambda data: closure_update(user=request.user, closure=closure, data=data))
        if saved:
            messages.success(request, f"{saved.name} updated.")
            return redirect(_calendar_url(saved.starts_on))
    return _form_page(request, form, title)


def _confirm_delete(request, record, also, delete):
    if request.method == "POST":
        try:
            delete()
        except PermissionDenied as refused:
            raise Http404("Not found") from refused
        messages.success(request, f"{record.name} deleted from the calendar.")
        return redirect(_calendar_url(record.starts_on))
    return render(
        request,
        "terms/confirm_delete.html",
        {"record": record, "also": also, "caption": CAPTION, "back_url": _calendar_url(record.starts_on)},
    )


def term_delete_confirm(request, public_id):
    term = term_get(user=request.user, public_id=public_id)
    _keeper_or_404(request.user, term.area)
    return _confirm_delete(request, term, closures_within(term=term), lambda: term_delete(user=request.user, term=term))


def closure_delete_confirm(request, public_id):
    closure = closure_get(user=request.user, public_id=public_id)
    _keeper_or_404(request.user, closure.area)
    return _confirm_delete(request, closure, [], lambda: closure_delete(user=request.user, closure=closure))
