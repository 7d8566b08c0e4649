from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from core.access import may_decide_provider_approval, may_import_establishments, may_keep_provider_directory
from core.forms import run_service
from providers.forms import (
    ApprovalForm,
    DirectoryFilterForm,
    ProviderContactForm,
    ProviderDirectoryForm,
    ProviderForm,
    ProviderSiteForm,
)
from providers.models import Provider
from providers.selectors import (
    directory_page,
    provider_approvals,
    provider_directory_details,
    provider_get,
    provider_placements,
    schools_of,
)
from providers.services import (
    provider_approval_record,
    provider_contact_add,
    provider_create,
    provider_directory_update,
    provider_site_add,
    provider_update,
)


def provider_list(request):
    """The directory: every signed-in user searches it by need, age, distance, pattern, qualifications, places free
    and approval."""
    form = DirectoryFilterForm(request.GET or None)
    query = form.query()
    page = directory_page(user=request.user, query=query, page_number=request.GET.get("page"))
    return render(
        request,
        "providers/provider_list.html",
        {
            "providers": page,
            "page": page,
            "form": form,
            "query": query,
            "chosen": form.chosen(),
            "can_add": may_keep_provider_directory(request.user),
            "can_import": may_import_establishments(request.user),
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
            **provider_directory_details(provider=provider),
            "can_edit": may_keep_provider_directory(request.user),
            "can_decide": may_decide_provider_approval(request.user),
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


def provider_directory_edit(request, public_id):
    """Change what the directory shows of the provider's offer: the LA only."""
    if not may_keep_provider_directory(request.user):
        raise Http404("Not found")
    provider = _provider_or_404(request.user, public_id)
    schools = schools_of(area_id=provider.organisation.area_id)
    form = ProviderDirectoryForm(
        request.POST or None, initial=ProviderDirectoryForm.initial_from(provider), schools=schools
    )
    if request.method == "POST":
        saved = run_service(
            form, lambda data: provider_directory_update(user=request.user, provider=provider, data=data)
        )
        if saved:
            messages.success(request, f"{saved.name}: offer, costs and staff updated.")
            return redirect(saved)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": f"Change {provider.name}'s offer and costs", "back_url": provider.get_absolute_url()},
    )


def provider_site_new(request, public_id):
    """Add another site of the provider: the LA only."""
    if not may_keep_provider_directory(request.user):
        raise Http404("Not found")
    provider = _provider_or_404(request.user, public_id)
    form = ProviderSiteForm(request.POST or None)
    if request.method == "POST":
        site = run_service(form, lambda data: provider_site_add(user=request.user, provider=provider, data=data))
        if site:
            messages.success(request, f"{site.name} added to {provider.name}'s sites.")
            return redirect(provider)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": f"Add a site of {provider.name}", "back_url": provider.get_absolute_url()},
    )


def provider_contact_new(request, public_id):
    """Add a contact at the provider: the LA only."""
    if not may_keep_provider_directory(request.user):
        raise Http404("Not found")
    provider = _provider_or_404(request.user, public_id)
    form = ProviderContactForm(request.POST or None)
    if request.method == "POST":
        contact = run_service(form, lambda data: provider_contact_add(user=request.user, provider=provider, data=data))
        if contact:
            messages.success(request, f"{contact.name} added to {provider.name}'s contacts.")
            return redirect(provider)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": f"Add a contact at {provider.name}", "back_url": provider.get_absolute_url()},
    )
