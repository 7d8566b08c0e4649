from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from core.access import (
    QA_STRAND_SECTORS,
    check_confirmation_commissioners,
    may_change_qa_visit,
    may_decide_provider_approval,
    may_import_establishments,
    may_keep_provider_directory,
    may_keep_qa_framework,
    may_mark_qa_action_done,
    may_open_check_evidence,
    may_oversee_qa,
    may_produce_check_confirmation,
    may_record_provider_check,
    may_record_qa_visit,
    may_see_checks_expiring,
    may_see_provider_checks,
    may_set_check_expiry_days,
    qa_strand_organisation,
    qa_visiting_organisation,
)
from core.codes import code_set
from core.downloads import attachment
from core.forms import run_service
from core.models import OrganisationKind
from core.pdf import pdf_from_html
from providers.forms import (
    ApprovalForm,
    CheckConfirmationForm,
    CheckExpiryDaysForm,
    DirectoryFilterForm,
    ProviderCheckForm,
    ProviderContactForm,
    ProviderDirectoryForm,
    ProviderForm,
    ProviderSiteForm,
    QAActionDoneForm,
    QAActionForm,
    QACriterionForm,
    QAFrameworkSettingsForm,
    QARatingPointForm,
    QAStrandForm,
    QAVisitForm,
)
from providers.models import Provider, ProviderCheck, QAStrandSector
from providers.selectors import (
    checks_expiring,
    checks_expiring_count,
    directory_page,
    provider_approvals,
    provider_check_get,
    provider_check_history,
    provider_compliance,
    provider_directory_details,
    provider_get,
    provider_placements,
    provider_qa_visits,
    qa_action_get_for_user,
    qa_actions_overdue,
    qa_draft_criterion,
    qa_draft_point,
    qa_draft_theme,
    qa_framework_versions,
    qa_version_content,
    qa_version_draft,
    qa_version_published,
    qa_visit_read,
    qa_visitors_for,
    qa_visits_overdue,
    schools_of,
)
from providers.services import (
    area_check_expiry_days_update,
    check_confirmation_produce,
    provider_approval_record,
    provider_check_record,
    provider_contact_remove,
    provider_contact_save,
    provider_create,
    provider_directory_update,
    provider_site_remove,
    provider_site_save,
    provider_update,
    qa_action_add,
    qa_action_done,
    qa_criterion_remove,
    qa_criterion_save,
    qa_draft_start,
    qa_framework_ensure,
    qa_framework_settings_update,
    qa_rating_point_save,
    qa_strand_add,
    qa_version_publish,
    qa_visit_record,
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
            "can_keep_qa": may_keep_qa_framework(request.user),
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
            **provider_directory_details(provider=provider),
            "can_edit": may_keep_provider_directory(request.user),
            "can_decide": may_decide_provider_approval(request.user),
            "compliance": provider_compliance(provider=provider)
            if may_see_provider_checks(user=request.user, provider=provider)
            else None,
            "qa_visits": provider_qa_visits(user=request.user, provider=provider),
            "can_record_qa": may_record_qa_visit(user=request.user, provider=provider),
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


# Quality assurance (issue 13, item 4).


def _qa_framework_or_404(request):
    """The area's framework, for the LA that keeps it; anyone else is told "not found"."""
    if not may_keep_qa_framework(request.user):
        raise Http404("Not found")
    return qa_framework_ensure(area=request.user.primary_organisation.area)


def qa_framework(request):
    """The area's quality-assurance framework: the version in use, the draft being prepared, every version."""
    framework = _qa_framework_or_404(request)
    draft = qa_version_draft(framework=framework)
    return render(
        request,
        "providers/qa_framework.html",
        {
            "framework": framework,
            "published": qa_version_content(version=qa_version_published(framework=framework)),
            "draft": qa_version_content(version=draft) if draft else None,
            "versions": qa_framework_versions(framework=framework),
        },
    )


def qa_framework_settings(request):
    framework = _qa_framework_or_404(request)
    form = QAFrameworkSettingsForm(
        request.POST or None,
        initial={"name": framework.name, "visit_interval_months": framework.visit_interval_months},
    )
    if request.method == "POST":
        saved = run_service(
            form, lambda data: qa_framework_settings_update(user=request.user, framework=framework, data=data)
        )
        if saved:
            messages.success(request, f"Saved: a visit at least every {saved.visit_interval_months} months.")
            return redirect("qa_framework")
    return render(
        request,
        "form_page.html",
        {"form": form, "title": "The framework's name and visits", "back_url": reverse("qa_framework")},
    )


def _framework_post(request, change) -> None:
    """A button on the framework page: the change, or the rule it breaks as a message."""
    if request.method != "POST":
        raise Http404("Not found")
    try:
        said = change()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, said)


def qa_draft_new(request):
    framework = _qa_framework_or_404(request)
    _framework_post(
        request,
        lambda: f"Version {qa_draft_start(user=request.user, framework=framework).number} started as a draft.",
    )
    return redirect("qa_framework")


def qa_draft_publish(request):
    framework = _qa_framework_or_404(request)
    draft = qa_version_draft(framework=framework)
    if draft is None:
        raise Http404("Not found")
    _framework_post(
        request,
        lambda: f"Version {qa_version_publish(user=request.user, version=draft).number} published: new visits use it.",
    )
    return redirect("qa_framework")


def _draft_part(getter, framework, pk):
    try:
        return getter(framework=framework, pk=pk)
    except ObjectDoesNotExist as missing:
        raise Http404("Not found") from missing


def qa_criterion_new(request, theme_id):
    framework = _qa_framework_or_404(request)
    theme = _draft_part(qa_draft_theme, framework, theme_id)
    form = QACriterionForm(request.POST or None)
    if request.method == "POST" and run_service(
        form, lambda data: qa_criterion_save(user=request.user, theme=theme, data=data)
    ):
        messages.success(request, f"Criterion added to {theme.title}.")
        return redirect("qa_framework")
    title = f"Add a criterion to {theme.title}"
    return render(request, "form_page.html", {"form": form, "title": title, "back_url": reverse("qa_framework")})


def qa_criterion_edit(request, criterion_id):
    framework = _qa_framework_or_404(request)
    criterion = _draft_part(qa_draft_criterion, framework, criterion_id)
    form = QACriterionForm(request.POST or None, initial={"text": criterion.text, "guidance": criterion.guidance})
    if request.method == "POST" and run_service(
        form,
        lambda data: qa_criterion_save(user=request.user, theme=criterion.theme, criterion=criterion, data=data),
    ):
        messages.success(request, "Criterion changed in the draft.")
        return redirect("qa_framework")
    return render(
        request,
        "form_page.html",
        {"form": form, "title": "Change a criterion of the draft", "back_url": reverse("qa_framework")},
    )


def qa_criterion_delete(request, criterion_id):
    framework = _qa_framework_or_404(request)
    criterion = _draft_part(qa_draft_criterion, framework, criterion_id)
    _framework_post(
        request,
        lambda: qa_criterion_remove(user=request.user, criterion=criterion) or "Criterion taken out of the draft.",
    )
    return redirect("qa_framework")


def qa_point_edit(request, point_id):
    framework = _qa_framework_or_404(request)
    point = _draft_part(qa_draft_point, framework, point_id)
    form = QARatingPointForm(
        request.POST or None, initial={"label": point.label, "guidance": point.guidance, "signal": point.signal}
    )
    if request.method == "POST" and run_service(
        form, lambda data: qa_rating_point_save(user=request.user, point=point, data=data)
    ):
        messages.success(request, "Rating scale changed in the draft.")
        return redirect("qa_framework")
    return render(
        request,
        "form_page.html",
        {"form": form, "title": f"Change the rating “{point.label}”", "back_url": reverse("qa_framework")},
    )


def qa_visit_new(request, public_id):
    """Record a quality-assurance visit: the LA of the area, or a school placing children there (its own)."""
    provider = _provider_or_404(request.user, public_id)
    organisation = qa_visiting_organisation(user=request.user, provider=provider)
    if organisation is None:
        raise Http404("Not found")
    framework = qa_framework_ensure(area=provider.organisation.area)
    content = qa_version_content(version=qa_version_published(framework=framework))
    form = QAVisitForm(
        request.POST or None,
        content=content,
        visitors=qa_visitors_for(organisation=organisation),
        initial={"visitors": [request.user.pk], "for_whom": []},
    )
    if request.method == "POST":
        visit = run_service(
            form, lambda data: qa_visit_record(user=request.user, provider=provider, data=form.visit_data())
        )
        if visit:
            messages.success(request, f"Visit to {provider.name} recorded.")
            return redirect(visit)
    return render(
        request,
        "providers/qa_visit_form.html",
        {
            "form": form,
            "provider": provider,
            "organisation": organisation,
            "framework": framework,
            "content": content,
        },
    )


def _visit_page(request, public_id) -> dict:
    read = qa_visit_read(user=request.user, public_id=public_id)
    visit, user = read["visit"], request.user
    strand_organisation = qa_strand_organisation(user=user, visit=visit)
    read["can_change"] = may_change_qa_visit(user=user, visit=visit)
    read["can_add_strand"] = (
        strand_organisation is not None and QA_STRAND_SECTORS[strand_organisation.kind] not in read["strands"]
    )
    read["may_mark_done"] = may_mark_qa_action_done(user=user, action=read["actions"][0]) if read["actions"] else False
    read["strand_rows"] = [(label, read["strands"].get(sector)) for sector, label in QAStrandSector.choices]
    read["today"] = date.today()
    return read


def qa_visit_detail(request, public_id):
    return render(request, "providers/qa_visit_detail.html", _visit_page(request, public_id))


def qa_visit_report(request, public_id):
    """The visit's report to print: the same content, without the site's navigation."""
    return render(request, "providers/qa_visit_report.html", _visit_page(request, public_id))


def qa_visit_report_pdf(request, public_id):
    read = _visit_page(request, public_id)
    html = render_to_string("providers/qa_visit_report.html", read | {"for_pdf": True}, request=request)
    visit = read["visit"]
    name = f"qa-visit-{visit.provider.area_reference}-{visit.visited_on:%Y-%m-%d}.pdf"
    return attachment(pdf_from_html(html), name, "application/pdf")


def qa_strand_new(request, public_id):
    """Health's or social care's strand of a visit, added by a practitioner of the area."""
    visit = qa_visit_read(user=request.user, public_id=public_id)["visit"]
    organisation = qa_strand_organisation(user=request.user, visit=visit)
    if organisation is None:
        raise Http404("Not found")
    sector = QAStrandSector(QA_STRAND_SECTORS[organisation.kind])
    form = QAStrandForm(request.POST or None)
    if request.method == "POST" and run_service(
        form, lambda data: qa_strand_add(user=request.user, visit=visit, data=data)
    ):
        messages.success(request, f"The {sector.label.lower()} strand is added to the visit.")
        return redirect(visit)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Add the {sector.label.lower()} strand",
            "caption": f"Visit to {visit.provider.name}, {visit.visited_on:%-d %B %Y}",
            "back_url": visit.get_absolute_url(),
        },
    )


def qa_action_new(request, public_id):
    visit = qa_visit_read(user=request.user, public_id=public_id)["visit"]
    if not may_change_qa_visit(user=request.user, visit=visit):
        raise Http404("Not found")
    form = QAActionForm(request.POST or None)
    if request.method == "POST" and run_service(
        form, lambda data: qa_action_add(user=request.user, visit=visit, data=data)
    ):
        messages.success(request, "Action added to the visit.")
        return redirect(visit)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Add an action",
            "caption": f"Visit to {visit.provider.name}, {visit.visited_on:%-d %B %Y}",
            "back_url": visit.get_absolute_url(),
        },
    )


def qa_action_mark_done(request, public_id):
    try:
        action = qa_action_get_for_user(user=request.user, public_id=public_id)
    except (ObjectDoesNotExist, ValueError) as missing:
        raise Http404("Not found") from missing
    if not may_mark_qa_action_done(user=request.user, action=action):
        raise Http404("Not found")
    form = QAActionDoneForm(request.POST or None, initial={"done_on": date.today()})
    if request.method == "POST" and run_service(
        form, lambda data: qa_action_done(user=request.user, action=action, data=data)
    ):
        messages.success(request, "Action marked done.")
        return redirect(action.visit)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Mark the action done",
            "caption": action.text,
            "back_url": action.visit.get_absolute_url(),
        },
    )


def qa_visits_overdue_list(request):
    """The providers with children placed whose visit by the LA is overdue."""
    if not may_oversee_qa(request.user):
        raise Http404("Not found")
    return render(
        request,
        "providers/qa_visits_overdue.html",
        {"rows": qa_visits_overdue(user=request.user), "today": date.today()},
    )


def qa_actions_overdue_list(request):
    """The visits' actions past their due date and not done."""
    if not may_oversee_qa(request.user):
        raise Http404("Not found")
    page = Paginator(qa_actions_overdue(user=request.user), settings.REGISTER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "providers/qa_actions_overdue.html", {"page": page, "today": date.today()})


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
    return _directory_part(request, public_id, ProviderSiteForm, provider_site_save, "site", None)


def provider_site_edit(request, public_id, part_id):
    """Change one of the provider's other sites, or take it off: the LA only."""
    return _directory_part(request, public_id, ProviderSiteForm, provider_site_save, "site", part_id)


def provider_contact_new(request, public_id):
    """Add a contact at the provider: the LA only."""
    return _directory_part(request, public_id, ProviderContactForm, provider_contact_save, "contact", None)


def provider_contact_edit(request, public_id, part_id):
    """Change a contact at the provider, or take them off: the LA only."""
    return _directory_part(request, public_id, ProviderContactForm, provider_contact_save, "contact", part_id)


# What the LA keeps of a provider beyond its own record: (its records, the fields the form shows, how a title
# names one, the service that takes one off).
_PARTS = {
    "site": ("sites", ["name", "address", "postcode"], "a site of", provider_site_remove),
    "contact": ("contacts", ["name", "role", "email", "phone"], "a contact at", provider_contact_remove),
}


def _directory_part(request, public_id, form_class, save, kind: str, part_id):
    """Add, change or (with `remove` posted) take off a site or a contact of a provider: the LA only."""
    if not may_keep_provider_directory(request.user):
        raise Http404("Not found")
    provider = _provider_or_404(request.user, public_id)
    related, fields, words, remove = _PARTS[kind]
    part = None
    if part_id is not None:
        part = getattr(provider, related).filter(public_id=part_id).first()
        if part is None:
            raise Http404("Not found")
        if request.method == "POST" and "remove" in request.POST:
            remove(user=request.user, **{kind: part})
            messages.success(request, f"{part.name} taken off {provider.name}'s {related}.")
            return redirect(provider)
    initial = {name: getattr(part, name) for name in fields} if part else None
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = run_service(form, lambda data: save(user=request.user, provider=provider, data=data, **{kind: part}))
        if saved:
            messages.success(request, f"{saved.name} {'changed' if part else 'added'}: {provider.name}'s {related}.")
            return redirect(provider)
    title = f"{'Change' if part else 'Add'} {words} {provider.name}"
    context = {"form": form, "title": title, "back_url": provider.get_absolute_url(), "part": part, "kind": kind}
    return render(request, "providers/directory_part_form.html", context)
