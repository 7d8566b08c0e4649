from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from core.access import (
    check_confirmation_commissioners,
    may_decide_provider_approval,
    may_keep_provider_directory,
    may_open_check_evidence,
    may_produce_check_confirmation,
    may_record_provider_check,
    may_see_checks_expiring,
    may_see_provider_checks,
    may_set_check_expiry_days,
)
from core.codes import code_set
from core.downloads import attachment
from core.forms import run_service
from core.models import OrganisationKind
from providers.forms import ApprovalForm, CheckConfirmationForm, CheckExpiryDaysForm, ProviderCheckForm, ProviderForm
from providers.models import Provider, ProviderCheck
from providers.selectors import (
    checks_expiring,
    checks_expiring_count,
    provider_approvals,
    provider_check_get,
    provider_check_history,
    provider_compliance,
    provider_get,
    provider_placements,
    providers_for,
)
from providers.services import (
    area_check_expiry_days_update,
    check_confirmation_produce,
    provider_approval_record,
    provider_check_record,
    provider_create,
    provider_update,
)


def provider_list(request):
    return render(
        request,
        "providers/provider_list.html",
        {
            "providers": providers_for(user=request.user),
            "can_add": may_keep_provider_directory(request.user),
            "checks_expiring": checks_expiring_count(user=request.user)
            if may_see_checks_expiring(request.user)
            else None,
        },
    )


def _provider_or_404(user, public_id):
    try:
        return provider_get(user=user, public_id=public_id)
    except Provider.DoesNotExist as missing:
        raise Http404("No provider found.") from missing


def provider_detail(request, public_id):
    provider = _provider_or_404(request.user, public_id)
    placements = provider_placements(user=request.user, provider=provider)
    return render(
        request,
        "providers/provider_detail.html",
        {
            "provider": provider,
            "placements": placements,
            "approvals": provider_approvals(provider=provider),
            "can_edit": may_keep_provider_directory(request.user),
            "can_decide": may_decide_provider_approval(request.user),
            "compliance": provider_compliance(provider=provider)
            if may_see_provider_checks(user=request.user, provider=provider)
            else None,
        },
    )


def provider_new(request):
    if not may_keep_provider_directory(request.user):
        raise Http404("Not found")
    form = ProviderForm(request.POST or None)
    if request.method == "POST":
        provider = run_service(form, lambda data: provider_create(user=request.user, data=data))
        if provider:
            messages.success(request, f"{provider.name} added to the directory.")
            return redirect(provider)
    return render(
        request, "form_page.html", {"form": form, "title": "Add a provider", "back_url": reverse("provider_list")}
    )


def provider_edit(request, public_id):
    if not may_keep_provider_directory(request.user):
        raise Http404("Not found")
    provider = _provider_or_404(request.user, public_id)
    form = ProviderForm(request.POST or None, initial=ProviderForm.initial_from(provider))
    if request.method == "POST":
        saved = run_service(form, lambda data: provider_update(user=request.user, provider=provider, data=data))
        if saved:
            messages.success(request, f"{saved.name} updated.")
            return redirect(saved)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": f"Change {provider.name}", "back_url": provider.get_absolute_url()},
    )


def provider_approval_new(request, public_id):
    """Record the area's decision on the provider's approval: the LA only."""
    if not may_decide_provider_approval(request.user):
        raise Http404("Not found")
    provider = _provider_or_404(request.user, public_id)
    form = ApprovalForm(request.POST or None, initial={"decided_on": date.today()})
    if request.method == "POST":
        approval = run_service(
            form, lambda data: provider_approval_record(user=request.user, provider=provider, data=data)
        )
        if approval:
            messages.success(request, f"{provider.name}: {approval.get_status_display().lower()}, recorded.")
            return redirect(provider)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": f"Decide {provider.name}'s approval", "back_url": provider.get_absolute_url()},
    )


# Safeguarding and compliance checks (issue 13, item 3).


def _checks_provider_or_404(user, public_id, may):
    provider = _provider_or_404(user, public_id)
    if not may(user=user, provider=provider):
        raise Http404("No provider found.")
    return provider


def provider_checks(request, public_id):
    """A provider's checks: where each kind stands today, and every check recorded."""
    provider = _checks_provider_or_404(request.user, public_id, may_see_provider_checks)
    lines = provider_compliance(provider=provider)
    return render(
        request,
        "providers/provider_checks.html",
        {
            "provider": provider,
            "lines": lines,
            "gaps": [line for line in lines if line.gap],
            "history": provider_check_history(provider=provider),
            "warning_days": provider.organisation.area.check_expiry_warning_days,
            "can_record": may_record_provider_check(user=request.user, provider=provider),
            "can_open_evidence": may_open_check_evidence(user=request.user, provider=provider),
            "can_confirm": may_produce_check_confirmation(user=request.user, provider=provider),
        },
    )


def provider_check_new(request, public_id):
    """Record a check of a provider: the LA of the area, or the provider itself."""
    provider = _checks_provider_or_404(request.user, public_id, may_record_provider_check)
    wanted = request.GET.get("type", "")
    user = request.user
    organisation = user.primary_organisation
    initial = {
        "check_type": wanted if wanted in code_set("provider_check_type") else "",
        "seen_on": date.today(),
        "seen_by": f"{user.get_full_name()}, {organisation.name}" if organisation else user.get_full_name(),
    }
    form = ProviderCheckForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        check = run_service(
            form,
            lambda data: provider_check_record(
                user=user,
                provider=provider,
                data={k: v for k, v in data.items() if k != "file"},
                upload=request.FILES.get("file"),
            ),
        )
        if check:
            messages.success(
                request,
                f"{check.get_check_type_display()}: {check.get_outcome_display().lower()}, "
                f"recorded. It expires on {check.expires_on:%-d %B %Y}.",
            )
            return redirect("provider_checks", provider.public_id)
    return render(
        request,
        "providers/check_form.html",
        {
            "form": form,
            "title": "Record a check",
            "caption": provider.name,
            "back_url": reverse("provider_checks", args=[provider.public_id]),
            "hints": [(c.label, c.row["evidence_hint"]) for c in code_set("provider_check_type").values()],
        },
    )


def provider_check_evidence(request, public_id):
    """A check's evidence file, for the LA of the area and the provider."""
    try:
        check = provider_check_get(public_id=public_id)
    except ProviderCheck.DoesNotExist as missing:
        raise Http404("No evidence found.") from missing
    if not check.filename or not may_open_check_evidence(user=request.user, provider=check.provider):
        raise Http404("No evidence found.")
    return attachment(check.content, check.filename)


def checks_expiring_list(request):
    """The area's checks expired or expiring within its days, across its providers: the LA."""
    if not may_see_checks_expiring(request.user):
        raise Http404("Not found")
    area = next(o.area for o in request.user.organisations if o.kind == OrganisationKind.LOCAL_AUTHORITY)
    today = date.today()
    checks = checks_expiring(area_id=area.pk, today=today, within_days=area.check_expiry_warning_days)
    return render(
        request,
        "providers/checks_expiring.html",
        {
            "area": area,
            "rows": [(check, check.status_on(today, area.check_expiry_warning_days)) for check in checks],
            "warning_days": area.check_expiry_warning_days,
            "can_set_days": may_set_check_expiry_days(user=request.user, area_id=area.pk),
        },
    )


def check_expiry_days(request):
    """How many days ahead the area lists a check as expiring: its LA."""
    area = request.user.primary_organisation.area if request.user.primary_organisation else None
    if area is None or not may_set_check_expiry_days(user=request.user, area_id=area.pk):
        raise Http404("Not found")
    form = CheckExpiryDaysForm(request.POST or None, instance=area)
    saved = request.method == "POST" and run_service(
        form, lambda data: area_check_expiry_days_update(user=request.user, area=area, data=data)
    )
    if saved:
        messages.success(request, f"Saved: checks are listed as expiring {saved.check_expiry_warning_days} days ahead.")
        return redirect("checks_expiring")
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "When a check is listed as expiring",
            "caption": area.name,
            "back_url": reverse("checks_expiring"),
        },
    )


def check_confirmation_new(request, public_id):
    """Choose the commissioner a written confirmation of the provider's checks is for."""
    provider = _checks_provider_or_404(request.user, public_id, may_produce_check_confirmation)
    commissioners = check_confirmation_commissioners(user=request.user, provider=provider)
    form = CheckConfirmationForm(request.GET or None, commissioners=commissioners)
    if request.GET and form.is_valid():
        return redirect("check_confirmation", provider.public_id, form.cleaned_data["commissioner"])
    return render(
        request,
        "providers/check_confirmation_new.html",
        {
            "form": form,
            "title": "Written confirmation of checks",
            "caption": provider.name,
            "back_url": reverse("provider_checks", args=[provider.public_id]),
        },
    )


def _confirmation(request, public_id, commissioner_id) -> dict:
    provider = _checks_provider_or_404(request.user, public_id, may_produce_check_confirmation)
    commissioner = (
        check_confirmation_commissioners(user=request.user, provider=provider).filter(public_id=commissioner_id).first()
    )
    if commissioner is None:
        raise Http404("No commissioner found.")
    lines = provider_compliance(provider=provider)
    approvals = provider_approvals(provider=provider)
    return {
        "provider": provider,
        "commissioner": commissioner,
        "lines": lines,
        "gaps": [line for line in lines if line.gap],
        "approval": approvals[0] if approvals else None,
        "produced_by": request.user,
        "produced_on": date.today(),
    }


def check_confirmation(request, public_id, commissioner_id):
    """The written confirmation as a page to print and file; every production is audited."""
    context = _confirmation(request, public_id, commissioner_id)
    check_confirmation_produce(
        user=request.user, provider=context["provider"], commissioner=context["commissioner"], html="", as_pdf=False
    )
    return render(request, "providers/check_confirmation.html", context)


def check_confirmation_pdf(request, public_id, commissioner_id):
    """The written confirmation as a PDF; every production is audited."""
    context = _confirmation(request, public_id, commissioner_id)
    html = render_to_string("providers/check_confirmation_pdf.html", context)
    body = check_confirmation_produce(
        user=request.user, provider=context["provider"], commissioner=context["commissioner"], html=html, as_pdf=True
    )
    filename = f"checks-{context['provider'].area_reference}-{context['produced_on']:%Y-%m-%d}.pdf"
    return attachment(body, filename, "application/pdf")
