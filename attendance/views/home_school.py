"""The home school's own register of its pupils in AP, by form or MIS file, for reconciliation."""

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from attendance.forms import RegisterForm
from attendance.imports import ATTENDANCE_UPLOAD
from attendance.selectors import (
    home_school_register,
    school_for,
)
from attendance.services import (
    home_school_marks_record,
    home_school_marks_upload,
)
from attendance.views.registers import day_from
from core.import_views import import_form
from core.spreadsheets import read_upload
from terms.calendar import SchoolCalendar


def home_school_register_day(request):
    school = school_for(user=request.user)
    if school is None:
        raise Http404("Not found")
    today = date.today()
    day = day_from(request, today)
    calendar = SchoolCalendar.load(organisation=school, start=day - timedelta(days=14), end=day)
    lines = home_school_register(user=request.user, school=school, day=day)
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
            "upload_form": import_form(ATTENDANCE_UPLOAD),
        },
    )


def _lines_with_fields(form, lines):
    return [(line, form[RegisterForm.field_name(line, 1)], form[RegisterForm.field_name(line, 2)]) for line in lines]


@require_POST
def home_school_upload(request):
    school = school_for(user=request.user)
    if school is None:
        raise Http404("Not found")
    form = import_form(ATTENDANCE_UPLOAD, request.POST, request.FILES)
    problems = []
    if form.is_valid():
        file = form.cleaned_data["file"]
        saved, problems = home_school_marks_upload(
            user=request.user,
            school=school,
            content=read_upload(file),
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
