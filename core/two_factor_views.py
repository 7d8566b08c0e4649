"""Setting up an authenticator app, and giving its code at sign-in."""

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse

from core.forms import GovukForm, run_service
from core.qr import qr_svg
from core.two_factor import (
    has_two_factor,
    next_url,
    secret_for_typing,
    totp_device_pending,
    two_factor_confirm,
    two_factor_exempt,
    two_factor_verify,
)


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code",
        max_length=20,
        error_messages={"required": "Enter the code"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
    )


@two_factor_exempt
def two_factor_setup(request):
    if has_two_factor(request.user) and not request.user.is_verified():
        # Someone with only the password must not swap in an app of their own.
        return redirect(f"{reverse('two_factor_verify')}?next={next_url(request)}")
    device = totp_device_pending(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        codes = run_service(form, lambda data: two_factor_confirm(request=request, device=device, code=data["code"]))
        if codes:
            response = render(request, "core/two_factor/backup_codes.html", {"codes": codes, "next": next_url(request)})
            # The backup codes are shown once: no browser or proxy may keep a copy.
            response["Cache-Control"] = "no-store"
            return response
    response = render(
        request,
        "core/two_factor/setup.html",
        {
            "form": form,
            "qr_code": qr_svg(device.config_url),
            "secret": secret_for_typing(device),
            "next": next_url(request),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@two_factor_exempt
def two_factor_verify_view(request):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and run_service(
        form, lambda data: two_factor_verify(request=request, code=data["code"]) or True
    ):
        return redirect(next_url(request))
    return render(request, "core/two_factor/verify.html", {"form": form, "next": next_url(request)})
