"""Bringing an area's existing list of children into the register from a spreadsheet.

A row is a child, found by UPN: a UPN not yet recorded adds a child, a recorded one is
brought up to date, and a row that says what the record already says changes nothing,
so uploading the same file twice changes nothing. Every problem names the row, the
column, the value and the rule, in words an office manager can act on; one problem
anywhere stops the whole file.
"""

from datetime import date

from django.core.exceptions import ValidationError

from children.models import Child, ChildImport, EhcPlanStatus
from children.services import children_import_write
from core.access import children_visible_to, is_la_officer, may_import_lists
from core.cells import code_of, code_rule, date_of, words, yes_no
from core.codes import code_set
from core.imports import ImportPlan, ImportSpec, ImportTemplate, ImportWords, RowProblems
from core.models import Area, AuditAction, Organisation, User
from core.spreadsheets import Problem

# Column name -> the headings people use; the first is the one we show and put in the template.
COLUMNS = {
    "upn": ["UPN", "Unique pupil number"],
    "first_name": ["First name", "Forename", "Legal forename"],
    "last_name": ["Last name", "Surname", "Legal surname"],
    "date_of_birth": ["Date of birth", "DOB"],
    "gender": ["Gender", "Sex"],
    "ethnicity": ["Ethnicity", "Ethnicity code"],
    "sen_provision": ["SEN provision", "SEN status"],
    "sen_primary_need": ["Primary SEN need", "SEN primary need", "Primary need"],
    "sen_secondary_need": ["Secondary SEN need", "SEN secondary need", "Secondary need"],
    "ehc_plan_status": ["EHC plan status", "EHC plan"],
    "looked_after": ["Looked after", "Child looked after", "CLA", "LAC"],
    "looked_after_by": ["Responsible LA", "Looked after by"],
    "child_in_need": ["Child in need", "CIN"],
    "child_protection": ["Child protection plan", "CP plan"],
    "known_to_youth_justice": ["Known to youth justice", "YOS"],
    "on_dynamic_support_register": ["Dynamic support register", "DSR"],
    "last_cetr_date": ["Last CETR date", "CETR date"],
    "health_needs": ["Health needs"],
    "home_school": ["Home school URN", "School URN"],
}
REQUIRED = frozenset({"upn", "first_name", "last_name", "date_of_birth", "gender", "ethnicity", "sen_provision"})
TITLES = {name: spellings[0] for name, spellings in COLUMNS.items()}
CODE_COLUMNS = {
    "gender": "gender",
    "ethnicity": "ethnicity",
    "sen_provision": "sen_provision",
    "sen_primary_need": "sen_primary_need",
    "sen_secondary_need": "sen_primary_need",
}
YES_NO_COLUMNS = (
    "looked_after",
    "child_in_need",
    "child_protection",
    "known_to_youth_justice",
    "on_dynamic_support_register",
)
EHC_WORDS = {
    "none": EhcPlanStatus.NONE,
    "no": EhcPlanStatus.NONE,
    "has": EhcPlanStatus.HAS_PLAN,
    "has plan": EhcPlanStatus.HAS_PLAN,
    "yes": EhcPlanStatus.HAS_PLAN,
    "had": EhcPlanStatus.HAD_PLAN,
    "had plan": EhcPlanStatus.HAD_PLAN,
    "being assessed": EhcPlanStatus.BEING_ASSESSED,
    "assessment": EhcPlanStatus.BEING_ASSESSED,
}
TEXT_LIMITS = {"first_name": 100, "last_name": 100, "health_needs": 200}


COLUMN_GUIDE = {
    "upn": "13 characters, with the check letter first",
    "first_name": "Letters, as on the school's roll",
    "last_name": "Letters, as on the school's roll",
    "date_of_birth": "day/month/year, for example 14/03/2012",
    "gender": "M or F",
    "ethnicity": "the DfE code (WBRI) or its words (White - British)",
    "sen_provision": "N (none), K (SEN support) or E (EHC plan)",
    "sen_primary_need": "the DfE code (SEMH) or its words",
    "sen_secondary_need": "the DfE code or its words",
    "ehc_plan_status": "has, had, being assessed or none; left empty, it follows the SEN provision",
    "looked_after": "Y or N",
    "looked_after_by": "the responsible LA's 3-digit code; left empty, this area",
    "child_in_need": "Y or N",
    "child_protection": "Y or N",
    "known_to_youth_justice": "Y or N",
    "on_dynamic_support_register": "Y or N",
    "last_cetr_date": "day/month/year",
    "health_needs": "a few words, up to 200 characters",
    "home_school": "the school's 6-digit URN; a school's own file may leave it empty",
}


def template_choices() -> dict[str, list[tuple[str, str]]]:
    """The drop-downs of the Excel template: each coded column's codes and what they mean."""
    choices = {
        TITLES[name]: [(c.code, c.label) for c in code_set(set_name).values()]
        for name, set_name in CODE_COLUMNS.items()
    }
    choices[TITLES["ehc_plan_status"]] = [
        (w, str(EhcPlanStatus(EHC_WORDS[w]).label)) for w in ("has", "had", "being assessed", "none")
    ]
    for name in YES_NO_COLUMNS:
        choices[TITLES[name]] = [("Y", "Yes"), ("N", "No")]
    return choices


RECORDED_TWICE = (
    "is on two children's records: the local authority settles which is right (Children recorded twice) "
    "before a file can name it"
)


class _Scope:
    """Who is importing, and which children and schools their file may name."""

    def __init__(self, user: User):
        organisation = user.primary_organisation
        self.area = organisation.area
        self.school = None if is_la_officer(user) else organisation
        self.schools = {o.urn: o for o in Organisation.objects.filter(area=self.area).exclude(urn="")}
        self.areas = {a.la_code: a for a in Area.objects.all()}


def plan_children(
    *, user: User, upload: ChildImport, rows: list[tuple[int, dict[str, str]]], today: date
) -> ImportPlan:
    """What the rows would add and change, or every problem that stops them."""
    scope = _Scope(user)
    plan = ImportPlan()
    upns = [cells.get("upn", "").upper() for _n, cells in rows]
    # Only children of the area this user may see: a UPN recorded for a child they may not see reads
    # exactly as one never recorded (a new child, recorded twice at commit for the LA to settle), so no
    # file can test whether a UPN is known elsewhere. Another area's record of a child is that area's.
    stored: dict[str, Child] = {}
    twice: set[str] = set()
    for c in (
        children_visible_to(user=user)
        .filter(area=scope.area, upn__in=[u for u in upns if u])
        .select_related("home_school", "looked_after_by")
    ):
        if c.upn in stored:
            twice.add(c.upn)
        stored[c.upn] = c
    seen: dict[str, int] = {}
    for number, cells in rows:
        values, problems = _values(number, cells, scope)
        upn = values.get("upn", "")
        if upn in seen:
            problems.append(Problem(number, TITLES["upn"], upn, f"is also on row {seen[upn]}: one row per child"))
        seen.setdefault(upn, number)
        child = stored.get(upn)
        if upn in twice:
            problems.append(Problem(number, TITLES["upn"], upn, RECORDED_TWICE))
        elif child is not None and scope.school and child.home_school_id != scope.school.pk:
            problems.append(
                Problem(
                    number, TITLES["upn"], upn, "is a pupil of another school: ask the local authority to change it"
                )
            )
        if not problems:
            problems = _apply(plan, number, child, values, scope)
        plan.problems += problems
    return plan


def _apply(plan: ImportPlan, number: int, child: Child | None, values: dict, scope: _Scope) -> list[Problem]:
    if child is None:
        # Left out, the EHC plan status follows the SEN provision: E is a child with a plan.
        values.setdefault(
            "ehc_plan_status", EhcPlanStatus.HAS_PLAN if values["sen_provision"] == "E" else EhcPlanStatus.NONE
        )
        if scope.school is not None:
            values.setdefault("home_school", scope.school)
        child = Child(area=scope.area, **values)
        changed = None
    else:
        changed = [name for name, value in values.items() if getattr(child, name) != value]
        for name in changed:
            setattr(child, name, values[name])
    try:
        # A query per row would not scale: uniqueness and constraints are the database's to check at commit,
        # and the area and schools come from the look-ups above.
        child.full_clean(
            exclude=["area", "home_school", "looked_after_by"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        return [
            Problem(number, TITLES.get(name, name), str(values.get(name, "")), " ".join(messages))
            for name, messages in error.message_dict.items()
        ]
    plan.add(child, changed)
    return []


def _values(number: int, cells: dict[str, str], scope: _Scope) -> tuple[dict, list[Problem]]:
    """The row's cells as a child's field values, with a problem for each cell that cannot be read.

    Only the columns the file has are read: a file without, say, health needs leaves
    each child's health needs as they are.
    """
    values: dict = {}
    problems = problem = RowProblems(number, cells, TITLES)

    for name in REQUIRED:
        if not cells.get(name):
            problem(name, "is empty: every child needs one")
    values["upn"] = cells.get("upn", "").upper()
    for name, text in cells.items():
        if name in TEXT_LIMITS:
            values[name] = text
            if len(text) > TEXT_LIMITS[name]:
                problem(name, f"is longer than {TEXT_LIMITS[name]} characters")
        elif name in CODE_COLUMNS:
            values[name] = code_of(CODE_COLUMNS[name], text) if text else ""
            if values[name] is None:
                problem(name, code_rule(CODE_COLUMNS[name]))
        elif name in ("date_of_birth", "last_cetr_date"):
            values[name] = date_of(text, lambda rule, name=name: problem(name, rule))
        elif name in YES_NO_COLUMNS:
            values[name] = yes_no(text)
            if values[name] is None:
                problem(name, "must be Y or N (or left empty for N)")
        elif name == "ehc_plan_status" and text:
            values[name] = EHC_WORDS.get(words(text))
            if values[name] is None:
                problem(name, "must be one of: has, had, being assessed, none")
    if "looked_after" in cells:
        values["looked_after_by"] = _responsible_la(cells, values, scope, problem)
    if "home_school" in cells:
        values["home_school"] = _home_school(cells["home_school"], scope, problem)
    return values, problems


def _responsible_la(cells, values, scope: _Scope, problem):
    code = cells.get("looked_after_by", "")
    if not values.get("looked_after"):
        if code:
            problem("looked_after_by", "is only for a looked-after child: leave it empty, or put Y in Looked after")
        return None
    if not code:
        return scope.area  # most children in the area's care are looked after by the area itself
    area = scope.areas.get(code)
    if area is None:
        problem("looked_after_by", "is not the 3-digit code of a local authority using this service")
    return area


def _home_school(urn: str, scope: _Scope, problem):
    if scope.school is not None:
        if urn and urn != scope.school.urn:
            problem("home_school", f"must be your own school's URN, {scope.school.urn}, or left empty")
        return scope.school
    if not urn:
        return None
    school = scope.schools.get(urn)
    if school is None:
        problem("home_school", "is not the URN of a school in the area's directory")
    return school


CHILDREN_IMPORT = ImportSpec(
    name="children_import",
    path="children/import",
    model=ChildImport,
    columns=COLUMNS,
    required=REQUIRED,
    guide=COLUMN_GUIDE,
    plan=plan_children,
    write=children_import_write,
    checked=AuditAction.CHILDREN_IMPORT_CHECKED,
    describe=lambda child: child.upn,
    scope=lambda user: {} if may_import_lists(user) else None,
    page="children/import.html",
    page_context=lambda user: {"is_la": is_la_officer(user)},
    after="child_list",
    template=ImportTemplate(sheet="Children", choices=template_choices, blank_rows=2000),
    words=ImportWords(
        title="Import a list of children",
        one="child",
        many="children",
        label="List of children",
        hint="CSV or Excel (.xlsx), up to 10 MB, one row per child, with the columns in the table above",
    ),
)
