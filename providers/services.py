"""Writes to the provider directory. The LA keeps it; each write is audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.access import may_keep_provider_directory
from core.audit import audit_record
from core.models import AuditAction, Organisation, OrganisationKind, User
from providers.models import Provider, Registration

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
