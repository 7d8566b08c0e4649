"""Reading surveys and their results: the LA of the area, or an inspector of the survey's inspection during the visit."""

from datetime import date

from django.db.models import Count, F
from django.http import Http404

from core.access import is_la_officer
from core.models import User
from survey.models import Survey, SurveyAnswer
from survey.results import AudienceResult, survey_results_build


def surveys_for(*, user: User, today: date | None = None):
    today = today or date.today()
    if is_la_officer(user):
        return Survey.objects.filter(area=user.primary_organisation.area).annotate(response_count=Count("responses"))
    return Survey.objects.filter(
        inspection__inspectors=user, inspection__notified_on__lte=today, inspection__visit_ends_on__gte=today
    ).annotate(response_count=Count("responses"))


def survey_get(*, user: User, public_id, today: date | None = None) -> Survey:
    """The survey, if this person may see it; otherwise "not found", alike for missing and forbidden."""
    survey = (
        surveys_for(user=user, today=today).select_related("area", "inspection").filter(public_id=public_id).first()
    )
    if survey is None:
        raise Http404("Not found")
    return survey


def survey_by_link(*, link_key: str) -> Survey:
    survey = Survey.objects.select_related("area").filter(link_key=link_key).first()
    if survey is None:
        raise Http404("Not found")
    return survey


def survey_results(*, survey: Survey) -> list[AudienceResult]:
    """Counts by audience, group, language and answer: three queries, however many responses."""
    responses = survey.responses.values("audience", "group", "language").annotate(n=Count("id")).order_by()
    answers = (
        SurveyAnswer.objects.filter(response__survey=survey)
        .values("question", "answer", audience=F("response__audience"), group=F("response__group"))
        .annotate(n=Count("id"))
        .order_by()
    )
    comments = survey.responses.exclude(comment="").values_list("audience", "comment")
    return survey_results_build(responses=list(responses), answers=list(answers), comments=list(comments))
