"""API keys: made and revoked by an organisation's own staff, checked on every API call.

A key is shown once, when it is made; only its SHA-256 hash is kept, so a copy of the
database gives nobody a working key.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from core.audit import audit_record
from core.models import ApiToken, AuditAction, Organisation, OrganisationKind, User

# The organisations whose systems call the API: a setting's register, a school's MIS, the LA's.
API_KINDS = (OrganisationKind.AP_PROVIDER, OrganisationKind.SCHOOL, OrganisationKind.LOCAL_AUTHORITY)
# Writing "last used" on every call would turn each read into a write; once a minute says enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def api_organisation_for(*, user: User) -> Organisation | None:
    """The organisation whose API keys this person looks after, if it is one that may have keys."""
    organisation = user.primary_organisation
    if organisation is None or organisation.kind not in API_KINDS:
        return None
    return organisation


def api_tokens_for(*, organisation: Organisation) -> QuerySet:
    """Every key an organisation has made, newest first, revoked ones included."""
    return ApiToken.objects.filter(organisation=organisation).select_related("created_by")


def api_token_get_for_user(*, user: User, public_id) -> ApiToken:
    """One key of the person's own organisation, or 404 alike for missing and another organisation's."""
    organisation = api_organisation_for(user=user)
    try:
        return ApiToken.objects.get(public_id=public_id, organisation=organisation)
    except (ApiToken.DoesNotExist, ValueError) as missing:
        raise Http404("No API key found.") from missing


def _check_member(user: User, organisation: Organisation) -> None:
    if organisation.kind not in API_KINDS or all(o.pk != organisation.pk for o in user.organisations):
        raise PermissionDenied("Only the organisation's own staff can manage its API keys.")


def api_token_create(*, user: User, organisation: Organisation, name: str) -> tuple[ApiToken, str]:
    """Make a key for the organisation; returns the token and the key, which is never stored."""
    _check_member(user, organisation)
    key = ApiToken.new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(
            organisation=organisation, name=name, key_hash=ApiToken.hash_key(key), created_by=user
        )
        audit_record(
            user=user,
            action=AuditAction.API_TOKEN_CREATED,
            object_type="api_token",
            object_id=token.public_id,
            organisation=organisation,
            detail={"name": name},
        )
    return token, key


def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    """Stop a key working from now on. Revoking a revoked key changes nothing."""
    _check_member(user, token.organisation)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            user=user,
            action=AuditAction.API_TOKEN_REVOKED,
            object_type="api_token",
            object_id=token.public_id,
            organisation=token.organisation,
            detail={"name": token.name},
        )
    return token


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The live token for a key, with its organisation and creator; None for an unknown or revoked key."""
    if not key.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("organisation__area", "created_by")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
