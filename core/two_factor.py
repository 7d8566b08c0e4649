"""A second factor at sign-in: an authenticator app's 6-digit code, with one-time backup codes.

django-otp keeps the devices and checks the codes (with its own throttling after wrong
guesses). Here: who must use it, setting it up, and a manager resetting it for someone
who lost their phone. `TWO_FACTOR_REQUIRED` turns it on; production always has it on.
"""

import base64

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.access import may_manage_person
from core.audit import audit_record
from core.models import AuditAction, Membership, User

BACKUP_CODES = 10
# After each wrong code, django-otp makes the next try wait a little longer.
TOO_MANY = "Too many wrong codes. Wait a few seconds, then enter the code your app shows now."


def two_factor_exempt(view):
    """Mark a view that a signed-in person may reach before giving their code (setting it up, signing out)."""
    view.two_factor_exempt = True
    return view


class TwoFactorMiddleware:
    """Sends a signed-in person who has not given a code to give one, or to set up their app first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if (
            not settings.TWO_FACTOR_REQUIRED
            or not user.is_authenticated
            or user.is_verified()
            or getattr(view_func, "two_factor_exempt", False)
            or not getattr(view_func, "login_required", True)
        ):
            return None
        step = "two_factor_verify" if user_has_device(user, confirmed=True) else "two_factor_setup"
        return HttpResponseRedirect(f"{reverse(step)}?next={request.get_full_path()}")


def next_url(request) -> str:
    """Where to go after the code: the page asked for, if it is ours."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse(settings.LOGIN_REDIRECT_URL)


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The app this person is setting up: made once, kept until they confirm it with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in the base 32 an app asks for when the QR code cannot be scanned, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def two_factor_confirm(*, request, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the app with its first code; returns the backup codes, shown once."""
    allowed, _why = device.verify_is_allowed()
    if not allowed:
        raise ValidationError({"code": TOO_MANY})
    if not device.verify_token(code.replace(" ", "")):
        raise ValidationError({"code": "That code is not right. Enter the 6-digit code your app shows now."})
    user = request.user
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        StaticDevice.objects.filter(user=user).delete()
        backup = StaticDevice.objects.create(user=user, name="Backup codes")
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=backup, token=c) for c in codes)
        audit_record(user=user, action=AuditAction.TWO_FACTOR_SET_UP, object_type="user", object_id=user.public_id)
    otp_login(request, device)
    return codes


def two_factor_verify(*, request, code: str) -> None:
    """Accept a code from the app, or one of the backup codes (each works once)."""
    device = match_token(request.user, code.replace(" ", "").lower())
    if device is None:
        raise ValidationError(
            {"code": "That code is not right. Enter the code your app shows now, or one of your backup codes."}
        )
    otp_login(request, device)


def two_factor_reset(*, user: User, membership: Membership) -> None:
    """Remove a person's app and backup codes (a lost phone): they set it up again when they next sign in.

    Only a manager of every organisation the person works for may: a second factor guards the most
    any of their organisations lets them see. Not for someone who has not signed in since they were
    added: whether they have an app, or are anyone else's to reset, would show whether the address
    had an account (Membership.signed_in_since_added).
    """
    person = membership.user
    if not membership.signed_in_since_added:
        raise ValidationError("They have not signed in since they were added: they have no app to reset yet.")
    if not may_manage_person(user=user, person=person):
        raise ValidationError(
            "You cannot reset this person's app: they also work for an organisation you do not manage, "
            "or it is your own. Ask the local authority to reset it."
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=person).delete()
        StaticDevice.objects.filter(user=person).delete()
        audit_record(user=user, action=AuditAction.TWO_FACTOR_RESET, object_type="user", object_id=person.public_id)


def has_two_factor(person: User) -> bool:
    return user_has_device(person, confirmed=True)
