"""Managing people's accounts, and setting a password from the link an account's email carries."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from core.access import managed_organisations, may_manage_accounts, may_set_record_access
from core.accounts import (
    account_change,
    account_create,
    account_link_send,
    account_set_active,
    membership_get_for_manager,
    membership_remove,
    memberships_managed_by,
)
from core.forms import GovukForm, GovukFormMixin, run_service
from core.models import ROLES_BY_KIND, Membership, OrganisationKind
from core.two_factor import has_two_factor, two_factor_reset


class AccountForm(GovukForm):
    first_name = forms.CharField(label="First name", max_length=150, error_messages={"required": "Enter a first name"})
    last_name = forms.CharField(label="Last name", max_length=150, error_messages={"required": "Enter a last name"})
    email = forms.EmailField(
        label="Email address",
        help_text="Their work address. It is their username, and the link to set a password goes there.",
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address like name@example.org",
        },
    )
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=None, error_messages={"required": "Choose the organisation they work for"}
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Membership.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose one of the roles listed"},
    )
    may_export_returns = forms.BooleanField(
        label="May produce inspection returns",
        required=False,
        help_text="Local authority staff only: the Annex A return and other person-level exports",
    )
    may_manage_accounts = forms.BooleanField(
        label="May manage accounts",
        required=False,
        help_text="Add people and change their roles: the whole area for the local authority, else their organisation",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = managed_organisations(user=user)
        self.fields["organisation"].queryset = organisations
        # Only the roles the organisations this manager looks after can hold.
        kinds = set(organisations.values_list("kind", flat=True))
        self.fields["role"].choices = [
            (role, label) for role, label in Membership.Role.choices if any(role in ROLES_BY_KIND[k] for k in kinds)
        ]


class AccountChangeForm(AccountForm):
    """The role and permissions in one organisation; the name, address and organisation stay."""

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email", "organisation"):
            del self.fields[name]
        self.fields["role"].choices = [(r, Membership.Role(r).label) for r in ROLES_BY_KIND[organisation.kind]]
        if organisation.kind != OrganisationKind.LOCAL_AUTHORITY:
            del self.fields["may_export_returns"]


class GovukSetPasswordForm(GovukFormMixin, SetPasswordForm):
    pass


class GovukPasswordResetForm(GovukFormMixin, PasswordResetForm):
    pass


def _manager_only(request) -> None:
    if not may_manage_accounts(request.user):
        raise Http404("Not found")


def account_list(request):
    _manager_only(request)
    memberships = memberships_managed_by(user=request.user)
    organisations = managed_organisations(user=request.user)
    chosen = request.GET.get("organisation", "")
    if chosen in {str(o.public_id) for o in organisations}:
        memberships = memberships.filter(organisation__public_id=chosen)
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/accounts/account_list.html",
        {
            "page": page,
            "organisations": organisations,
            "chosen": chosen,
            "area": request.user.primary_organisation.area,
            "may_set_record_access": may_set_record_access(
                user=request.user, area_id=request.user.primary_organisation.area_id
            ),
        },
    )


def account_new(request):
    _manager_only(request)
    form = AccountForm(request.POST or None, user=request.user)
    if request.method == "POST":
        membership = run_service(form, lambda data: account_create(user=request.user, data=data))
        if membership:
            # The same words whether the address is new or already has an account elsewhere.
            email = form.cleaned_data["email"].strip().lower()
            messages.success(request, f"Account added. {email} has been sent an email saying how to sign in.")
            return redirect("account_list")
    return render(
        request,
        "form_page.html",
        {"form": form, "title": "Add a person", "back_url": reverse("account_list"), "submit": "Add and send the link"},
    )


def account_detail(request, public_id):
    _manager_only(request)
    membership = membership_get_for_manager(user=request.user, public_id=public_id)
    initial = {f: getattr(membership, f) for f in ("role", "may_export_returns", "may_manage_accounts")}
    form = AccountChangeForm(
        request.POST or None, user=request.user, initial=initial, organisation=membership.organisation
    )
    if request.method == "POST" and run_service(
        form, lambda data: account_change(user=request.user, membership=membership, data=data)
    ):
        messages.success(request, "Changes saved.")
        return redirect("account_detail", public_id=public_id)
    return render(
        request,
        "core/accounts/account_detail.html",
        {
            "membership": membership,
            "person": membership.user,
            "form": form,
            # Nothing of the account itself until they sign in: see Membership.signed_in_since_added.
            "has_two_factor": membership.signed_in_since_added and has_two_factor(membership.user),
        },
    )


def _act(request, public_id, action, done: str):
    _manager_only(request)
    membership = membership_get_for_manager(user=request.user, public_id=public_id)
    try:
        action(membership)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, done)
    return redirect("account_detail", public_id=public_id)


@require_POST
def account_deactivate(request, public_id):
    return _act(
        request,
        public_id,
        lambda m: account_set_active(user=request.user, membership=m, active=False),
        "The account is stopped: they cannot sign in.",
    )


@require_POST
def account_reactivate(request, public_id):
    return _act(
        request,
        public_id,
        lambda m: account_set_active(user=request.user, membership=m, active=True),
        "They can sign in again.",
    )


@require_POST
def account_link(request, public_id):
    return _act(
        request,
        public_id,
        lambda m: account_link_send(user=request.user, membership=m),
        "A new link to set a password has been sent.",
    )


@require_POST
def account_two_factor_reset(request, public_id):
    return _act(
        request,
        public_id,
        lambda m: two_factor_reset(user=request.user, membership=m),
        "Their authenticator app is removed. They set it up again when they next sign in.",
    )


@require_POST
def account_remove(request, public_id):
    _manager_only(request)
    membership = membership_get_for_manager(user=request.user, public_id=public_id)
    try:
        membership_remove(user=request.user, membership=membership)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("account_detail", public_id=public_id)
    messages.success(request, f"{membership.entered_name} is removed from {membership.organisation.name}.")
    return redirect("account_list")


# Setting a password: Django's own views, with GOV.UK forms.
password_reset = auth_views.PasswordResetView.as_view(
    form_class=GovukPasswordResetForm,
    success_url=reverse_lazy("password_reset_done"),
    subject_template_name="registration/password_reset_subject.txt",
)
password_reset_done = auth_views.PasswordResetDoneView.as_view()
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    form_class=GovukSetPasswordForm, success_url=reverse_lazy("password_reset_complete")
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()
