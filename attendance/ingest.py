"""Checking a batch of attendance marks: the one path for the register form, uploads and the API.

`plan_marks` turns rows as a person wrote them into marks, or into problems that
name the row, the column, the value and the rule. The services write a plan in one
transaction, planning it again under a lock on the provider first, so two uploads at
once cannot interleave.
"""

import gc
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import date
from typing import NamedTuple

from attendance.models import AttendanceMark, Session
from children.upn import upn_problem
from core.codes import code_set
from core.dates import DateProblem, parse_date
from core.imports import ImportPlan
from core.spreadsheets import Problem
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


class RawMark(NamedTuple):
    """One row as written: the row number in the file and four cells."""

    row: int
    upn: str
    date: str
    session: str
    code: str


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
        return "is outside term time in the setting's school calendar"
    return None


@contextmanager
def gc_paused():
    """Pause Python's cycle collector while building many small tuples that hold no cycles.

    Each of the collector's passes walks every object still alive, so a file of
    100,000 rows would otherwise be walked again and again as it is read: measured,
    it doubles the time to read and check a large file. Reference counting still
    frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@gc_paused()
def plan_marks(*, provider: Provider, rows: Iterable[RawMark], today: date) -> ImportPlan:
    """Check every row and compare with what is stored. Writes nothing.

    A register file repeats a few hundred UPNs, dates, sessions and codes many
    thousand times, so each distinct (UPN, date) and (session, mark) pair is checked
    once and its answer remembered. A row's problems are reported in the order of its
    columns: date, UPN, session, mark, then whether the child was placed that day.
    """
    # New marks are (placement, child, day, session, code), changed ones (mark id, old code, new code).
    plan = ImportPlan()
    rows = list(rows)
    days = read_dates({raw.date for raw in rows})
    real_days = [day for day in days.values() if isinstance(day, date)]
    first, last = (min(real_days), max(real_days)) if real_days else (today, today)
    calendar = SchoolCalendar.load(organisation=provider.organisation, start=first, end=last)
    day_rules = {text: _day_rule(day, today, calendar) for text, day in days.items()}
    placements = _Placements(provider)
    stored = _stored(provider, first, last)
    upn_rules: dict[str, tuple[str, str | None]] = {}
    who_when: dict[tuple[str, str], tuple] = {}
    what: dict[tuple[str, str], tuple] = {}
    seen: dict[tuple, tuple[str, int]] = {}
    problem = plan.problems.append
    for raw in rows:
        found = who_when.get((raw.upn, raw.date))
        if found is None:
            found = who_when[raw.upn, raw.date] = _who_when(raw, days, day_rules, upn_rules, placements)
        if found[0] is _EARLY:
            problem(Problem(raw.row, found[1], getattr(raw, found[2]), found[3]))
            continue
        given = what.get((raw.session, raw.code))
        if given is None:
            given = what[raw.session, raw.code] = _what(raw.session, raw.code)
        if given[0] is None:
            problem(Problem(raw.row, given[1], getattr(raw, given[2]), given[3]))
            continue
        if found[0] is _LATE:
            problem(Problem(raw.row, found[1], getattr(raw, found[2]), found[3]))
            continue
        placement_id, child_id, day = found
        session, code = given
        key = (child_id, day, session)
        earlier = seen.get(key)
        if earlier is not None:
            if earlier[0] != code:
                rule = f"row {earlier[1]} gives {earlier[0]} for the same child, date and session; keep one of them"
                problem(Problem(raw.row, COLUMN_TITLES["code"], raw.code, rule))
            continue
        seen[key] = (code, raw.row)
        existing = stored.get(key)
        if existing is None:
            plan.new.append((placement_id, child_id, day, session, code))
        elif existing[1] != code:
            plan.changed.append((existing[0], existing[1], code))
        else:
            plan.unchanged += 1
    return plan


# Markers for a (UPN, date) pair's problem: reported before the session and mark are
# looked at (a bad date or UPN), or after them (the child was not placed that day).
_EARLY, _LATE = object(), object()


def _who_when(raw: RawMark, days, day_rules, upn_rules, placements: "_Placements") -> tuple:
    """(placement id, child id, day) for a UPN and date as written, or a problem to report."""
    rule = day_rules[raw.date]
    if rule:
        return (_EARLY, COLUMN_TITLES["date"], "date", rule)
    upn = raw.upn.strip().upper()
    if upn not in upn_rules:
        upn_rules[upn] = upn_problem(upn) or (
            None if upn in placements.by_upn else "is not the UPN of a child placed with this setting"
        )
    if upn_rules[upn]:
        return (_EARLY, COLUMN_TITLES["upn"], "upn", upn_rules[upn])
    day = days[raw.date]
    found = placements.find(upn, day)
    if found is None:
        rule = f"the child was not placed with this setting on {day:%d/%m/%Y} (placed {placements.dates_for(upn)})"
        return (_LATE, COLUMN_TITLES["date"], "date", rule)
    return (*found, day)


def _what(session_text: str, code_text: str) -> tuple:
    """(session, code) for a session and mark as written, or (None, column, field, rule)."""
    session = SESSION_WORDS.get(session_text.strip().lower())
    if session is None:
        return (None, COLUMN_TITLES["session"], "session", "must be AM or PM")
    code = _code(code_text, session)
    if code is None:
        return (None, COLUMN_TITLES["code"], "code", UNKNOWN_CODE)
    return (session, code)


UNKNOWN_CODE = "is not a DfE attendance code (for example /, \\, L, K, B, I, M, N, O, U, G)"


def read_dates(texts: set[str]) -> dict[str, date | str]:
    """Each distinct date as written: the date, or what is wrong with it."""
    read: dict[str, date | str] = {}
    for text in texts:
        try:
            read[text] = parse_date(text)
        except DateProblem as error:
            read[text] = str(error)
    return read


def _day_rule(day: date | str, today: date, calendar: SchoolCalendar) -> str | None:
    if isinstance(day, str):
        return day
    problem = _day_problem(day, today, calendar)
    return f"{day:%d/%m/%Y} {problem}" if problem else None


def _stored(provider: Provider, first: date, last: date) -> dict[tuple, tuple[int, str]]:
    """The marks already held for the provider in the file's dates: (child, day, session) -> (id, code)."""
    return {
        (child_id, day, session): (pk, code)
        for pk, child_id, day, session, code in AttendanceMark.objects.filter(
            provider=provider, date__range=(first, last)
        ).values_list("pk", "child_id", "date", "session", "code")
    }
