"""Writes to the provider directory. The LA keeps it; each write is audited."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.access import (
    check_confirmation_commissioners,
    may_decide_provider_approval,
    may_keep_provider_directory,
    may_record_provider_check,
    may_set_check_expiry_days,
)
from core.areas import area_settings_save
from core.audit import audit_record
from core.codes import code_set
from core.documents import document_read
from core.models import AuditAction, Organisation, OrganisationKind, User
from core.required import is_blank, missing
from providers.models import (
    ApprovalModel,
    ApprovalStatus,
    CheckOutcome,
    Provider,
    ProviderApproval,
    ProviderCheck,
    Registration,
    check_default_expiry,
    check_type_info,
)

ORGANISATION_FIELDS = ("name", "urn")


def _check_registration(provider: Provider, urn: str) -> None:
    """How a setting is identified follows from its registration, as the AP census records it."""
    errors = {}
    if provider.registration == Registration.INDEPENDENT_UNREGISTERED:
        if urn:
            errors["urn"] = "An unregistered setting has no URN; choose a registered status or leave the URN blank"
        if not provider.ukprn and not provider.ap_setting_type:
            errors["ap_setting_type"] = "For a setting with no URN or UKPRN, select its AP setting type"
    else:
        if not urn:
            errors["urn"] = "Enter the setting's URN from Get Information about Schools"
        if not provider.gias_establishment_type:
            errors["gias_establishment_type"] = (
                "Select the setting's establishment type in Get Information about Schools"
            )
    if errors:
        raise ValidationError(errors)


def _save(*, user: User, provider: Provider, organisation: Organisation, data: dict, action: AuditAction) -> Provider:
    if not may_keep_provider_directory(user):
        raise PermissionDenied("Only the local authority keeps the provider directory.")
    for name in ORGANISATION_FIELDS:
        setattr(organisation, name, data.pop(name))
    for name, value in data.items():
        setattr(provider, name, value)
    _check_registration(provider, organisation.urn)
    organisation.full_clean()
    with transaction.atomic():
        organisation.save()
        provider.organisation = organisation
        provider.full_clean()
        provider.save()
        audit_record(user=user, action=action, object_type="provider", object_id=provider.public_id)
    return provider


def provider_create(*, user: User, data: dict) -> Provider:
    """Add a setting to the area's directory."""
    area = user.primary_organisation.area
    organisation = Organisation(kind=OrganisationKind.AP_PROVIDER, area=area)
    return _save(
        user=user, provider=Provider(), organisation=organisation, data=dict(data), action=AuditAction.PROVIDER_CREATED
    )


def provider_update(*, user: User, provider: Provider, data: dict) -> Provider:
    """Change a setting's details; the history keeps the old values."""
    return _save(
        user=user,
        provider=provider,
        organisation=provider.organisation,
        data=dict(data),
        action=AuditAction.PROVIDER_CHANGED,
    )


APPROVAL_REQUIRED = {
    "status": "Choose the provider's approval",
    "approval_model": "Choose how the area came to it",
    "reason": "Enter why: for approval with conditions, the conditions",
    "decided_on": "Enter the date it was decided",
}


def provider_approval_record(*, user: User, provider: Provider, data: dict) -> ProviderApproval:
    """Record the area's decision on a provider's approval (approved, with conditions, under review, suspended,
    not approved), with how it was reached, why, when, and when it is looked at again.

    The LA may. A decision is never changed: a new one is recorded, and the earlier ones are its history.
    """
    if not may_decide_provider_approval(user):
        raise PermissionDenied("Only the local authority decides a provider's approval.")
    errors = missing(data, APPROVAL_REQUIRED)
    if data.get("status") and data["status"] not in ApprovalStatus.values:
        errors.setdefault("status", []).append("Choose the provider's approval from the list")
    if data.get("approval_model") and data["approval_model"] not in ApprovalModel.values:
        errors.setdefault("approval_model", []).append("Choose how the area came to it from the list")
    decided_on, review_by = data.get("decided_on"), data.get("review_by")
    if decided_on and decided_on > date.today():
        errors.setdefault("decided_on", []).append("The date decided must be today or in the past")
    if decided_on and review_by and review_by <= decided_on:
        errors.setdefault("review_by", []).append("The review date must be after the date decided")
    if errors:
        raise ValidationError(errors)
    approval = ProviderApproval(
        provider=provider,
        status=data["status"],
        approval_model=data["approval_model"],
        reason=data["reason"].strip(),
        decided_on=decided_on,
        review_by=review_by,
        decided_by=user,
    )
    approval.full_clean()
    with transaction.atomic():
        approval.save()
        audit_record(
            user=user,
            action=AuditAction.PROVIDER_APPROVAL_DECIDED,
            object_type="provider",
            object_id=provider.public_id,
            detail={"status": approval.status, "approval_model": approval.approval_model},
        )
    return approval


# Safeguarding and compliance checks (issue 13, item 3).

# What a check's evidence may be: documents and the photographs or scans of certificates.
CHECK_EVIDENCE_TYPES = {".pdf", ".docx", ".doc", ".odt", ".rtf", ".jpg", ".jpeg", ".png"}
CHECK_REQUIRED = {
    "check_type": "Choose the check",
    "outcome": "Choose what was found",
    "seen_by": "Enter who saw the evidence, with their role",
    "seen_on": "Enter the date the evidence was seen",
}
NAMED_PEOPLE_REQUIRED = {
    "dsl_name": "Enter the name of the designated safeguarding lead",
    "dsl_trained_on": "Enter the date of the lead's latest safeguarding lead training",
    "deputy_name": "Enter the name of the deputy designated safeguarding lead",
    "deputy_trained_on": "Enter the date of the deputy's latest safeguarding lead training",
}


def _check_errors(data: dict, today: date) -> dict:
    errors = missing(data, CHECK_REQUIRED)
    check_type, outcome, seen_on = data.get("check_type"), data.get("outcome"), data.get("seen_on")
    if check_type and check_type not in code_set("provider_check_type"):
        errors.setdefault("check_type", []).append("Choose the check from the list")
        check_type = None
    if outcome and outcome not in CheckOutcome.values:
        errors.setdefault("outcome", []).append("Choose what was found from the list")
    if outcome == CheckOutcome.NOT_APPLICABLE and check_type and check_type_info(check_type)["may_not_apply"] != "Y":
        errors.setdefault("outcome", []).append(
            "Every setting needs this check: choose seen and satisfactory, seen with concerns, or not provided"
        )
    if outcome and outcome != CheckOutcome.NOT_PROVIDED and is_blank(data.get("evidence")):
        errors.setdefault("evidence", []).append("Enter the evidence seen: what it was and what it showed")
    if seen_on and seen_on > today:
        errors.setdefault("seen_on", []).append("The date seen must be today or in the past")
    seen = outcome in (CheckOutcome.SATISFACTORY, CheckOutcome.CONCERNS)
    if check_type and seen and check_type_info(check_type)["names_people"] == "Y":
        for name, message in missing(data, NAMED_PEOPLE_REQUIRED).items():
            errors.setdefault(name, []).extend(message)
    for name, who in (("dsl_trained_on", "The lead's"), ("deputy_trained_on", "The deputy's")):
        trained_on = data.get(name)
        if trained_on and trained_on > today:
            errors.setdefault(name, []).append(f"{who} training date must be today or in the past")
        elif trained_on and seen_on and not data.get("expires_on") and check_type:
            months = int(check_type_info(check_type)["valid_months"])
            if trained_on + relativedelta(months=months) <= seen_on:
                errors.setdefault(name, []).append(
                    f"{who} training was more than {months} months before the date seen: "
                    "the training must be renewed (Keeping children safe in education: at least every two years)"
                )
    expires_on = data.get("expires_on")
    if expires_on and seen_on and expires_on <= seen_on:
        errors.setdefault("expires_on", []).append("The expiry date must be after the date seen")
    return errors


def provider_check_record(
    *, user: User, provider: Provider, data: dict, upload=None, today: date | None = None
) -> ProviderCheck:
    """Record a check of a provider: what was seen, by whom, when, with what outcome, and when it expires.

    The LA of the area or the provider itself may. The evidence must be described unless it was not provided; a
    file, if given, is read as every uploaded document is (core.documents). Without an expiry date the kind's
    validity (core/reference/provider_check_types.csv) sets it. A check is never changed: made again, it is a new
    record, and the latest counts.
    """
    if not may_record_provider_check(user=user, provider=provider):
        raise PermissionDenied("Only the local authority or the provider itself records the provider's checks.")
    today = today or date.today()
    errors = _check_errors(data, today)
    filename, content = "", b""
    if upload is not None:
        try:
            filename, content = document_read(
                upload, allowed=CHECK_EVIDENCE_TYPES, described="a PDF, Word, OpenDocument, RTF, JPEG or PNG file"
            )
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                errors.setdefault(name, []).extend(problems)
    if errors:
        raise ValidationError(errors)
    names = check_type_info(data["check_type"])["names_people"] == "Y"
    check = ProviderCheck(
        provider=provider,
        check_type=data["check_type"],
        outcome=data["outcome"],
        evidence=(data.get("evidence") or "").strip(),
        filename=filename,
        content=content,
        dsl_name=(data.get("dsl_name") or "").strip() if names else "",
        dsl_trained_on=data.get("dsl_trained_on") if names else None,
        deputy_name=(data.get("deputy_name") or "").strip() if names else "",
        deputy_trained_on=data.get("deputy_trained_on") if names else None,
        seen_by=data["seen_by"].strip(),
        seen_on=data["seen_on"],
        expires_on=data.get("expires_on")
        or check_default_expiry(
            check_type=data["check_type"],
            seen_on=data["seen_on"],
            dsl_trained_on=data.get("dsl_trained_on") if names else None,
            deputy_trained_on=data.get("deputy_trained_on") if names else None,
        ),
        notes=(data.get("notes") or "").strip(),
        recorded_by=user,
        recorded_for=_recording_organisation(user, provider),
    )
    check.full_clean()
    with transaction.atomic():
        check.save()
        audit_record(
            user=user,
            action=AuditAction.PROVIDER_CHECK_RECORDED,
            object_type="provider",
            object_id=provider.public_id,
            detail={
                "check": str(check.public_id),
                "check_type": check.check_type,
                "outcome": check.outcome,
                "expires_on": check.expires_on.isoformat(),
                "evidence_file": bool(filename),
            },
        )
    return check


def _recording_organisation(user: User, provider: Provider) -> Organisation:
    """The provider when its own staff record; else the LA of the area."""
    for organisation in user.organisations:
        if organisation.pk == provider.organisation_id:
            return organisation
    return next(
        o
        for o in user.organisations
        if o.kind == OrganisationKind.LOCAL_AUTHORITY and o.area_id == provider.organisation.area_id
    )


def check_confirmation_produce(
    *, user: User, provider: Provider, commissioner: Organisation, html: str, as_pdf: bool
) -> bytes | None:
    """Produce a provider's written confirmation of checks for one commissioner, as a printable page or a PDF.

    Only for a commissioner check_confirmation_commissioners allows this user. Every production is audited, with
    the gaps it showed (a required check missing, expired or of concern): the document says so on its face.
    """
    allowed = check_confirmation_commissioners(user=user, provider=provider)
    if not allowed.filter(pk=commissioner.pk).exists():
        raise PermissionDenied("You may produce a confirmation of checks only for a commissioner you act for.")
    body = None
    if as_pdf:
        # WeasyPrint takes about a second to import: loaded when a PDF is asked for, not by every process.
        from core.pdf import pdf_from_html

        body = pdf_from_html(html)
    with transaction.atomic():
        audit_record(
            user=user,
            action=AuditAction.CHECK_CONFIRMATION_PRODUCED,
            object_type="provider",
            object_id=provider.public_id,
            detail={"commissioner": str(commissioner.public_id), "format": "pdf" if as_pdf else "html"},
        )
    return body


def area_check_expiry_days_update(*, user: User, area, data: dict):
    """How many days ahead the area lists a provider's check as expiring: its LA."""
    if not may_set_check_expiry_days(user=user, area_id=area.pk):
        raise PermissionDenied("Only the local authority sets when checks are listed as expiring.")
    return area_settings_save(user=user, area=area, data=data, action=AuditAction.CHECK_EXPIRY_DAYS_CHANGED)
