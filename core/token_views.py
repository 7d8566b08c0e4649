"""The API keys page: an organisation's staff make keys for their systems and revoke them."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.forms import GovukForm, run_service
from core.tokens import api_organisation_for, api_token_create, api_token_get_for_user, api_token_revoke, api_tokens_for


class ApiTokenForm(GovukForm):
    name = forms.CharField(
        label="Name of the key",
        max_length=100,
        help_text="Which system will use it, for example 'SIMS export'",
        error_messages={"required": "Enter a name for the key", "max_length": "Name must be 100 characters or fewer"},
    )


def _organisation_or_404(request):
    organisation = api_organisation_for(user=request.user)
    if organisation is None:
        raise Http404("Not found")
    return organisation


def api_keys(request):
    organisation = _organisation_or_404(request)
    form = ApiTokenForm(request.POST or None)
    new_token, new_key = None, None
    if request.method == "POST":
        made = run_service(
            form, lambda data: api_token_create(user=request.user, organisation=organisation, name=data["name"])
        )
        if made:
            (new_token, new_key), form = made, ApiTokenForm()
    response = render(
        request,
        "core/api_tokens.html",
        {
            "organisation": organisation,
            "tokens": api_tokens_for(organisation=organisation),
            "form": form,
            "new_token": new_token,
            "new_key": new_key,
        },
    )
    # The new key is shown on this page once: no browser or proxy may keep a copy.
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def api_key_revoke(request, public_id):
    _organisation_or_404(request)
    token = api_token_get_for_user(user=request.user, public_id=public_id)
    api_token_revoke(user=request.user, token=token)
    messages.success(request, f"The key '{token.name}' is revoked. Systems using it can no longer call the API.")
    return redirect("api_keys")
