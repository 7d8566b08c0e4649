"""Attendance across settings for the LA and schools: overviews, alerts, a child's attendance, the daily check's settings."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from attendance.alerts import alerts_with_corrections
from attendance.forms import (
    AlertCloseForm,
    AreaAttendanceSettingsForm,
)
from attendance.hours import week_hours
from attendance.periods import Period
from attendance.selectors import (
    AttendanceLine,
    alert_get,
    alerts_visible_to,
    home_school_marks_of,
    marks_by_placement,
    placements_attendance,
)
from attendance.services import (
    alert_close,
    area_attendance_settings_update,
)
from children.selectors import child_record
from core.access import is_la_officer
from core.forms import run_service
from terms.calendar import Calendars, academic_year_of


def alerts(request):
    show_closed = request.GET.get("show") == "closed"
    listed = alerts_visible_to(user=request.user, open_only=not show_closed)
    if show_closed:
        listed = listed.filter(closed_at__isnull=False)
    page = Paginator(listed, settings.REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = alerts_with_corrections(list(page))
    return render(request, "attendance/alerts.html", {"page": page, "rows": rows, "show_closed": show_closed})


def alert_detail(request, public_id):
    alert = alert_get(user=request.user, public_id=public_id)
    form = AlertCloseForm(request.POST or None)
    if request.method == "POST" and alert.is_open:
        closed = run_service(form, lambda data: alert_close(user=request.user, alert=alert, **data))
        if closed:
            messages.success(request, "Alert closed. Thank you for recording what happened.")
            return redirect("alerts")
    alerts_with_corrections([alert])
    return render(request, "attendance/alert_detail.html", {"alert": alert, "form": form})


def child_attendance(request, child_id):
    child, placements = child_record(user=request.user, public_id=child_id)
    today = date.today()
    year = Period("year", date(academic_year_of(today), 9, 1), today)
    totals = placements_attendance(user=request.user, start=year.start, end=year.end, child=child)
    fortnight = today - timedelta(days=13)
    recent = marks_by_placement(user=request.user, start=fortnight, end=today, child=child)
    # Each setting's own school days: an out-of-area setting's half term is not a row of missing marks.
    calendars = Calendars.load(
        start=fortnight, end=today, organisations={p.provider.organisation_id for p in placements}
    )
    home = home_school_marks_of(user=request.user, child=child, start=fortnight, end=today)
    settings_rows = [
        {
            "placement": p,
            "line": totals.get(p.pk) or AttendanceLine(possible=0, attended=0, authorised=0, unauthorised=0),
            "recent": [
                (day, recent[p.pk].get((day, 1), ""), recent[p.pk].get((day, 2), ""))
                for day in calendars.of_organisation(p.provider.organisation_id).days(fortnight, today)
            ],
            # The home school's marks for the same days, where the user may see them.
            "home": None
            if home is None
            else [
                (day, home.get((day, 1), ""), home.get((day, 2), ""))
                for day in calendars.of_organisation(p.provider.organisation_id).days(fortnight, today)
            ],
        }
        for p in placements
    ]
    return render(
        request,
        "attendance/child_attendance.html",
        {
            "child": child,
            "year": year,
            "settings_rows": settings_rows,
            "hours": week_hours(placements=placements, today=today),
        },
    )


def area_settings(request):
    if not is_la_officer(request.user):
        raise Http404("Not found")
    area = request.user.primary_organisation.area
    form = AreaAttendanceSettingsForm(request.POST or None, instance=area)
    if request.method == "POST":
        saved = run_service(
            form,
            lambda data: area_attendance_settings_update(user=request.user, area=area, data=data),
        )
        if saved:
            messages.success(request, "The daily check's settings are saved.")
            return redirect("attendance_home")
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "The daily attendance check",
            "caption": area.name,
            "back_url": reverse("attendance_home"),
        },
    )
