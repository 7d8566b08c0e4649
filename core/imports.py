"""The steps every list uploaded to the register goes through: kept and checked, then written all or nothing.

The children and placements imports each say how to read their rows into a plan
(new records, changed records with the fields that change, problems); the keeping,
the second check at confirmation and the write are the same for both, and are here.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.audit import audit_record
from core.models import AuditAction, UploadedList, User
from core.spreadsheets import Problem, problems_stored, problems_to_store


def _object_type(upload: UploadedList) -> str:
    return str(upload._meta.verbose_name).replace(" ", "_")


def uploaded_list_keep(
    *, model: type[UploadedList], user: User, filename: str, content: bytes, plan, action: AuditAction
) -> UploadedList:
    """Keep the uploaded file with what its check found; nothing in the register changes yet.

    A refused file is not kept: only its problems are, so that its page can show them.
    """
    refused = bool(plan.problems)
    with transaction.atomic():
        upload = model.objects.create(
            area=user.primary_organisation.area,
            uploaded_by=user,
            filename=filename[:255],
            sha256="" if refused else hashlib.sha256(content).hexdigest(),
            content=b"" if refused else content,
            status=model.Status.REJECTED if refused else model.Status.CHECKED,
            problems=problems_to_store(plan.problems),
        )
        audit_record(
            user=user,
            action=action,
            object_type=_object_type(upload),
            object_id=upload.public_id,
            detail={"new": len(plan.new), "changed": len(plan.changed), "problems": len(plan.problems)},
        )
    return upload


def uploaded_list_problems(upload: UploadedList) -> list[Problem]:
    """The problems a refused file was kept with."""
    return problems_stored(upload.problems)


def uploaded_list_commit(*, user: User, upload: UploadedList, plan, records, action: AuditAction):
    """Write a checked file, planned again against the register as it is now: all of it, or none of it."""
    if upload.status != UploadedList.Status.CHECKED:
        raise ValidationError("This file has already been dealt with; upload it again to start afresh.")
    if plan.problems:
        raise ValidationError("The register has changed since the file was checked, and the file now has problems.")
    try:
        uploaded_list_write(user=user, upload=upload, plan=plan, records=records, action=action)
    except IntegrityError as clash:
        raise ValidationError(
            "Someone changed the register while this file was being imported, so nothing was imported. Check the file again."
        ) from clash
    return plan


def uploaded_list_write(*, user: User, upload: UploadedList, plan, records, action: AuditAction) -> None:
    """Changes first (a placement the file ends makes room for the one it adds), then additions; history records who."""
    with transaction.atomic():
        for fields in {tuple(sorted(changed)) for _record, changed in plan.changed}:
            group = [record for record, changed in plan.changed if tuple(sorted(changed)) == fields]
            bulk_update_with_history(group, records, list(fields), batch_size=500, default_user=user)
        bulk_create_with_history(plan.new, records, batch_size=500, default_user=user)
        type(upload).objects.filter(pk=upload.pk).update(status=UploadedList.Status.IMPORTED)
        audit_record(
            user=user,
            action=action,
            object_type=_object_type(upload),
            object_id=upload.public_id,
            detail={"new": len(plan.new), "changed": len(plan.changed), "unchanged": plan.unchanged},
        )
