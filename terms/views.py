from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from core.access import may_manage_calendars
from core.forms import run_service
from terms.calendar import academic_year_of
from terms.forms import CalendarForm, ClosureForm, SettingCalendarForm, TermForm
from terms.selectors import (
    calendar_area,
    calendar_get,
    calendar_years,
    calendars_of,
    closure_get,
    closures_within,
    followed_calendar,
    setting_get,
    settings_of,
    term_get,
)
from terms.services import (
    calendar_create,
    closure_create,
    closure_delete,
    closure_update,
    setting_calendar_set,
    term_create,
    term_delete,
    term_update,
)

CAPTION = "School calendars"


def _calendar_url(calendar, day=None) -> str:
    url = reverse("calendar_detail", args=[calendar.public_id])
    return f"{url}#year-{academic_year_of(day)}" if day else url


def _keeper_or_404(user, area) -> None:
    if not may_manage_calendars(user=user, area_id=area and area.pk):
        raise Http404("Not found")


def calendar(request):
    """The local authority's list of its area's calendars; anyone else goes to the calendar they follow."""
    area = calendar_area(user=request.user)
    if area is None:
        raise Http404("Not found")
    if not may_manage_calendars(user=request.user, area_id=area and area.pk):
        organisation = next((o for o in request.user.organisations if o.area_id == area.pk), None)
        followed = followed_calendar(organisation=organisation) if organisation else None
        if followed is None:
            raise Http404("Not found")
        return redirect(_calendar_url(followed))
    return render(request, "terms/calendars.html", {"area": area, "calendars": calendars_of(area=area)})


def calendar_detail(request, public_id):
    calendar = calendar_get(user=request.user, public_id=public_id)
    return render(
        request,
        "terms/calendar.html",
        {
            "calendar": calendar,
            "area": calendar.area,
            "years": calendar_years(calendar=calendar),
            "can_edit": may_manage_calendars(user=request.user, area_id=calendar.area_id),
        },
    )


def _form_page(request, form, title, back_url):
    return render(request, "form_page.html", {"form": form, "title": title, "caption": CAPTION, "back_url": back_url})


def calendar_new(request):
    area = calendar_area(user=request.user)
    _keeper_or_404(request.user, area)
    form = CalendarForm(request.POST or None, area=area)
    if request.method == "POST":
        created = run_service(form, lambda data: calendar_create(user=request.user, area=area, data=data))
        if created:
            messages.success(request, f"{created.name} added. Add its terms, half terms and INSET days.")
            return redirect(_calendar_url(created))
    return _form_page(request, form, "Add a school calendar", reverse("calendar"))


def setting_calendars(request):
    area = calendar_area(user=request.user)
    _keeper_or_404(request.user, area)
    return render(request, "terms/settings.html", {"area": area, "settings": settings_of(area=area)})


def setting_calendar_edit(request, public_id):
    organisation = setting_get(user=request.user, public_id=public_id)
    current = followed_calendar(organisation=organisation)
    form = SettingCalendarForm(
        request.POST if request.method == "POST" else None, area=organisation.area, initial={"calendar": current}
    )
    if request.method == "POST":
        chosen = run_service(
            form,
            lambda data: setting_calendar_set(user=request.user, organisation=organisation, calendar=data["calendar"]),
        )
        if chosen:
            messages.success(request, f"{organisation.name} now follows {chosen.name}.")
            return redirect("setting_calendars")
    return _form_page(request, form, f"School calendar of {organisation.name}", reverse("setting_calendars"))


def term_new(request, public_id):
    calendar = calendar_get(user=request.user, public_id=public_id)
    _keeper_or_404(request.user, calendar.area)
    form = TermForm(request.POST or None)
    if request.method == "POST":
        term = run_service(form, lambda data: term_create(user=request.user, calendar=calendar, data=data))
        if term:
            messages.success(request, f"{term.name} added to {calendar.name}.")
            return redirect(_calendar_url(calendar, term.starts_on))
    return _form_page(request, form, f"Add a term to {calendar.name}", _calendar_url(calendar))


def term_edit(request, public_id):
    term = term_get(user=request.user, public_id=public_id)
    _keeper_or_404(request.user, term.calendar.area)
    title = f"Change {term.name}"
    form = TermForm(request.POST or None, instance=term)
    if request.method == "POST":
        saved = run_service(form, lambda data: term_update(user=request.user, term=term, data=data))
        if saved:
            messages.success(request, f"{saved.name} updated.")
            return redirect(_calendar_url(saved.calendar, saved.starts_on))
    return _form_page(request, form, title, _calendar_url(term.calendar))


def closure_new(request, public_id):
    calendar = calendar_get(user=request.user, public_id=public_id)
    _keeper_or_404(request.user, calendar.area)
    form = ClosureForm(request.POST or None)
    if request.method == "POST":
        closure = run_service(form, lambda data: closure_create(user=request.user, calendar=calendar, data=data))
        if closure:
            messages.success(request, f"{closure.name} added to {calendar.name}.")
            return redirect(_calendar_url(calendar, closure.starts_on))
    return _form_page(request, form, f"Add a half term or INSET day to {calendar.name}", _calendar_url(calendar))


def closure_edit(request, public_id):
    closure = closure_get(user=request.user, public_id=public_id)
    _keeper_or_404(request.user, closure.calendar.area)
    title = f"Change {closure.name}"
    form = ClosureForm(request.POST or None, instance=closure)
    if request.method == "POST":
        saved = run_service(form, lambda data: closure_update(user=request.user, closure=closure, data=data))
        if saved:
            messages.success(request, f"{saved.name} updated.")
            return redirect(_calendar_url(saved.calendar, saved.starts_on))
    return _form_page(request, form, title, _calendar_url(closure.calendar))


def _confirm_delete(request, record, also, delete):
    if request.method == "POST":
        try:
            delete()
        except PermissionDenied as refused:
            raise Http404("Not found") from refused
        messages.success(request, f"{record.name} deleted from {record.calendar.name}.")
        return redirect(_calendar_url(record.calendar, record.starts_on))
    return render(
        request,
        "terms/confirm_delete.html",
        {
            "record": record,
            "also": also,
            "caption": CAPTION,
            "back_url": _calendar_url(record.calendar, record.starts_on),
        },
    )


def term_delete_confirm(request, public_id):
    term = term_get(user=request.user, public_id=public_id)
    _keeper_or_404(request.user, term.calendar.area)
    return _confirm_delete(request, term, closures_within(term=term), lambda: term_delete(user=request.user, term=term))


def closure_delete_confirm(request, public_id):
    closure = closure_get(user=request.user, public_id=public_id)
    _keeper_or_404(request.user, closure.calendar.area)
    return _confirm_delete(request, closure, [], lambda: closure_delete(user=request.user, closure=closure))
