"""A setting's own registers: the day's register, the template, tuition sessions. Its register files are
uploaded through the import pages (core.import_views, attendance.imports)."""

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from attendance.forms import (
    RegisterForm,
    TuitionSessionForm,
)
from attendance.hours import tuition_summary
from attendance.imports import ATTENDANCE_UPLOAD
from attendance.ingest import RawMark
from attendance.models import AttendanceBatch
from attendance.selectors import (
    provider_for,
    register_for_day,
    tuition_placements,
)
from attendance.services import (
    marks_commit,
    register_template_export,
    tuition_session_record,
)
from core.dates import DateProblem, parse_query_date
from core.downloads import CSV, XLSX, attachment
from core.forms import run_service
from core.import_views import import_page
from terms.calendar import SchoolCalendar


def provider_home(request):
    """A setting's attendance page: its register files and the way to its daily register."""
    return import_page(request, ATTENDANCE_UPLOAD)


def _provider_or_404(request):
    provider = provider_for(user=request.user)
    if provider is None:
        raise Http404("Not found")
    return provider


def register_day(request):
    provider = _provider_or_404(request)
    today = date.today()
    day = day_from(request, today)
    calendar = SchoolCalendar.load(organisation=provider.organisation, start=day - timedelta(days=14), end=day)
    lines = register_for_day(user=request.user, provider=provider, day=day)
    form = RegisterForm(request.POST or None, lines=lines)
    context = {
        "provider": provider,
        "setting_name": provider.name,
        "heading": "Register",
        "day": day,
        "is_school_day": calendar.is_school_day(day),
        "previous_day": calendar.last_before(day),
        "form": form,
        "lines": [
            (line, form[RegisterForm.field_name(line, 1)], form[RegisterForm.field_name(line, 2)]) for line in lines
        ],
    }
    if request.method == "POST" and form.is_valid() and context["is_school_day"]:
        given = list(form.rows())
        rows = [
            RawMark(number, line.placement.child.upn, day.isoformat(), session.name, code)
            for number, (line, session, code) in enumerate(given, start=1)
        ]
        plan, batch = marks_commit(
            user=request.user, provider=provider, rows=rows, source=AttendanceBatch.Source.FORM, today=today
        )
        if not plan.problems:
            saved = len(plan.new) + len(plan.changed)
            messages.success(request, f"Register for {day:%A %-d %B %Y} saved: {saved} marks recorded or changed.")
            return redirect(f"{reverse('attendance_register')}?date={day.isoformat()}")
        for problem in plan.problems:
            line, session, _code = given[problem.row - 1]
            form.add_error(RegisterForm.field_name(line, session), problem.rule)
    return render(request, "attendance/register_day.html", context)


def register_template(request):
    provider = _provider_or_404(request)
    today = date.today()
    try:
        start = (
            parse_query_date(request.GET.get("start", ""))
            if request.GET.get("start")
            else today - timedelta(days=today.weekday())
        )
        end = parse_query_date(request.GET.get("end", "")) if request.GET.get("end") else today
    except DateProblem as problem:
        messages.error(request, str(problem))
        return redirect("attendance_home")
    as_xlsx = request.GET.get("format") == "xlsx"
    body = register_template_export(
        user=request.user, provider=provider, start=start, end=min(end, today), as_xlsx=as_xlsx
    )
    if as_xlsx:
        return attachment(body, f"register-{start.isoformat()}.xlsx", XLSX)
    return attachment(body, f"register-{start.isoformat()}.csv", CSV)


def day_from(request, today: date) -> date:
    """The register's day from `?date=`, never after today; a date we cannot use shows today, saying why."""
    if not request.GET.get("date"):
        return today
    try:
        day = parse_query_date(request.GET["date"])
    except DateProblem as problem:
        messages.warning(request, f"{problem} The register shows today instead.")
        return today
    return min(day, today)


def tuition(request):
    provider = _provider_or_404(request)
    today = date.today()
    placements = tuition_placements(user=request.user, provider=provider, today=today)
    chosen = next((p for p in placements if p.public_id.hex == request.GET.get("placement")), None)
    form = TuitionSessionForm(request.POST or None)
    if request.method == "POST" and chosen:
        saved = run_service(
            form, lambda data: tuition_session_record(user=request.user, placement=chosen, data=data, today=today)
        )
        if saved:
            messages.success(request, f"Session on {saved.date:%-d %B} recorded for {chosen.child.full_name}.")
            return redirect(f"{reverse('tuition')}")
    rows = [(p, tuition_summary(placement=p, today=today)) for p in placements]
    return render(
        request,
        "attendance/tuition.html",
        {
            "provider": provider,
            "rows": rows,
            "chosen": chosen,
            "form": form,
            "threshold": provider.organisation.area.tuition_alert_after,
        },
    )
