"""Checking and writing a batch of attendance marks: the one path for the register form, uploads and the API.

`plan_marks` turns rows as a person wrote them into marks, or into problems that
name the row, the column, the value and the rule. `write_plan` stores a plan in one
transaction. A plan is computed again under a lock on the provider before writing,
so two uploads at once cannot interleave.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from attendance.dates import DateProblem, parse_date
from attendance.models import AttendanceMark, Session
from children.upn import upn_problem
from core.codes import code_set
from placements.models import Placement
from providers.models import Provider
from terms.calendar import SchoolCalendar, bank_holiday_name

SESSION_WORDS = {
    "am": Session.AM,
    "morning": Session.AM,
    "a.m.": Session.AM,
    "pm": Session.PM,
    "afternoon": Session.PM,
    "p.m.": Session.PM,
}
# "/" and "\" both mean present; DfE writes "/" in the morning and "\" in the afternoon.
PRESENT_SYMBOL = {Session.AM: "/", Session.PM: "\\"}

# The columns of a register file: canonical name -> spellings a person might use.
COLUMNS = {
    "upn": ["UPN", "Unique pupil number", "Pupil UPN"],
    "date": ["Date", "Session date"],
    "session": ["Session", "AM/PM", "AM or PM"],
    "code": ["Mark", "Code", "Attendance code", "Attendance mark"],
}
COLUMN_TITLES = {name: spellings[0] for name, spellings in COLUMNS.items()}


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str
    value: str
    rule: str


@dataclass(frozen=True)
class RawMark:
    """One row as written: the row number in the file and four cells."""

    row: int
    upn: str
    date: str
    session: str
    code: str


@dataclass
class Plan:
    provider: Provider
    # (child_id, date, session) -> (placement_id, code, row)
    marks: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    new: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # (mark id, old code, new code)
    unchanged: int = 0

    @property
    def can_commit(self) -> bool:
        return not self.problems and bool(self.new or self.changed)


class _Placements:
    """Every placement the provider has had, looked up by UPN and date.

    All of them, not only those in the file's dates, so that a mark outside a
    child's placement can say when the child was placed.
    """

    def __init__(self, provider: Provider):
        self.by_upn: dict[str, list[tuple]] = {}
        rows = Placement.objects.filter(provider=provider).values_list(
            "child__upn", "pk", "child_id", "start_date", "end_date"
        )
        for upn, pk, child_id, start, end in rows:
            self.by_upn.setdefault(upn, []).append((pk, child_id, start, end or date.max))

    def find(self, upn: str, day: date) -> tuple | None:
        for pk, child_id, start, end in self.by_upn.get(upn, ()):
            if start <= day <= end:
                return pk, child_id
        return None

    def dates_for(self, upn: str) -> str:
        spans = [f"{s:%d/%m/%Y} to {'now' if e == date.max else f'{e:%d/%m/%Y}'}" for _, _, s, e in self.by_upn[upn]]
        return ", ".join(spans)


def _session(text: str) -> Session | None:
    return SESSION_WORDS.get(text.strip().lower())


def _code(text: str, session: Session) -> str | None:
    code = text.strip().upper()
    if code in ("/", "\\"):
        return PRESENT_SYMBOL[session]
    return code if code in code_set("attendance") else None


def _day_problem(day: date, today: date, calendar: SchoolCalendar) -> str | None:
    if day > today:
        return "is in the future; marks can only be recorded for today or earlier"
    if day.weekday() >= 5:
        return f"is a {day:%A}, not a school day"
    holiday = bank_holiday_name(day)
    if holiday:
        return f"is a bank holiday ({holiday}), not a school day"
    if not calendar.is_school_day(day):
        return "is outside term time in the area's school calendar"
    return None


def plan_marks(*, provider: Provider, rows: Iterable[RawMark], today: date) -> Plan:
    """Check every row and compare with what is stored. Writes nothing."""
    plan = Plan(provider=provider)
    rows = list(rows)
    parsed = []
    problem = plan.problems.append
    for raw in rows:
        try:
            day = parse_date(raw.date)
        except DateProblem as error:
            problem(Problem(raw.row, COLUMN_TITLES["date"], raw.date, str(error)))
            continue
        parsed.append((raw, day))
    if not parsed:
        return plan
    first, last = min(d for _, d in parsed), max(d for _, d in parsed)
    placements = _Placements(provider)
    calendar = SchoolCalendar.load(area=provider.organisation.area, start=first, end=last)
    day_problems: dict[date, str | None] = {}
    upn_problems: dict[str, str | None] = {}
    seen: dict[tuple, tuple[str, int]] = {}
    for raw, day in parsed:
        if day not in day_problems:
            day_problems[day] = _day_problem(day, today, calendar)
        if day_problems[day]:
            problem(Problem(raw.row, COLUMN_TITLES["date"], raw.date, f"{day:%d/%m/%Y} {day_problems[day]}"))
            continue
        upn = raw.upn.strip().upper()
        if upn not in upn_problems:
            upn_problems[upn] = upn_problem(upn) or (
                None if upn in placements.by_upn else "is not the UPN of a child placed with this setting"
            )
        if upn_problems[upn]:
            problem(Problem(raw.row, COLUMN_TITLES["upn"], raw.upn, upn_problems[upn]))
            continue
        session = _session(raw.session)
        if session is None:
            problem(Problem(raw.row, COLUMN_TITLES["session"], raw.session, "must be AM or PM"))
            continue
        code = _code(raw.code, session)
        if code is None:
            problem(
                Problem(
                    raw.row,
                    COLUMN_TITLES["code"],
                    raw.code,
                    "is not a DfE attendance code (for example /, \\, L, K, B, I, M, N, O, U, G)",
                )
            )
            continue
        found = placements.find(upn, day)
        if found is None:
            problem(
                Problem(
                    raw.row,
                    COLUMN_TITLES["date"],
                    raw.date,
                    f"the child was not placed with this setting on {day:%d/%m/%Y} (placed {placements.dates_for(upn)})",
                )
            )
            continue
        placement_id, child_id = found
        key = (child_id, day, session)
        if key in seen:
            earlier_code, earlier_row = seen[key]
            if earlier_code != code:
                problem(
                    Problem(
                        raw.row,
                        COLUMN_TITLES["code"],
                        raw.code,
                        f"row {earlier_row} gives {earlier_code} for the same child, date and session; keep one of them",
                    )
                )
            continue
        seen[key] = (code, raw.row)
        plan.marks[key] = (placement_id, code, raw.row)
    _compare(plan, first, last)
    return plan


def _compare(plan: Plan, first: date, last: date) -> None:
    """Sort the plan's marks into new, changed and unchanged against what is stored."""
    stored = {
        (child_id, day, session): (pk, code)
        for pk, child_id, day, session, code in AttendanceMark.objects.filter(
            provider=plan.provider, date__range=(first, last)
        ).values_list("pk", "child_id", "date", "session", "code")
    }
    for key, (placement_id, code, _row) in plan.marks.items():
        existing = stored.get(key)
        if existing is None:
            plan.new.append((placement_id, key[0], key[1], key[2], code))
        elif existing[1] != code:
            plan.changed.append((existing[0], existing[1], code))
        else:
            plan.unchanged += 1
