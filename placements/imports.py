"""Bringing an area's existing register of placements in from a spreadsheet.

A row is a placement, found by the child's UPN, the provider and the start date: a row
not yet recorded adds a placement, a recorded one is brought up to date, and a row that
says what the record already says changes nothing, so uploading the same file twice
changes nothing. The children must already be in the register. Every problem names the
row, the column, the value and the rule; one problem anywhere stops the whole file.

The rules are the placement form's own: the model's fields and constraints and
`placements.rules`. The rules that need the child's other placements (no overlap at one
provider, one open main roll at an AP setting) are checked here in memory, against all
the placements of the file's children loaded in one query, so a file costs the same few
queries whether it has five rows or five thousand.
"""

import copy
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from django.core.exceptions import ValidationError

from children.imports import CHILDREN_IMPORT, RECORDED_TWICE
from children.models import Child
from core.access import can_edit_placement, can_place_child, children_visible_to, commissioners_for, is_la_officer
from core.cells import choice_of, code_of, code_rule, date_of, decimal_of, whole_number_of, yes_no
from core.codes import code_set
from core.constraints import check_constraint_errors, conditional_unique_clashes
from core.imports import ImportPlan, ImportSpec, ImportTemplate, ImportWords, RowProblems, uploaded_list_write
from core.models import AuditAction, Organisation, User
from core.periods import overlap
from core.spreadsheets import Problem
from placements.models import (
    FULL_WEEK,
    MAX_HOURS_PER_WEEK,
    AttendancePattern,
    MainRoll,
    Placement,
    PlacementImport,
    ProvisionType,
    RegistrationType,
)
from placements.rules import (
    FULL_TIME_HOURS,
    derive,
    justification_errors,
    overlap_message,
    rule_errors,
    timetable_unstated,
)
from placements.signals import placements_written
from providers.models import ApprovalStatus, Provider
from providers.selectors import providers_for, with_approval_status

# Column name (the placement's field) -> the headings people use; the first is the one we show and put in the template.
COLUMNS = {
    "upn": ["UPN", "Unique pupil number"],
    "provider": [
        "Provider",
        "Provider URN or UKPRN",
        "Provider area reference",
        "Provider URN",
        "Provider UKPRN",
        "Setting URN or UKPRN",
        "Setting URN",
    ],
    "provision_type": ["Type of provision", "Provision type"],
    "reason": ["Reason", "Reason for placement", "Primary reason for placement"],
    "start_date": ["Start date", "Placement start date"],
    "attendance_pattern": ["Full or part time", "Full time or part time", "Attendance pattern"],
    "hours_per_week": ["Hours per week", "Hours a week", "Hours of education a week"],
    "registration_type": ["Registration", "Single or dual registration", "Registration type"],
    "main_roll": ["Main roll"],
    "commissioner": ["Commissioner URN", "Commissioned by URN", "Commissioner"],
    "planned_end_date": ["Planned end date"],
    "review_date": ["Review date", "Next review date", "First review date"],
    "end_date": ["End date", "Actual end date", "Placement end date"],
    "residential": ["Residential"],
    "journey_minutes": ["Journey minutes", "Journey time", "Journey time in minutes"],
    "outreach_provider": [
        "Outreach provider",
        "Outreach provider URN",
        "Outreach provider URN or UKPRN",
    ],
    "timetable": ["Timetable", "Sessions", "Timetabled sessions"],
    "provider_justification": ["Why this provider", "Provider justification", "Justification"],
}
REQUIRED = frozenset(
    {
        "upn",
        "provider",
        "provision_type",
        "reason",
        "start_date",
        "attendance_pattern",
        "hours_per_week",
        "registration_type",
        "main_roll",
    }
)
TITLES = {name: spellings[0] for name, spellings in COLUMNS.items()}
CHOICE_COLUMNS = {
    "provision_type": ProvisionType.choices,
    "attendance_pattern": AttendancePattern.choices,
    "registration_type": RegistrationType.choices,
    "main_roll": MainRoll.choices,
}
CHOICE_WORDS = {
    "attendance_pattern": {
        "full": AttendancePattern.FULL_TIME,
        "ft": AttendancePattern.FULL_TIME,
        "part": AttendancePattern.PART_TIME,
        "pt": AttendancePattern.PART_TIME,
    },
    "registration_type": {"single": RegistrationType.SINGLE, "dual": RegistrationType.DUAL},
    "main_roll": {"school": MainRoll.HOME_SCHOOL, "ap": MainRoll.AP},
}
DATE_COLUMNS = ("start_date", "planned_end_date", "review_date", "end_date")
# Who the placement is with and who made it come from the look-ups, not from the field's own validation (a query each).
RELATIONS = ["child", "provider", "commissioner", "outreach_provider", "created_by"]
# What `placements.rules.derive` sets: a row changes them when it changes what they follow from.
DERIVED = ("commissioner_type", "out_of_area")

NOT_IN_REGISTER = "is not a child in the register: import the child first"
# Why a placement ended and where the child went are its exit (casework.PlacementExit), recorded with the
# transition plan on the placement's "End the placement" page; a file gives the end date only. A file that still
# has an "End reason" column is told the column is not one we use (docs/decisions.md).


def _labels(choices) -> str:
    return ", ".join(str(label) for _value, label in choices)


COLUMN_GUIDE = {
    "upn": "the child's UPN; the child must already be in the register",
    "provider": "the setting's 6-digit URN, 8-digit UKPRN or area reference (AP-355-007), as in the provider directory",
    "provision_type": _labels(ProvisionType.choices),
    "commissioner": "the URN of the school or service that commissioned it; left empty, the local authority (in a school's file, the school)",
    "reason": (
        "the reason's code or its words, from the census list of whoever commissioned the placement: "
        "a school's from the school census list (sa_ codes, for example sa_behaviour or Suspension), "
        "the local authority's from the AP census list (apc_ codes, for example apc_pex or Permanent exclusion)"
    ),
    "start_date": "day/month/year, for example 04/09/2025",
    "planned_end_date": "day/month/year; a school's open placement needs it",
    "review_date": "day/month/year, the next review; a school's open placement needs it",
    "end_date": (
        "day/month/year; left empty while the placement continues. Why it ended and where the child went are "
        "recorded on the placement's End the placement page"
    ),
    "attendance_pattern": f"Full time (at least {FULL_TIME_HOURS} hours a week) or Part time",
    "hours_per_week": f"hours of education a week, from 0 to {MAX_HOURS_PER_WEEK}, for example 12.5",
    "registration_type": "Single or Dual",
    "main_roll": "Home school or AP; a single-registered child is on the AP setting's roll",
    "residential": "Y or N",
    "journey_minutes": "the journey from home in whole minutes, up to 300",
    "outreach_provider": "the outreach setting's URN, UKPRN or area reference",
    "timetable": (
        "the sessions the child is expected, for example Mon, Tue AM, Thu PM (a day alone is both sessions); "
        "left empty, every session of a full-time placement; a part-time placement needs its sessions"
    ),
    "provider_justification": (
        "needed for a new placement at a provider the area has not approved (the Providers sheet says which): "
        "why no approved provider would do for this child"
    ),
}


def template_choices() -> dict[str, list[tuple[str, str]]]:
    """The drop-downs of the Excel template: the words each choice column reads, and the reasons' codes."""
    choices = {TITLES[name]: [(str(label), "") for _value, label in CHOICE_COLUMNS[name]] for name in CHOICE_COLUMNS}
    choices[TITLES["reason"]] = [(c.code, c.label) for c in code_set("ap_placement_reason").values()]
    choices[TITLES["residential"]] = [("Y", "Yes"), ("N", "No")]
    return choices


class _Scope:
    """Who is importing, and the children, providers and commissioners their file may name: one query each."""

    def __init__(self, user: User, upns: set[str]):
        organisation = user.primary_organisation
        self.user = user
        self.today = date.today()
        self.school = None if is_la_officer(user) else organisation
        # As on the placement form: left out, the commissioner is the one importing.
        self.default_commissioner = organisation
        self.children: dict[str, Child] = {}
        self.recorded_twice: set[str] = set()
        for child in children_visible_to(user=user).filter(upn__in=upns).select_related("area"):
            if child.upn in self.children:
                self.recorded_twice.add(child.upn)
            self.children[child.upn] = child
        self.providers: dict[str, Provider] = {}
        self.shared_ukprns: set[str] = set()
        areas = {o.area_id for o in user.organisations}
        providers = Provider.objects.filter(organisation__area_id__in=areas).select_related("organisation")
        for provider in with_approval_status(providers):
            if provider.organisation.urn:
                self.providers[provider.organisation.urn] = provider
            if provider.ukprn in self.providers:
                self.shared_ukprns.add(provider.ukprn)
            elif provider.ukprn:
                self.providers[provider.ukprn] = provider
            self.providers[provider.area_reference] = provider
        self.commissioners = {o.urn: o for o in commissioners_for(user=user).exclude(urn="")}

    def stored_placements(self) -> dict[int, list[Placement]]:
        """Every placement of the file's children, by child: what the file's rows are checked against."""
        by_child: dict[int, list[Placement]] = defaultdict(list)
        children = {c.pk: c for c in self.children.values()}
        for placement in Placement.objects.filter(child_id__in=list(children)).select_related("commissioner"):
            placement.child = children[placement.child_id]
            by_child[placement.child_id].append(placement)
        return by_child

    def provider(self, text: str, problem) -> Provider | None:
        if text in self.shared_ukprns:
            problem("is the UKPRN of more than one provider in the directory: give the provider's URN")
            return None
        provider = self.providers.get(text.upper())
        if provider is None:
            problem(
                "is not the URN, UKPRN or area reference of a provider in the area's directory: "
                "add the provider, or its URN or UKPRN, first"
            )
        return provider

    def commissioner(self, text: str, problem) -> Organisation | None:
        if not text:
            return self.default_commissioner
        if self.school is not None:
            if text != self.school.urn:
                problem(f"must be your own school's URN, {self.school.urn}, or left empty")
            return self.school
        commissioner = self.commissioners.get(text)
        if commissioner is None:
            problem("is not the URN of a school or service of the area that commissions AP")
        return commissioner


@dataclass
class _Row:
    """A row of the file that reads as a placement: where it is, what it says, and the placement it makes."""

    number: int
    cells: dict[str, str]
    placement: Placement
    touched: bool  # adds or changes a placement


def plan_placements(
    *, user: User, upload: PlacementImport, rows: list[tuple[int, dict[str, str]]], today: date
) -> ImportPlan:
    """What the rows would add and change, or every problem that stops them."""
    scope = _Scope(user, {cells.get("upn", "").upper() for _n, cells in rows} - {""})
    scope.today = today
    stored = scope.stored_placements()
    by_identity = {(p.child_id, p.provider_id, p.start_date): p for ps in stored.values() for p in ps}
    plan = ImportPlan()
    read: list[_Row] = []
    seen: dict[tuple, int] = {}
    for number, cells in rows:
        values, problems = _values(number, cells, scope)
        if not problems:
            identity = (values["child"].pk, values["provider"].pk, values["start_date"])
            if identity in seen:
                problems.append(
                    Problem(
                        number,
                        TITLES["start_date"],
                        cells["start_date"],
                        f"is also on row {seen[identity]} for this child at this provider: one row per placement",
                    )
                )
            seen.setdefault(identity, number)
        if not problems:
            row, problems = _apply(plan, number, cells, values, by_identity.get(identity), scope)
            if row is not None:
                read.append(row)
        plan.problems += problems
    plan.problems += _problems_across(read, stored, plan.new)
    plan.problems.sort(key=lambda p: p.row or 0)
    return plan


def _values(number: int, cells: dict[str, str], scope: _Scope) -> tuple[dict, list[Problem]]:
    """The row's cells as a placement's field values, with a problem for each cell that cannot be read.

    Only the columns the file has are read: a file without, say, journey times leaves
    each recorded placement's journey time as it is.
    """
    values: dict = {}
    problems = problem = RowProblems(number, cells, TITLES)

    for name in COLUMNS:
        if name in REQUIRED and not cells.get(name):
            problem(name, "is empty: every placement needs one")
    for name, text in cells.items():
        if name in REQUIRED and not text:
            continue
        if name == "upn":
            values["child"] = _child(text.upper(), scope, lambda rule: problem("upn", rule))
        elif name in ("provider", "outreach_provider"):
            values[name] = scope.provider(text, lambda rule, name=name: problem(name, rule)) if text else None
        elif name == "commissioner":
            values[name] = scope.commissioner(text, lambda rule: problem("commissioner", rule))
        elif name in CHOICE_COLUMNS:
            values[name] = choice_of(CHOICE_COLUMNS[name], text, CHOICE_WORDS.get(name)) if text else ""
            if values[name] is None:
                problem(name, f"must be one of: {_labels(CHOICE_COLUMNS[name])}")
        elif name == "reason":
            values[name] = code_of("ap_placement_reason", text)
            if values[name] is None:
                problem(name, code_rule("ap_placement_reason"))
        elif name in DATE_COLUMNS:
            values[name] = date_of(text, lambda rule, name=name: problem(name, rule))
        elif name == "hours_per_week":
            values[name] = decimal_of(text)
            if values[name] is None:
                problem(name, "must be a number of hours, like 12.5")
        elif name == "journey_minutes":
            values[name] = whole_number_of(text) if text else None
            if text and values[name] is None:
                problem(name, "must be a whole number of minutes, like 45")
        elif name == "timetable":
            values[name] = timetable_of(text) if text else ""
            if values[name] is None:
                problem(name, "must name weekdays and sessions, like Mon, Tue AM, Thu PM, or say All")
        elif name == "provider_justification":
            values[name] = text.strip()
        elif name == "residential":
            values[name] = yes_no(text)
            if values[name] is None:
                problem(name, "must be Y or N (or left empty for N)")
    return values, problems


_DAYS = ("mon", "tue", "wed", "thu", "fri")
_SESSION = re.compile(r"(mon|tue|wed|thu|fri)[a-z]*\.?\s*(am|pm|morning|afternoon)?")


def timetable_of(text: str) -> str | None:
    """The ten-session timetable a cell describes: "Mon, Tue AM, Thu PM", "All", or ten 1s and 0s; None if unreadable."""
    words = text.strip().lower()
    if re.fullmatch(r"[01]{10}", words):
        return words if "1" in words else None
    if words in ("all", "every session", "full week", "all week"):
        return FULL_WEEK
    sessions = ["0"] * 10
    for part in re.split(r"[,;/+&]|\band\b", words):
        part = part.strip()
        if not part:
            continue
        match = _SESSION.fullmatch(part)
        if match is None:
            return None
        day, half = _DAYS.index(match.group(1)), match.group(2)
        for session in (0, 1) if half is None else (0,) if half in ("am", "morning") else (1,):
            sessions[day * 2 + session] = "1"
    timetable = "".join(sessions)
    return timetable if "1" in timetable else None


def timetable_words(timetable: str) -> str:
    """A timetable as a cell would say it, the inverse of `timetable_of`."""
    parts = []
    for day, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri")):
        am, pm = timetable[day * 2] == "1", timetable[day * 2 + 1] == "1"
        parts += [name] if am and pm else [f"{name} AM"] if am else [f"{name} PM"] if pm else []
    return ", ".join(parts)


def _child(upn: str, scope: _Scope, problem):
    child = scope.children.get(upn)
    if upn in scope.recorded_twice:
        problem(RECORDED_TWICE)
        return None
    if child is None:
        # The same words for a child who is not recorded and one this importer may not see.
        problem(NOT_IN_REGISTER)
    elif not can_place_child(user=scope.user, child=child):
        problem("is a pupil of another school: ask the local authority or the child's school to record the placement")
    return child


def _apply(
    plan: ImportPlan, number: int, cells: dict[str, str], values: dict, stored: Placement | None, scope: _Scope
) -> tuple[_Row | None, list[Problem]]:
    if values.get("timetable") == "" or (stored is None and "timetable" not in values):
        # No sessions given: every session of a full-time placement; a part-time one is refused by the rules.
        values["timetable"] = timetable_unstated(values["attendance_pattern"])
    if stored is None:
        values.setdefault("commissioner", scope.default_commissioner)
        placement = Placement(created_by=scope.user, **values)
        changed = None
    else:
        # A copy: a row with a problem must leave the recorded placement as it is for the checks across rows.
        placement = copy.copy(stored)
        may_change = can_edit_placement(user=scope.user, placement=placement)
        commissioner = placement.commissioner
        changed = [name for name, value in values.items() if _stored(placement, name) != _comparable(value)]
        for name, value in values.items():
            setattr(placement, name, value)  # the child and the provider too: the objects the look-ups loaded
        if changed and not may_change:
            return None, [
                Problem(
                    number,
                    TITLES[changed[0]],
                    cells.get(changed[0], ""),
                    f"would change a placement that {commissioner} commissioned: only the local authority or {commissioner} can change it",
                )
            ]
    derived = {name: getattr(placement, name) for name in DERIVED}
    derive(placement)
    if changed is not None:
        changed += [name for name, old in derived.items() if getattr(placement, name) != old]
    errors = _rule_errors(placement, scope.today)
    chosen = stored is None  # a row names a placement by its provider: another provider is another placement
    for name, messages in justification_errors(
        placement, placement.provider.approval_status, provider_chosen=chosen
    ).items():
        errors.setdefault(name, []).extend(messages)
    if errors:
        return None, [
            Problem(number, _title(name), cells.get(name, ""), " ".join(messages)) for name, messages in errors.items()
        ]
    plan.add(placement, changed)
    return _Row(number, cells, placement, touched=changed is None or bool(changed)), []


def _rule_errors(placement: Placement, today: date) -> dict[str, list[str]]:
    """The placement's own rules: its fields, the model's check constraints and `placements.rules`."""
    try:
        placement.full_clean(exclude=RELATIONS, validate_unique=False, validate_constraints=False)
        errors = {}
    except ValidationError as error:
        errors = error.message_dict
    # A constraint says in the service's words what Django's generic message on the same field says.
    errors |= check_constraint_errors(placement)
    for name, messages in rule_errors(placement, today).items():
        errors.setdefault(name, []).extend(messages)
    return errors


def _stored(placement: Placement, name: str):
    return getattr(placement, Placement._meta.get_field(name).attname)


def _comparable(value):
    return value.pk if hasattr(value, "pk") else value


def _title(name: str) -> str:
    if name in TITLES:
        return TITLES[name]
    if name in {f.name for f in Placement._meta.fields}:
        return str(Placement._meta.get_field(name).verbose_name).capitalize()
    return ""


def _problems_across(read: list[_Row], stored: dict[int, list[Placement]], new: list[Placement]) -> list[Problem]:
    """The rules between a child's placements, checked on the register as it would be after the import."""
    row_of = {id(row.placement): row for row in read}
    updated = {row.placement.pk: row.placement for row in read if row.placement.pk}
    after: dict[int, list[Placement]] = defaultdict(list)
    for child_id, placements in stored.items():
        after[child_id] += [updated.get(p.pk, p) for p in placements]
    for placement in new:
        after[placement.child_id].append(placement)
    problems = []
    overlapping: set[int] = set()
    for placements in after.values():
        for first, second in combinations(placements, 2):
            if first.provider_id != second.provider_id or not overlap(
                first.start_date, first.end_date, second.start_date, second.end_date
            ):
                continue
            row, other = _later_touched(first, second, row_of)
            if row is None or row.number in overlapping:
                continue
            overlapping.add(row.number)
            problems.append(
                Problem(
                    row.number,
                    TITLES["start_date"],
                    row.cells["start_date"],
                    overlap_message(other) + _on_row(other, row_of),
                )
            )
    for constraint, group in conditional_unique_clashes(p for ps in after.values() for p in ps):
        # A placement kept as it is keeps its place; the file's rows that add or change one after it are the problem.
        group.sort(key=lambda p: (row_of[id(p)].touched, row_of[id(p)].number) if id(p) in row_of else (False, 0))
        for placement in group[1:]:
            row = row_of.get(id(placement))
            if row is not None and row.touched:
                name = constraint.violation_error_code
                problems.append(
                    Problem(
                        row.number,
                        _title(name),
                        row.cells.get(name, ""),
                        str(constraint.get_violation_error_message()) + _on_row(group[0], row_of),
                    )
                )
    return problems


def _later_touched(first: Placement, second: Placement, row_of: dict) -> tuple[_Row | None, Placement]:
    """Of two clashing placements, the row to name: the later of those the file adds or changes."""
    touched = [row_of[id(p)] for p in (first, second) if id(p) in row_of and row_of[id(p)].touched]
    if not touched:
        return None, first
    row = max(touched, key=lambda r: r.number)
    return row, second if row.placement is first else first


def _on_row(placement: Placement, row_of: dict) -> str:
    row = row_of.get(id(placement))
    return f" That placement is on row {row.number} of this file." if row else ""


def _write(*, user: User, upload: PlacementImport, plan: ImportPlan) -> None:
    uploaded_list_write(user=user, upload=upload, plan=plan, records=Placement, action=AuditAction.PLACEMENTS_IMPORTED)
    placements_written([p.pk for p in plan.new] + [p.pk for p, _changed in plan.changed])


def _providers(user: User) -> tuple[str, list[str], list[list[str]]]:
    """The template's list of the area's providers, with the URN, UKPRN or area reference that names each."""
    providers = [
        [p.name, p.organisation.urn, p.ukprn, p.area_reference, _approval_words(p.approval_status)]
        for p in providers_for(user=user).order_by("organisation__name")
    ]
    return "Providers", ["Provider", "URN", "UKPRN", "Area reference", "Approval"], providers


def _approval_words(status: str | None) -> str:
    """Where the provider stands, for the template's list: a new placement at one not approved needs a why."""
    return ApprovalStatus(status).label if status else "Not decided"


PLACEMENTS_IMPORT = ImportSpec(
    name="placements_import",
    path="placements/import",
    model=PlacementImport,
    columns=COLUMNS,
    required=REQUIRED,
    guide=COLUMN_GUIDE,
    plan=plan_placements,
    write=_write,
    checked=AuditAction.PLACEMENTS_IMPORT_CHECKED,
    describe=lambda p: f"{p.child.upn} at {p.provider} from {p.start_date:%d/%m/%Y}",
    # Whoever may import children: the local authority, for any child of the area; a school, for its own pupils.
    scope=CHILDREN_IMPORT.scope,
    page="placements/import.html",
    page_context=CHILDREN_IMPORT.page_context,
    after="register",
    template=ImportTemplate(sheet="Placements", choices=template_choices, blank_rows=5000, listing=_providers),
    words=ImportWords(
        title="Import placements",
        one="placement",
        many="placements",
        label="List of placements",
        hint="CSV or Excel (.xlsx), up to 10 MB, one row per placement, with the columns in the table above",
    ),
)
