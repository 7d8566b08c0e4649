"""The one way a file comes into the register: checked and kept, then written all or nothing.

Each kind of file (a list of children, a list of placements, a setting's register of
marks) declares an `ImportSpec`: its columns, how a row is read, how the rows are planned
(what they would add and change, or every problem that stops them) and how a plan is
written. The rest is here, the same for every kind, and its pages are `core.import_views`:

- The check reads and plans the file and keeps it with what the check found (the plan's
  summary and problems), so that its page never reads the file again. A refused file is
  not kept: only its problems are.
- The confirmation reads and plans the file again against the register as it is then,
  which may have changed since the check, and writes all of it or none of it. Problems
  found then refuse the file as the check would have.

A row that says what the register already says changes nothing, so uploading the same
file again changes nothing. Every problem names the row, the column, the value and the rule.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.audit import audit_record
from core.csv_export import csv_text
from core.models import AuditAction, UploadedList, User
from core.spreadsheets import MAX_UPLOAD_BYTES, Problem, problems_stored, problems_to_store, read_rows
from core.xlsx_export import xlsx_form

# What the check page lists of the changes, at most.
CHANGES_KEPT = 200


@dataclass
class ImportPlan:
    """What a file's rows would do to the register, or every problem that stops them."""

    problems: list[Problem] = field(default_factory=list)
    new: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # (record, names of the fields that change), or the kind's own
    unchanged: int = 0
    left_out: int = 0  # rows read and checked that the kind of file does not take (a GIAS extract's schools)

    @property
    def can_commit(self) -> bool:
        return not self.problems and bool(self.new or self.changed)

    def add(self, record, changed: list[str] | None) -> None:
        """A record a row adds (changed is None), changes (the fields that change) or leaves as it is."""
        if changed is None:
            self.new.append(record)
        elif changed:
            self.changed.append((record, changed))
        else:
            self.unchanged += 1


class RowProblems(list):
    """The problems of one row, each named by its row, its column's heading, the cell's value and the rule."""

    def __init__(self, number: int, cells: dict[str, str], titles: dict[str, str]):
        super().__init__()
        self.number, self.cells, self.titles = number, cells, titles

    def __call__(self, name: str, rule: str) -> None:
        self.append(Problem(self.number, self.titles[name], self.cells.get(name, ""), rule))


@dataclass(frozen=True)
class ImportSummary:
    """What the check found, as kept with the file: what the check page shows."""

    new: int
    changed: int
    unchanged: int
    changes: list[tuple[str, str]]  # each changed record in a few words, and what changes in it
    problems: list[Problem]
    left_out: int = 0

    @property
    def can_commit(self) -> bool:
        return not self.problems and bool(self.new or self.changed)


@dataclass(frozen=True)
class ImportWords:
    """How the pages speak of a kind of file."""

    title: str  # of the page the file is uploaded from, which the check page links back to
    one: str  # what a row of the file is: "child"
    many: str  # "children"
    label: str  # of the file to choose: "List of children"
    hint: str  # under it: what the file is
    verb: str = "import"  # what confirming does: "Import these children"
    past: str = "imported"  # "This file has been imported"
    # After confirmation: {added} is "3 children", {new} and {changed} the numbers.
    done: str = "{added} added and {changed} brought up to date."


@dataclass(frozen=True)
class ImportTemplate:
    """The empty file to fill in: every heading and, as a workbook, each column's choices in a drop-down."""

    sheet: str
    choices: Callable[[], dict[str, list[tuple[str, str]]]]
    blank_rows: int
    # A second sheet for this user: (its name, its headings, its rows).
    listing: Callable[[User], tuple[str, list[str], list[list]]] | None = None


def _no_context(user: User) -> dict:
    return {}


@dataclass(frozen=True)
class ImportSpec:
    """One kind of file the register takes in, declared once: its columns, how it is read, planned and written."""

    name: str  # its URL names: name (the upload), name_detail, name_confirm, name_problems, name_template
    path: str  # its addresses: path/ for the upload, paths/<id>/ for each file uploaded
    model: type[UploadedList]
    columns: dict[str, list[str]]  # a column's name -> the headings people use; the first is the one shown
    required: frozenset[str]
    # (user, upload, rows, today) -> ImportPlan: what the rows would do; writes nothing.
    plan: Callable[..., ImportPlan]
    # (user, upload, plan): writes the plan, with its audit event, inside the confirmation's transaction.
    write: Callable[..., None]
    checked: AuditAction
    words: ImportWords
    # What a file this user uploads is for, as the upload's own fields ({}: the user's area), or None
    # if they may not upload this kind of file: its pages are then not found.
    scope: Callable[[User], dict | None]
    page: str  # the template of the page the file is uploaded from
    after: str  # the URL name to go to once the file is written
    home: str = ""  # the URL name of the page the file is uploaded from, where that is not its own
    page_context: Callable[[User], dict] = _no_context
    guide: dict[str, str] = field(default_factory=dict)  # what goes in each column, for the upload page
    # (content, filename) -> (rows, problems). By default each row's cells by column name.
    read: Callable[[bytes, str], tuple[list, list[Problem]]] | None = None
    describe: Callable[[object], str] | None = None  # a changed record in a few words, for the check page
    lock: Callable[[UploadedList], None] | None = None  # first in the confirmation: serialises writers
    template: ImportTemplate | None = None
    max_bytes: int = MAX_UPLOAD_BYTES  # the largest file taken; a GIAS extract of all England is far larger

    @property
    def titles(self) -> dict[str, str]:
        return {name: spellings[0] for name, spellings in self.columns.items()}

    def column_guide(self) -> list[tuple[str, bool, str]]:
        """For the upload page: each column's heading, whether it must be filled, and what goes in it."""
        return [(self.titles[name], name in self.required, self.guide.get(name, "")) for name in self.columns]


def import_check(*, spec: ImportSpec, user: User, filename: str, content: bytes, today: date):
    """Keep an uploaded file with what its check found; nothing in the register changes until it is confirmed.

    Returns the upload and the plan. A refused file is not kept: only its problems are.
    """
    upload = spec.model(
        area=user.primary_organisation.area, uploaded_by=user, filename=filename[:255], **_scope(spec, user)
    )
    plan = _plan(spec, user, upload, content, today)
    refused = bool(plan.problems)
    upload.sha256 = "" if refused else hashlib.sha256(content).hexdigest()
    upload.content = b"" if refused else content
    upload.status = UploadedList.Status.REJECTED if refused else UploadedList.Status.CHECKED
    upload.problems = problems_to_store(plan.problems)
    upload.summary = _summary(spec, plan)
    with transaction.atomic():
        upload.save()
        audit_record(
            user=user,
            action=spec.checked,
            object_type=_object_type(upload),
            object_id=upload.public_id,
            detail={"new": len(plan.new), "changed": len(plan.changed), "problems": len(plan.problems)},
        )
    return upload, plan


def import_commit(*, spec: ImportSpec, user: User, upload: UploadedList, today: date) -> ImportPlan:
    """Write a checked file, read and planned again against the register as it is now: all of it, or none of it.

    Problems found now refuse the file, which then keeps only them, as at the check.
    """
    if upload.status != UploadedList.Status.CHECKED:
        raise ValidationError("This file has already been dealt with; upload it again to start afresh.")
    _scope(spec, user, upload)
    try:
        with transaction.atomic():
            if spec.lock:
                spec.lock(upload)
            plan = _plan(spec, user, upload, bytes(upload.content), today)
            if plan.problems:
                upload.status, upload.content, upload.sha256 = UploadedList.Status.REJECTED, b"", ""
                upload.problems = problems_to_store(plan.problems)
                upload.save(update_fields=["status", "content", "sha256", "problems"])
            else:
                spec.write(user=user, upload=upload, plan=plan)
                upload.status = UploadedList.Status.IMPORTED
                upload.save(update_fields=["status"])
    except IntegrityError as clash:
        raise ValidationError(
            "Someone changed the register while this file was being imported, so nothing was imported. Check the file again."
        ) from clash
    if plan.problems:
        raise ValidationError("The register has changed since the file was checked, and the file now has problems.")
    return plan


def import_get(*, spec: ImportSpec, user: User, public_id) -> UploadedList:
    """A file uploaded, to the person who uploaded it only: it holds children's details."""
    upload = spec.model.objects.filter(public_id=public_id, uploaded_by=user).select_related("uploaded_by").first()
    if upload is None:
        raise Http404("Not found")
    return upload


def import_summary(upload: UploadedList) -> ImportSummary:
    """What the check found, as kept with the file: never read again from the file."""
    kept = upload.summary
    return ImportSummary(
        new=kept.get("new", 0),
        changed=kept.get("changed", 0),
        unchanged=kept.get("unchanged", 0),
        changes=[tuple(change) for change in kept.get("changes", [])],
        problems=problems_stored(upload.problems),
        left_out=kept.get("left_out", 0),
    )


def import_template(*, spec: ImportSpec, user: User, as_xlsx: bool = False) -> bytes | str:
    """An empty file with every column, the required ones first; it names no child.

    As a workbook, each column of choices offers them in a drop-down.
    """
    header = list(spec.titles.values())
    if not as_xlsx:
        return csv_text(header, [])
    template = spec.template
    listing = template.listing(user) if template.listing else None
    return xlsx_form(
        header, [], sheet=template.sheet, choices=template.choices(), blank_rows=template.blank_rows, listing=listing
    )


def uploaded_list_write(*, user: User, upload: UploadedList, plan: ImportPlan, records, action: AuditAction) -> None:
    """Write a plan of records with their history: changes first (a placement the file ends makes room
    for the one it adds), then additions; the history records who, and the audit event the counts."""
    with transaction.atomic():
        for fields in {tuple(sorted(changed)) for _record, changed in plan.changed}:
            group = [record for record, changed in plan.changed if tuple(sorted(changed)) == fields]
            bulk_update_with_history(group, records, list(fields), batch_size=500, default_user=user)
        bulk_create_with_history(plan.new, records, batch_size=500, default_user=user)
        audit_record(
            user=user,
            action=action,
            object_type=_object_type(upload),
            object_id=upload.public_id,
            detail={"new": len(plan.new), "changed": len(plan.changed), "unchanged": plan.unchanged},
        )


def _scope(spec: ImportSpec, user: User, upload: UploadedList | None = None) -> dict:
    """What the user's file is for; refused if they may not upload this kind, or no longer for what a file is for."""
    where = spec.scope(user)
    if where is None or (upload is not None and any(getattr(upload, k) != v for k, v in where.items())):
        raise PermissionDenied(f"You cannot {spec.words.verb} this file.")
    return where


def _plan(spec: ImportSpec, user: User, upload: UploadedList, content: bytes, today: date) -> ImportPlan:
    if spec.read:
        rows, problems = spec.read(content, upload.filename)
    else:
        rows, problems = read_rows(content, upload.filename, spec.columns, spec.required)
    if problems:
        return ImportPlan(problems=problems)
    return spec.plan(user=user, upload=upload, rows=rows, today=today)


def _summary(spec: ImportSpec, plan: ImportPlan) -> dict:
    changes = []
    if spec.describe and not plan.problems:
        changes = [
            [spec.describe(record), ", ".join(str(type(record)._meta.get_field(n).verbose_name) for n in fields)]
            for record, fields in plan.changed[:CHANGES_KEPT]
        ]
    summary = {"new": len(plan.new), "changed": len(plan.changed), "unchanged": plan.unchanged, "changes": changes}
    if plan.left_out:
        summary["left_out"] = plan.left_out
    return summary


def _object_type(upload: UploadedList) -> str:
    return str(upload._meta.verbose_name).replace(" ", "_")
