from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation

from core.access import may_run_surveys
from core.downloads import CSV, attachment
from core.forms import run_service
from core.qr import qr_svg
from inspection.selectors import inspections_for
from survey.forms import SurveyForm, response_form_for
from survey.languages import ENGLISH, language_link
from survey.questions import AUDIENCES, BY_SLUG
from survey.selectors import survey_by_link, survey_get, survey_releases, survey_results, surveys_for
from survey.services import (
    survey_answer_over_limit,
    survey_create,
    survey_response_submit,
    survey_results_export,
    survey_results_release,
    survey_update,
)


def _la_only(request) -> None:
    if not may_run_surveys(request.user):
        raise Http404("Not found")


def survey_list(request):
    surveys = surveys_for(user=request.user)
    if not may_run_surveys(request.user) and not surveys.exists():
        raise Http404("Not found")
    return render(
        request,
        "survey/survey_list.html",
        {"surveys": surveys, "today": date.today(), "is_la": may_run_surveys(request.user)},
    )


def _survey_form(request, instance=None) -> SurveyForm:
    initial = {}
    inspection = next(
        (i for i in inspections_for(user=request.user) if str(i.public_id) == request.GET.get("for")), None
    )
    if inspection and instance is None:
        initial = {
            "inspection": inspection,
            "title": f"Views on alternative provision, visit from {inspection.visit_starts_on:%-d %B %Y}",
            "opens_on": inspection.notified_on,
            "closes_on": inspection.visit_ends_on,
        }
    return SurveyForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        inspections=inspections_for(user=request.user),
    )


def survey_new(request):
    _la_only(request)
    form = _survey_form(request)
    if request.method == "POST":
        survey = run_service(form, lambda data: survey_create(user=request.user, data=data))
        if survey:
            messages.success(request, "Survey set up. Share its links below.")
            return redirect("survey_detail", public_id=survey.public_id)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": "Set up a stakeholder survey", "back_url": reverse("survey_list")},
    )


def survey_change(request, public_id):
    _la_only(request)
    survey = survey_get(user=request.user, public_id=public_id)
    form = _survey_form(request, instance=survey)
    saved = request.method == "POST" and run_service(
        form, lambda data: survey_update(user=request.user, survey=survey, data=data)
    )
    if saved:
        messages.success(request, "Survey changed.")
        return redirect("survey_detail", public_id=survey.public_id)
    back = reverse("survey_detail", args=[survey.public_id])
    return render(request, "form_page.html", {"form": form, "title": f"Change {survey}", "back_url": back})


def _links(request, survey) -> list[dict]:
    """Each audience's link in each language offered, to copy into letters, texts and emails."""
    languages = [ENGLISH, *survey.languages]
    return [
        {
            "audience": audience,
            "qr_code": qr_svg(
                request.build_absolute_uri(reverse("survey_answer", args=[survey.link_key, ENGLISH, audience.slug]))
            ),
            "links": [
                {
                    **language_link(code),
                    "url": request.build_absolute_uri(
                        reverse("survey_answer", args=[survey.link_key, code, audience.slug])
                    ),
                }
                for code in languages
            ],
        }
        for audience in AUDIENCES
    ]


def survey_detail(request, public_id):
    survey = survey_get(user=request.user, public_id=public_id)
    survey_results_release(survey=survey)
    today = date.today()
    return render(
        request,
        "survey/survey_detail.html",
        {
            "survey": survey,
            "is_open": survey.is_open_on(today),
            "is_la": may_run_surveys(request.user),
            "start_url": request.build_absolute_uri(reverse("survey_start", args=[survey.link_key])),
            "links": _links(request, survey),
            "results": survey_results(survey=survey),
            "releases": survey_releases(survey=survey),
        },
    )


def survey_results_download(request, public_id):
    survey = survey_get(user=request.user, public_id=public_id)
    survey_results_release(survey=survey)
    body = survey_results_export(user=request.user, survey=survey, results=survey_results(survey=survey))
    return attachment(body, f"survey-results-{date.today().isoformat()}.csv", CSV)


# The public pages: anyone with the link, no account, in the language chosen.


def _public_context(link_key: str, language: str, page: str, *args) -> dict:
    """The survey behind the link, in a language it offers, with this same page's link in each of its languages."""
    survey = survey_by_link(link_key=link_key)
    offered = [ENGLISH, *survey.languages]
    if language not in offered:
        raise Http404("Not found")
    languages = [{**language_link(code), "url": reverse(page, args=[link_key, code, *args])} for code in offered]
    not_yet_open = date.today() < survey.opens_on
    return {"survey": survey, "language": language, "languages": languages, "not_yet_open": not_yet_open}


@login_not_required
def survey_start(request, link_key, language=ENGLISH):
    context = _public_context(link_key, language, "survey_start_in")
    with translation.override(language):
        return render(
            request,
            "survey/public/start.html",
            {**context, "audiences": AUDIENCES, "is_open": context["survey"].is_open_on(date.today())},
        )


@login_not_required
def survey_answer(request, link_key, language, audience):
    if audience not in BY_SLUG:
        raise Http404("Not found")
    context = _public_context(link_key, language, "survey_answer", audience)
    survey, audience = context["survey"], BY_SLUG[audience]
    today = date.today()
    with translation.override(language):
        if not survey.is_open_on(today):
            return render(request, "survey/public/closed.html", {**context, "audience": audience})
        form = response_form_for(audience)(request.POST or None)
        if request.method == "POST":
            if form.is_valid() and survey_answer_over_limit(request=request, link_key=link_key):
                page = "survey/public/too_many.html"
                return render(request, page, {**context, "audience": audience}, status=429)
            saved = run_service(
                form,
                lambda data: survey_response_submit(
                    survey=survey,
                    audience=audience,
                    language=language,
                    submission_id=data["submission_id"],
                    group=data["group"],
                    answers=form.answers(),
                    comment=data["comment"],
                    today=today,
                ),
            )
            if saved:
                return redirect("survey_thanks", link_key=link_key, language=language, audience=audience.slug)
        return render(request, "survey/public/answer.html", {**context, "audience": audience, "form": form})


@login_not_required
def survey_thanks(request, link_key, language, audience):
    if audience not in BY_SLUG:
        raise Http404("Not found")
    context = _public_context(link_key, language, "survey_thanks", audience)
    with translation.override(language):
        return render(request, "survey/public/thanks.html", {**context, "audience": BY_SLUG[audience]})
