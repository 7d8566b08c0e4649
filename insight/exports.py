"""The register as a CSV file: no names, dates of birth or UPNs, every download audited.

It lives beside the register page because it shows what the page shows, the attendance
column too, from the same selector: `register_attendance`.
"""

from datetime import date

from django.db import transaction
from django.http import HttpResponse

from core.audit import audit_record
from core.codes import label
from core.csv_export import csv_text
from core.downloads import CSV, attachment
from core.models import AuditAction, User
from insight.selectors import register_attendance
from placements.selectors import RegisterQuery, register_children

HEADER = [
    "Child reference",
    "Age",
    "Sex",
    "Ethnicity",
    "SEN provision",
    "Primary SEN need",
    "EHC plan status",
    "Looked after",
    "Home school",
    "Provider",
    "Provider registration",
    "Type of provision",
    "Reason for placement",
    "Start date",
    "Planned end date",
    "Actual end date",
    "Full or part time",
    "Hours a week",
    "Registration",
    "Out of area",
    "Commissioner type",
    # The page's heading: the child's attendance at the current placement since the school year began.
    "Attendance",
]


def _attendance(child, placement) -> str:
    """The page's figure, on the row of the placement it is about: the child's current one."""
    if placement != child.attendance.placement:
        return ""
    percentage = child.attendance.percentage
    return "No marks" if percentage is None else f"{percentage}%"


def _rows(children, today: date):
    for child in children:
        for p in child.register_placements:
            yield [
                child.public_id,
                child.age,
                label("gender", child.gender),
                label("ethnicity", child.ethnicity),
                label("sen_provision", child.sen_provision),
                label("sen_primary_need", child.sen_primary_need),
                child.get_ehc_plan_status_display(),
                "Yes" if child.looked_after else "No",
                child.home_school.name if child.home_school else "",
                p.provider.name,
                p.provider.get_registration_display(),
                p.get_provision_type_display(),
                p.get_reason_display(),
                p.start_date.isoformat(),
                p.planned_end_date.isoformat() if p.planned_end_date else "",
                p.end_date.isoformat() if p.end_date else "",
                p.get_attendance_pattern_display(),
                p.hours_per_week,
                p.get_registration_type_display(),
                "Yes" if p.out_of_area else "No",
                p.get_commissioner_type_display(),
                _attendance(child, p),
            ]


def register_csv_response(*, user: User, query: RegisterQuery) -> HttpResponse:
    """The register the user may see, with the page's filters, one row per placement; the download is audited."""
    today = date.today()
    with transaction.atomic():
        children = register_attendance(
            user=user, children=register_children(user=user, query=query, today=today), today=today
        )
        body = csv_text(HEADER, _rows(children, today))
        audit_record(
            user=user,
            action=AuditAction.REGISTER_EXPORTED,
            object_type="register",
            detail={"filters": query.filters, "period": query.period, "search": bool(query.search)},
            children=[child.public_id for child in children],
        )
    return attachment(body, f"ap-register-{today.isoformat()}.csv", CSV)
