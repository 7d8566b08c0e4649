"""Running a stakeholder survey: the LA sets it up; anyone with its link answers it, without an account."""

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django_ratelimit.core import is_ratelimited

from core.access import may_run_surveys
from core.audit import audit_record
from core.csv_export import csv_text
from core.models import AuditAction, User
from survey.languages import ENGLISH, MINIMUM_COMMUNITY_LANGUAGES, community_languages
from survey.models import Survey, SurveyAnswer, SurveyRelease, SurveyResponse
from survey.questions import AUDIENCES, Audience
from survey.results import release_plan


def _check_languages(languages: list[str]) -> None:
    offered = {code for code, _label in community_languages()}
    unknown = sorted(set(languages) - offered)
    if unknown:
        raise ValidationError({"languages": f"There is no translation of the survey into: {', '.join(unknown)}."})
    if len(set(languages)) < MINIMUM_COMMUNITY_LANGUAGES:
        raise ValidationError(
            {"languages": f"Choose at least {MINIMUM_COMMUNITY_LANGUAGES} of the area's community languages."}
        )


def _save(user: User, survey: Survey, action: AuditAction) -> Survey:
    _check_languages(survey.languages)
    if survey.inspection and survey.inspection.area_id != survey.area_id:
        raise ValidationError({"inspection": "Choose an inspection of this area."})
    survey.full_clean(exclude=["languages"])
    with transaction.atomic():
        survey.save()
        audit_record(user=user, action=action, object_type="survey", object_id=survey.public_id)
    return survey


def survey_create(*, user: User, data: dict) -> Survey:
    """The LA sets up a survey of its area, in English and at least three community languages."""
    if not may_run_surveys(user):
        raise PermissionDenied("Only the local authority runs the area's survey.")
    survey = Survey(area=user.primary_organisation.area, created_by=user, **data)
    return _save(user, survey, AuditAction.SURVEY_CREATED)


def survey_update(*, user: User, survey: Survey, data: dict) -> Survey:
    """Change a survey's dates, languages or inspection, for example to close it early."""
    if not may_run_surveys(user, survey.area_id):
        raise PermissionDenied("Only the local authority changes the area's survey.")
    for name, value in data.items():
        setattr(survey, name, value)
    return _save(user, survey, AuditAction.SURVEY_CHANGED)


def survey_answer_over_limit(*, request, link_key: str) -> bool:
    """Count one more answer sent from this device, and one more to this link; True once either limit is passed.

    One device (its address) may send SURVEY_RATE_PER_CLIENT answers to the survey's
    links, and one link takes SURVEY_RATE_PER_LINK answers from everyone together, so
    nobody can fill the results with made-up answers. Both are counted before anything
    is saved, in the shared counter cache (core.counters), so every worker sees them.
    """
    by_client = is_ratelimited(
        request, group="survey-answer-client", key="ip", rate=settings.SURVEY_RATE_PER_CLIENT, increment=True
    )
    by_link = is_ratelimited(
        request,
        group="survey-answer-link",
        key=lambda _group, _request: link_key,
        rate=settings.SURVEY_RATE_PER_LINK,
        increment=True,
    )
    return by_client or by_link


def survey_response_submit(
    *,
    survey: Survey,
    audience: Audience,
    language: str,
    submission_id: uuid.UUID,
    group: str,
    answers: dict[str, str],
    comment: str,
    today: date,
) -> SurveyResponse:
    """Record one person's answers, all or nothing. Sending the same form again records nothing more."""
    if not survey.is_open_on(today):
        raise ValidationError("This survey is not open.")
    if language != ENGLISH and language not in survey.languages:
        raise ValidationError("This survey is not offered in that language.")
    if set(answers) != {q.key for q in audience.questions}:
        raise ValidationError("Answer every question.")
    existing = SurveyResponse.objects.filter(submission_id=submission_id).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey,
                audience=audience.key,
                group=group,
                language=language,
                submission_id=submission_id,
                submitted_on=today,
                comment=comment.strip(),
            )
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(response=response, question=q, answer=a) for q, a in answers.items()
            )
    except IntegrityError:
        # The same form sent twice at once: the first one counts.
        return SurveyResponse.objects.get(submission_id=submission_id)
    return response


def survey_results_release(*, survey: Survey) -> list[SurveyRelease]:
    """Publish what may be published of the answers waiting, audience by audience, by survey.results.release_plan.

    Run before the results are read. One release at a time per survey (the survey's row
    is locked), so two readers at once cannot both publish the same answers.
    """
    made = []
    with transaction.atomic():
        Survey.objects.select_for_update().filter(pk=survey.pk).first()
        latest: dict[str, SurveyRelease] = {}
        for release in SurveyRelease.objects.filter(survey=survey).order_by("number"):
            latest[release.audience] = release
        waiting_rows = (
            survey.responses.filter(release__isnull=True).values("audience", "group").annotate(n=Count("id")).order_by()
        )
        waiting: dict[str, dict[str, int]] = {}
        for row in waiting_rows:
            waiting.setdefault(row["audience"], {})[row["group"]] = row["n"]
        for audience in AUDIENCES:
            last = latest.get(audience.key)
            plan = release_plan(
                apart=set(last.groups_apart) if last else set(),
                pooled=set(last.groups_pooled) if last else set(),
                waiting=waiting.get(audience.key, {}),
                first=last is None,
            )
            if not plan.release:
                continue
            release = SurveyRelease.objects.create(
                survey=survey,
                audience=audience.key,
                number=last.number + 1 if last else 1,
                groups_apart=sorted(plan.apart),
                groups_pooled=sorted(plan.pooled),
                responses_added=0,
            )
            # Every waiting answer of those groups, including any sent since they were counted.
            release.responses_added = survey.responses.filter(
                audience=audience.key, group__in=plan.release, release__isnull=True
            ).update(release=release)
            release.save(update_fields=["responses_added"])
            made.append(release)
    return made


def survey_results_export(*, user: User, survey: Survey, results: list) -> str:
    """The results as they are shown, small groups hidden, as CSV; the download is audited."""
    header = ["audience", "question", "group", "responses", *[f"answer {i}" for i in range(1, 5)], "comment"]
    rows = []
    for result in results:
        name = str(result.audience.name)
        if not result.shown:
            rows.append([name, "", "", "fewer than 5", "", "", "", "", ""])
            continue
        for question in result.questions:
            for row in question.rows:
                answers = [
                    f"{label}: {n} ({p}%)" for label, (n, p) in zip(result.answer_labels, row.answers, strict=True)
                ]
                rows.append([name, question.text, row.label, row.responses, *answers, ""])
        rows += [[name, "", "", "", "", "", "", "", comment] for comment in result.comments]
    with transaction.atomic():
        audit_record(
            user=user, action=AuditAction.SURVEY_RESULTS_EXPORTED, object_type="survey", object_id=survey.public_id
        )
    return csv_text(header, rows)
