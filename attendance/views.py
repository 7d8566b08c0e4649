from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from attendance.forms import (
    AlertCloseForm,
    AreaAttendanceSettingsForm,
    PeriodForm,
    RegisterForm,
    TuitionSessionForm,
    UploadForm,
)
from attendance.hours import tuition_summary, week_hours
from attendance.ingest import RawMark, plan_marks
from attendance.models import Alert, AttendanceBatch, AttendanceUpload
from attendance.periods import Period, period_from
from attendance.reading import read_register_file
from attendance.rules import attendance_totals
from attendance.selectors import (
    AttendanceLine,
    alert_get,
    alerts_visible_to,
    attendance_by_child,
    attendance_by_provider,
    attendance_by_provision_type,
    home_school_register,
    provider_for,
    recent_batches,
    register_for_day,
    registers_missing,
    school_for,
    tuition_placements,
    upload_get,
)
from attendance.services import (
    alert_close,
    area_attendance_settings_update,
    attendance_upload_commit,
    attendance_upload_preview,
    home_school_marks_record,
    home_school_marks_upload,
    marks_commit,
    register_template_export,
    tuition_session_record,
)
from children.selectors import child_record
from core.access import is_la_officer, marks_visible_to
from core.dates import DateProblem, parse_date
from core.downloads import CSV, attachment
from core.forms import run_service
from core.spreadsheets import MAX_UPLOAD_BYTES, problems_csv
from terms.calendar import SchoolCalendar, academic_year_of


def attendance_home(request):
    provider = provider_for(user=request.user)
    if provider:
        return _provider_home(request, provider)
    return _overview(request)


def _provider_home(request, provider):
    return render(
        request,
        "attendance/provider_home.html",
        {"provider": provider, "upload_form": UploadForm(), "batches": recent_batches(provider=provider)},
    )


def _overview(request):
    today = date.today()
    organisation = request.user.primary_organisation
    if organisation is None:
        raise Http404("Not found")
    period, period_problems = period_from(request.GET, area=organisation.area, today=today)
    view = request.GET.get("by", "child")
    context = {
        "period": period,
        "period_problems": period_problems,
        "period_form": PeriodForm(request.GET or None, initial={"period": period.key}),
        "by": view,
        "views": [("child", "By child"), ("provider", "By setting"), ("type", "By type of provision")],
        "today": today,
        "is_school": school_for(user=request.user) is not None,
    }
    if view == "provider":
        lines = attendance_by_provider(user=request.user, period=period)
    elif view == "type":
        lines = attendance_by_provision_type(user=request.user, period=period)
    else:
        lines = attendance_by_child(user=request.user, period=period, today=today)
    context["lines"] = Paginator(lines, settings.REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    if is_la_officer(request.user):
        context["missing_day"], context["missing"] = registers_missing(user=request.user, today=today)
    return render(request, "attendance/overview.html", context)


def _provider_or_404(request):
    provider = provider_for(user=request.user)
    if provider is None:
        raise Http404("Not found")
    return provider


def register_day(request):
    provider = _provider_or_404(request)
    today = date.today()
    day = _day_from(request, today)
    calendar = SchoolCalendar.load(area=provider.organisation.area, start=day - timedelta(days=14), end=day)
    lines = register_for_day(provider=provider, day=day)
    form = RegisterForm(request.POST or None, lines=lines)
    context = {
        "provider": provider,
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


@require_POST
def upload(request):
    provider = _provider_or_404(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "attendance/provider_home.html",
            {"provider": provider, "upload_form": form, "batches": recent_batches(provider=provider)},
        )
    file = form.cleaned_data["file"]
    content = file.read(MAX_UPLOAD_BYTES + 1)
    preview, _plan = attendance_upload_preview(
        user=request.user, provider=provider, filename=file.name, content=content, today=date.today()
    )
    return redirect("attendance_upload", public_id=preview.public_id)


def _upload_or_404(request, public_id) -> AttendanceUpload:
    try:
        return upload_get(user=request.user, public_id=public_id)
    except AttendanceUpload.DoesNotExist as missing:
        raise Http404("Not found") from missing


def _plan_of(upload_record: AttendanceUpload):
    rows, problems = read_register_file(bytes(upload_record.content), upload_record.filename)
    if problems:
        return None, problems
    plan = plan_marks(provider=upload_record.provider, rows=rows, today=upload_record.uploaded_at.date())
    return plan, plan.problems


def upload_detail(request, public_id):
    upload_record = _upload_or_404(request, public_id)
    plan, problems = _plan_of(upload_record)
    return render(
        request,
        "attendance/upload_detail.html",
        {"upload": upload_record, "plan": plan, "problems": problems[:500], "problem_count": len(problems)},
    )


@require_POST
def upload_confirm(request, public_id):
    upload_record = _upload_or_404(request, public_id)
    try:
        plan, batch = attendance_upload_commit(user=request.user, upload=upload_record, today=date.today())
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("attendance_upload", public_id=public_id)
    if plan.problems:
        return redirect("attendance_upload", public_id=public_id)
    if batch is None:
        messages.success(request, "Nothing to save: every mark in the file is already recorded.")
    else:
        messages.success(request, f"Saved {batch.new_marks} new and {batch.changed_marks} changed marks.")
    return redirect("attendance_home")


def upload_problems(request, public_id):
    upload_record = _upload_or_404(request, public_id)
    _plan, problems = _plan_of(upload_record)
    return attachment(problems_csv(problems), f"problems-{upload_record.filename}.csv", CSV)


def register_template(request):
    provider = _provider_or_404(request)
    today = date.today()
    try:
        start = (
            parse_date(request.GET.get("start", ""))
            if request.GET.get("start")
            else today - timedelta(days=today.weekday())
        )
        end = parse_date(request.GET.get("end", "")) if request.GET.get("end") else today
    except DateProblem as problem:
        messages.error(request, str(problem))
        return redirect("attendance_home")
    body = register_template_export(user=request.user, provider=provider, start=start, end=min(end, today))
    return attachment(body, f"register-{start.isoformat()}.csv", CSV)


def alerts(request):
    show_closed = request.GET.get("show") == "closed"
    listed = alerts_visible_to(user=request.user, open_only=not show_closed)
    if show_closed:
        listed = listed.filter(closed_at__isnull=False)
    page = Paginator(listed, settings.REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "attendance/alerts.html", {"page": page, "show_closed": show_closed})


def alert_detail(request, public_id):
    try:
        alert = alert_get(user=request.user, public_id=public_id)
    except Alert.DoesNotExist as missing:
        raise Http404("Not found") from missing
    form = AlertCloseForm(request.POST or None)
    if request.method == "POST" and alert.is_open:
        closed = run_service(form, lambda data: alert_close(user=request.user, alert=alert, **data))
        if closed:
            messages.success(request, "Alert closed. Thank you for recording what happened.")
            return redirect("alerts")
    return render(request, "attendance/alert_detail.html", {"alert": alert, "form": form})


def home_school_register_day(request):
    school = school_for(user=request.user)
    if school is None:
        raise Http404("Not found")
    today = date.today()
    day = _day_from(request, today)
    calendar = SchoolCalendar.load(area=school.area, start=day - timedelta(days=14), end=day)
    lines = home_school_register(school=school, day=day)
    form = RegisterForm(request.POST or None, lines=lines)
    if request.method == "POST" and form.is_valid() and calendar.is_school_day(day):
        marks = [(line.placement.child, session, code) for line, session, code in form.rows()]
        home_school_marks_record(user=request.user, school=school, day=day, marks=marks)
        messages.success(request, f"Your register for {day:%A %-d %B %Y} saved for {len(marks)} sessions.")
        return redirect(f"{reverse('home_school_register')}?date={day.isoformat()}")
    return render(
        request,
        "attendance/register_day.html",
        {
            "setting_name": school.name,
            "heading": "Your register for pupils in AP",
            "intro": "Record your own register for your pupils who attend AP: B, K or D says they are at the AP setting. "
            "The daily check compares it with the setting's register.",
            "day": day,
            "is_school_day": calendar.is_school_day(day),
            "previous_day": calendar.last_before(day),
            "form": form,
            "lines": _lines_with_fields(form, lines),
            "upload_form": UploadForm(),
        },
    )


def _day_from(request, today: date) -> date:
    try:
        day = parse_date(request.GET["date"]) if request.GET.get("date") else today
    except DateProblem:
        day = today
    return min(day, today)


def _lines_with_fields(form, lines):
    return [(line, form[RegisterForm.field_name(line, 1)], form[RegisterForm.field_name(line, 2)]) for line in lines]


def child_attendance(request, child_id):
    child, placements = child_record(user=request.user, public_id=child_id)
    today = date.today()
    year = Period("year", date(academic_year_of(today), 9, 1), today)
    marks = marks_visible_to(user=request.user).filter(child=child)
    totals = {
        row["placement_id"]: row
        for row in attendance_totals(marks.filter(date__range=(year.start, year.end)), "placement_id")
    }
    recent = defaultdict(dict)
    for placement_id, day, session, code in marks.filter(date__gte=today - timedelta(days=13)).values_list(
        "placement_id", "date", "session", "code"
    ):
        recent[placement_id][(day, session)] = code
    days = SchoolCalendar.load(area=child.area, start=today - timedelta(days=13), end=today).days(
        today - timedelta(days=13), today
    )
    settings_rows = [
        {
            "placement": p,
            "line": AttendanceLine(
                **{k: totals.get(p.pk, {}).get(k, 0) for k in ("possible", "attended", "authorised", "unauthorised")}
            ),
            "recent": [(day, recent[p.pk].get((day, 1), ""), recent[p.pk].get((day, 2), "")) for day in days],
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
            "hours": week_hours(placements=placements, area=child.area, today=today),
        },
    )


def tuition(request):
    provider = _provider_or_404(request)
    today = date.today()
    placements = tuition_placements(provider=provider, today=today)
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


@require_POST
def home_school_upload(request):
    school = school_for(user=request.user)
    if school is None:
        raise Http404("Not found")
    form = UploadForm(request.POST, request.FILES)
    problems = []
    if form.is_valid():
        file = form.cleaned_data["file"]
        saved, problems = home_school_marks_upload(
            user=request.user,
            school=school,
            content=file.read(MAX_UPLOAD_BYTES + 1),
            filename=file.name,
            today=date.today(),
        )
        if not problems:
            messages.success(request, f"Your register file is saved: {saved} marks.")
            return redirect("home_school_register")
    return render(
        request,
        "attendance/home_school_upload_problems.html",
        {"form": form, "problems": problems[:500], "problem_count": len(problems), "school": school},
    )
