"""Writes to the provider directory. The LA keeps it; each write is audited."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.access import may_decide_provider_approval, may_import_establishments, may_keep_provider_directory
from core.audit import audit_record
from core.geo import postcode_location
from core.models import AuditAction, Organisation, OrganisationKind, UploadedList, User
from core.required import missing
from providers.models import (
    ApprovalModel,
    ApprovalStatus,
    Provider,
    ProviderApproval,
    ProviderContact,
    ProviderSite,
    Registration,
    next_area_reference,
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
    _place(provider)
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


def _place(provider: Provider) -> None:
    """Where the main site is, for the directory's distances: its postcode district's centre, when the postcode is
    new or nothing placed it yet (a GIAS import places a setting by its own easting and northing)."""
    if provider.pk and provider.latitude is not None:
        before = Provider.objects.filter(pk=provider.pk).values_list("postcode", flat=True).first()
        if before == provider.postcode:
            return
    provider.latitude, provider.longitude = postcode_location(provider.postcode) or (None, None)


DIRECTORY_FIELDS = ("key_stages", "qualifications", "qualified_teachers", "cost_per_day", "cost_per_session")


def provider_directory_update(*, user: User, provider: Provider, data: dict) -> Provider:
    """Change what the directory shows of a provider's offer: key stages, qualifications, qualified teachers, costs,
    and the school whose AP it is when it runs on a school's site but not under the school's URN. The LA may."""
    if not may_keep_provider_directory(user):
        raise PermissionDenied("Only the local authority keeps the provider directory.")
    school = data.get("school_site_of")
    if school is not None and (
        school.kind != OrganisationKind.SCHOOL or school.area_id != provider.organisation.area_id
    ):
        raise ValidationError({"school_site_of": "Choose a school of the area"})
    for name in DIRECTORY_FIELDS:
        setattr(provider, name, data.get(name))
    provider.key_stages = list(data.get("key_stages") or [])
    provider.qualifications = list(data.get("qualifications") or [])
    provider.school_site_of = school
    provider.full_clean()
    with transaction.atomic():
        provider.save()
        audit_record(
            user=user,
            action=AuditAction.PROVIDER_DIRECTORY_CHANGED,
            object_type="provider",
            object_id=provider.public_id,
        )
    return provider


def provider_site_add(*, user: User, provider: Provider, data: dict) -> ProviderSite:
    """Add another site of a provider, placed by its postcode for the directory's distances. The LA may."""
    if not may_keep_provider_directory(user):
        raise PermissionDenied("Only the local authority keeps the provider directory.")
    site = ProviderSite(provider=provider, name=data["name"].strip(), address=data["address"].strip())
    site.postcode = data["postcode"]
    site.latitude, site.longitude = postcode_location(site.postcode) or (None, None)
    site.full_clean()
    with transaction.atomic():
        site.save()
        audit_record(
            user=user,
            action=AuditAction.PROVIDER_SITE_ADDED,
            object_type="provider",
            object_id=provider.public_id,
            detail={"site": str(site.public_id)},
        )
    return site


def provider_contact_add(*, user: User, provider: Provider, data: dict) -> ProviderContact:
    """Add someone to speak to at a provider, with an email address or a phone number or both. The LA may."""
    if not may_keep_provider_directory(user):
        raise PermissionDenied("Only the local authority keeps the provider directory.")
    if not (data.get("email") or "").strip() and not (data.get("phone") or "").strip():
        raise ValidationError({"email": "Enter an email address or a phone number, or both"})
    contact = ProviderContact(
        provider=provider,
        name=data["name"].strip(),
        role=data["role"].strip(),
        email=(data.get("email") or "").strip(),
        phone=(data.get("phone") or "").strip(),
    )
    contact.full_clean()
    with transaction.atomic():
        contact.save()
        audit_record(
            user=user,
            action=AuditAction.PROVIDER_CONTACT_ADDED,
            object_type="provider",
            object_id=provider.public_id,
            detail={"contact": str(contact.public_id)},
        )
    return contact


def gias_import_write(*, user: User, upload: UploadedList, plan) -> None:
    """Write a checked GIAS extract: the settings it adds (their organisation, then the provider, each given the
    area's next reference) and the ones it brings up to date, in bulk, with their history and one audit event.

    A file that changes nothing writes nothing: no history, no event."""
    if not may_import_establishments(user):
        raise PermissionDenied("Only the local authority imports settings from Get Information about Schools.")
    if not (plan.new or plan.changed):
        return
    with transaction.atomic():
        if plan.organisations_changed:
            Organisation.objects.bulk_update(plan.organisations_changed, ["name"], batch_size=500)
        for fields in {tuple(sorted(set(changed) - {"organisation"})) for _record, changed in plan.changed}:
            group = [p for p, changed in plan.changed if tuple(sorted(set(changed) - {"organisation"})) == fields]
            if not fields:
                continue
            bulk_update_with_history(group, Provider, list(fields), batch_size=500, default_user=user)
        organisations = Organisation.objects.bulk_create([p.organisation for p in plan.new], batch_size=500)
        la_code = upload.area.la_code
        reference = next_area_reference(la_code, Provider.objects)
        number = int(reference.rsplit("-", 1)[1])
        for offset, (provider, organisation) in enumerate(zip(plan.new, organisations, strict=True)):
            provider.organisation = organisation
            provider.area_reference = f"AP-{la_code}-{number + offset:03d}"
        bulk_create_with_history(plan.new, Provider, batch_size=500, default_user=user)
        audit_record(
            user=user,
            action=AuditAction.GIAS_IMPORTED,
            object_type="gias_import",
            object_id=upload.public_id,
            detail={"new": len(plan.new), "changed": len(plan.changed), "unchanged": plan.unchanged},
        )
