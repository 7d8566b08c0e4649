"""Attendance through the API: a setting's register, its marks in and out.

Marks sent here take the same road as the register form and uploads (`marks_commit`),
so they meet the same checks and the same words; percentages come from
`attendance.rules`, so they are the numbers on the screens.
"""

import datetime as dt
from uuid import UUID

from django.core.exceptions import PermissionDenied
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from attendance.ingest import COLUMN_TITLES, RawMark, plan_marks
from attendance.models import AttendanceBatch, Session
from attendance.selectors import marks_by_placement, placements_attendance, provider_for, register_for_day
from attendance.services import marks_commit
from core.access import can_record_attendance, placements_visible_to
from core.api_auth import ApiCaller
from core.api_schemas import REFUSALS, Message, QueryDate, described
from core.audit import audit_record
from core.models import AuditAction
from providers.models import Provider

router = Router(tags=["attendance"])

MAX_MARKS = 100_000
# A year of one setting's marks is a few tens of thousands; longer spans belong in an export.
MAX_DAYS = 366
FIELD_FOR_COLUMN = {title: name for name, title in COLUMN_TITLES.items()}
SESSION_NAMES = {Session.AM: "AM", Session.PM: "PM"}


class PlacementOut(Schema):
    placement: UUID = Field(description="The placement's public id")
    upn: str
    first_name: str
    last_name: str
    start_date: dt.date
    end_date: dt.date | None
    attendance_pattern: str = Field(description="full_time or part_time")


class Register(Schema):
    date: dt.date
    placements: list[PlacementOut]


class MarkIn(Schema):
    model_config = ConfigDict(extra="forbid")

    upn: str = Field(max_length=100, description="The child's unique pupil number")
    date: str = Field(max_length=100, description="YYYY-MM-DD, or day/month/year as in a register file")
    session: str = Field(max_length=20, description="AM or PM")
    code: str = Field(max_length=20, description="A DfE attendance code, for example /, \\, L, K, B, I, N, O")


class MarksIn(Schema):
    model_config = ConfigDict(extra="forbid")

    marks: list[MarkIn] = Field(min_length=1, max_length=MAX_MARKS)
    dry_run: bool = Field(default=False, description="Check and count the marks without saving them")


class MarksSaved(Schema):
    new: int
    changed: int
    unchanged: int
    batch: UUID | None = Field(description="The public id of the batch that saved them; null if nothing was saved")


class MarkOut(Schema):
    date: dt.date
    session: str
    code: str


class ChildAttendance(Schema):
    placement: UUID
    upn: str
    setting: str
    possible: int
    attended: int
    authorised: int
    unauthorised: int
    percentage: float | None = Field(description="Attended as a percentage of possible sessions, to one decimal place")
    absence: str = Field(
        description='"persistent" if the child missed 10% or more of possible sessions, "severe" if 50% or more, '
        'otherwise ""; decided on the exact counts, not the rounded percentage'
    )
    marks: list[MarkOut]


class Attendance(Schema):
    start: dt.date
    end: dt.date
    children: list[ChildAttendance]


def _setting_of(caller: ApiCaller) -> Provider:
    provider = provider_for(user=caller.user)
    if provider is None:
        raise PermissionDenied(
            f"This API key belongs to {caller.organisation.name}, which is not an AP setting. "
            "Only a setting's own key can read or record its register."
        )
    return provider


def _audit_read(caller: ApiCaller, what: str, children: list[str], **detail) -> None:
    audit_record(
        user=caller.user,
        action=AuditAction.API_READ,
        object_type="organisation",
        object_id=caller.organisation.public_id,
        organisation=caller.organisation,
        detail={"read": what, "api_key": str(caller.token.public_id), "children": children, **detail},
        children=children,
    )


@router.get(
    "/placements",
    response={200: Register, **REFUSALS},
    summary="Children placed with your setting on a day",
    openapi_extra=described(),
)
def placements_on(request, date: QueryDate):
    """Every child placed with the setting on the day: the setting's own register."""
    caller: ApiCaller = request.auth
    provider = _setting_of(caller)
    placements = [line.placement for line in register_for_day(user=caller.user, provider=provider, day=date)]
    _audit_read(caller, "placements", [str(p.child.public_id) for p in placements], date=date.isoformat())
    return Status(
        200,
        {
            "date": date,
            "placements": [
                {
                    "placement": p.public_id,
                    "upn": p.child.upn,
                    "first_name": p.child.first_name,
                    "last_name": p.child.last_name,
                    "start_date": p.start_date,
                    "end_date": p.end_date,
                    "attendance_pattern": p.attendance_pattern,
                }
                for p in placements
            ],
        },
    )


@router.post(
    "/attendance/marks",
    response={200: MarksSaved, **REFUSALS, 413: Message},
    summary="Record marks for children placed with your setting",
    openapi_extra=described({413: "The request is too large: send the marks in smaller batches"}),
)
def marks_record(request, payload: MarksIn):
    """Check every mark; save them all only if every one is right, as an upload does.

    Sending the same marks again changes nothing. With `dry_run`, nothing is saved and
    the answer says what would be.
    """
    caller: ApiCaller = request.auth
    provider = _setting_of(caller)
    rows = [RawMark(item, m.upn, m.date, m.session, m.code) for item, m in enumerate(payload.marks, start=1)]
    today = dt.date.today()
    if payload.dry_run:
        if not can_record_attendance(user=caller.user, provider=provider):
            raise PermissionDenied("You cannot record attendance for this setting.")
        plan, batch = plan_marks(provider=provider, rows=rows, today=today), None
    else:
        plan, batch = marks_commit(
            user=caller.user, provider=provider, rows=rows, source=AttendanceBatch.Source.API, today=today
        )
    if plan.problems:
        return Status(
            422,
            {
                "problems": [
                    {
                        "item": p.row,
                        "field": FIELD_FOR_COLUMN.get(p.column, p.column),
                        "value": p.value,
                        "problem": p.rule,
                    }
                    for p in plan.problems
                ]
            },
        )
    return Status(
        200,
        {
            "new": len(plan.new),
            "changed": len(plan.changed),
            "unchanged": plan.unchanged,
            "batch": batch.public_id if batch else None,
        },
    )


@router.get(
    "/attendance/marks",
    response={200: Attendance, **REFUSALS},
    summary="Your marks over a period, with each child's attendance percentage",
    openapi_extra=described(),
)
def marks_list(request, start: QueryDate, end: QueryDate):
    """The marks the caller may see from start to end, both included, by child and setting."""
    caller: ApiCaller = request.auth
    if end < start:
        return Status(422, _one_problem("end", end, "must be on or after the start date"))
    if (end - start).days >= MAX_DAYS:
        return Status(
            422, _one_problem("end", end, f"must be within {MAX_DAYS} days of the start date; ask for a year at most")
        )
    totals = placements_attendance(user=caller.user, start=start, end=end)
    marks = marks_by_placement(user=caller.user, start=start, end=end)
    # The placements open in the period hold every mark of it; one range query, not a list of ids.
    placements = [
        p
        for p in placements_visible_to(user=caller.user)
        .open_during(start, end)
        .select_related("child", "provider__organisation")
        .order_by("child__last_name", "child__first_name", "pk")
        if p.pk in totals
    ]
    children = []
    for p in placements:
        line = totals[p.pk]
        children.append(
            {
                "placement": p.public_id,
                "upn": p.child.upn,
                "setting": p.provider.organisation.name,
                "possible": line.possible,
                "attended": line.attended,
                "authorised": line.authorised,
                "unauthorised": line.unauthorised,
                "percentage": float(line.percentage) if line.percentage is not None else None,
                "absence": line.band,
                "marks": [
                    {"date": day, "session": SESSION_NAMES[session], "code": code}
                    for (day, session), code in marks[p.pk].items()
                ],
            }
        )
    _audit_read(
        caller,
        "attendance marks",
        sorted({str(p.child.public_id) for p in placements}),
        start=start.isoformat(),
        end=end.isoformat(),
    )
    return Status(200, {"start": start, "end": end, "children": children})


def _one_problem(field: str, value, problem: str) -> dict:
    return {"problems": [{"item": None, "field": field, "value": str(value), "problem": problem}]}
