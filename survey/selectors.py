"""Reading surveys and their results: the LA of the area, or an inspector of the survey's inspection during the visit."""

from datetime import date

from django.db.models import Count, F, Q
from django.http import Http404

from core.access import inspection_open_rule, is_la_officer
from core.models import User
from survey.models import Survey, SurveyAnswer, SurveyRelease
from survey.results import AudienceResult, survey_results_build

# The list shows how many answers are in the published results, not how many have come in.
_RELEASED_COUNT = Count("responses", filter=Q(responses__release__isnull=False))


def surveys_for(*, user: User, today: date | None = None):
    today = today or date.today()
    if is_la_officer(user):
        return Survey.objects.filter(area=user.primary_organisation.area).annotate(response_count=_RELEASED_COUNT)
    return Survey.objects.filter(inspection_open_rule(today, "inspection__"), inspection__inspectors=user).annotate(
        response_count=_RELEASED_COUNT
    )


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


def survey_groupings(*, survey: Survey) -> dict[str, tuple[set[str], set[str]]]:
    """Each audience's groups shown apart and pooled, as its last release left them."""
    groupings = {}
    for release in SurveyRelease.objects.filter(survey=survey).order_by("number"):
        groupings[release.audience] = (set(release.groups_apart), set(release.groups_pooled))
    return groupings


def survey_releases(*, survey: Survey):
    return SurveyRelease.objects.filter(survey=survey).order_by("-released_at", "-pk")


def survey_results(*, survey: Survey) -> list[AudienceResult]:
    """Released answers only, counted by audience, group, language and answer: four queries, however many responses."""
    released = survey.responses.filter(release__isnull=False)
    responses = released.values("audience", "group", "language").annotate(n=Count("id")).order_by()
    answers = (
        SurveyAnswer.objects.filter(response__survey=survey, response__release__isnull=False)
        .values("question", "answer", audience=F("response__audience"), group=F("response__group"))
        .annotate(n=Count("id"))
        .order_by()
    )
    comments = released.exclude(comment="").values_list("audience", "comment")
    return survey_results_build(
        responses=list(responses),
        answers=list(answers),
        comments=list(comments),
        groupings=survey_groupings(survey=survey),
    )
