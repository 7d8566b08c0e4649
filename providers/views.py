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
    may_change_qa_visit,
    may_decide_provider_approval,
    may_keep_provider_directory,
    may_keep_qa_framework,
    may_mark_qa_action_done,
    may_oversee_qa,
    may_record_qa_visit,
    qa_strand_organisation,
    qa_visiting_organisation,
)
from core.downloads import attachment
from core.forms import run_service
from core.pdf import pdf_from_html
from providers.forms import (
    ApprovalForm,
    ProviderForm,
    QAActionDoneForm,
    QAActionForm,
    QACriterionForm,
    QAFrameworkSettingsForm,
    QARatingPointForm,
    QAStrandForm,
    QAVisitForm,
)
from providers.models import Provider, QAStrandSector
from providers.selectors import (
    provider_approvals,
    provider_get,
    provider_placements,
    provider_qa_visits,
    providers_for,
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
)
from providers.services import (
    provider_approval_record,
    provider_create,
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
    return render(
        request,
        "providers/provider_list.html",
        {
            "providers": providers_for(user=request.user),
            "can_add": may_keep_provider_directory(request.user),
            "can_keep_qa": may_keep_qa_framework(request.user),
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
