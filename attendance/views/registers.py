"""A setting's own registers: the day's register, files of marks, the template, tuition sessions."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from attendance.forms import (
    RegisterForm,
    TuitionSessionForm,
    UploadForm,
)
from attendance.hours import tuition_summary
from attendance.ingest import RawMark, plan_marks
from attendance.models import AttendanceBatch, AttendanceUpload
from attendance.reading import read_register_file
from attendance.selectors import (
    provider_for,
    recent_batches,
    register_for_day,
    tuition_placements,
    upload_get,
)
from attendance.services import (
    attendance_upload_commit,
    attendance_upload_preview,
    marks_commit,
    register_template_export,
    tuition_session_record,
)
from attendance.views.oversight import overview
from core.dates import DateProblem, parse_query_date
from core.downloads import CSV, XLSX, attachment
from core.forms import run_service
from core.spreadsheets import problems_csv, problems_stored, read_upload
from terms.calendar import SchoolCalendar


def attendance_home(request):
    provider = provider_for(user=request.user)
    if provider:
        return _provider_home(request, provider)
    return overview(request)


def _provider_home(request, provider):
    return render(
        request,
        "attendance/provider_home.html",
        {"provider": provider, "upload_form": UploadForm(), "batches": recent_batches(provider=provider)},
    )


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
    content = read_upload(file)
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
    if upload_record.status == AttendanceUpload.Status.REJECTED:
        return None, problems_stored(upload_record.problems)
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
