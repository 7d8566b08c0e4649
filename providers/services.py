"""Writes to the provider directory. The LA keeps it; each write is audited."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.access import may_decide_provider_approval, may_keep_provider_directory
from core.audit import audit_record
from core.models import AuditAction, Organisation, OrganisationKind, User
from core.required import missing
from providers.models import ApprovalModel, ApprovalStatus, Provider, ProviderApproval, Registration

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
