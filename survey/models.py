"""The stakeholder survey an area runs about its alternative provision (Annex A guidance, "Survey arrangements").

Respondents have no account and give no name. A response keeps the least that serves:
who answered (which of the three audiences, and the answer to the one "about you"
question), the language, the day, and the answers by key.
"""

import secrets
import uuid
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import F, Q

from core.models import Area, User
from survey.questions import ANSWER_KEYS, AUDIENCES


def new_link_key() -> str:
    """The part of the public link that cannot be guessed: 72 random bits, short enough to type."""
    return secrets.token_urlsafe(9)


class Survey(models.Model):
    """One run of the survey, open between two dates, in English and the languages the area chose."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(max_length=200, help_text="For your own lists; respondents do not see it")
    inspection = models.ForeignKey(
        "inspection.Inspection",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
        help_text="The inspection this survey is run for, if any: its inspectors may read the results during the visit",
    )
    opens_on = models.DateField("opens on")
    closes_on = models.DateField("closes on", help_text="The last day people can answer")
    languages = models.JSONField(default=list, help_text="Languages offered besides English")
    link_key = models.CharField(max_length=16, unique=True, default=new_link_key, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="survey_dates_in_order",
                violation_error_message="The survey must close on or after the day it opens.",
                violation_error_code="closes_on",
            )
        ]

    def __str__(self):
        return self.title

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


def _valid_groups() -> Q:
    """Each audience's answer to its "about you" question is one of that audience's own groups."""
    return reduce(or_, (Q(audience=a.key, group__in=[g for g, _ in a.groups]) for a in AUDIENCES))


class SurveyRelease(models.Model):
    """One publication of an audience's results: the answers it added, and how the groups are shown from then on.

    The results page and its download read only released answers. survey.results.release_plan
    decides each release: at least 5 new answers per group it touches, and a group pooled
    once stays pooled.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="releases")
    audience = models.CharField(max_length=20, choices=[(a.key, a.name) for a in AUDIENCES])
    number = models.PositiveIntegerField(help_text="1 for the audience's first release, then 2, 3 and so on")
    released_at = models.DateTimeField(auto_now_add=True)
    groups_apart = models.JSONField(default=list, help_text="Groups shown apart from this release on")
    groups_pooled = models.JSONField(default=list, help_text="Groups shown only together from this release on")
    responses_added = models.PositiveIntegerField(help_text="How many answers this release added to the results")

    class Meta:
        ordering = ["survey", "audience", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "audience", "number"], name="survey_release_numbered_once"),
        ]

    def __str__(self):
        return f"{self.get_audience_display()}, release {self.number}"


class SurveyResponse(models.Model):
    """One person's answers. No name, no account, no time of day: the date is enough."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    audience = models.CharField(max_length=20, choices=[(a.key, a.name) for a in AUDIENCES])
    group = models.CharField(max_length=20)
    language = models.CharField(max_length=10)
    # Made when the form is shown, so sending the same form twice records one response.
    submission_id = models.UUIDField(unique=True)
    submitted_on = models.DateField()
    comment = models.TextField(blank=True, max_length=2000)
    release = models.ForeignKey(
        SurveyRelease,
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="responses",
        help_text="The release that added this answer to the results; empty while it waits for one",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=_valid_groups(), name="survey_response_group_of_its_audience"),
        ]

    def __str__(self):
        return f"{self.get_audience_display()} response"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=30)
    answer = models.CharField(max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once_per_question"),
            models.CheckConstraint(condition=Q(answer__in=ANSWER_KEYS), name="survey_answer_known"),
        ]

    def __str__(self):
        return f"{self.question}: {self.answer}"
