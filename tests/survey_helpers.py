"""Helpers for the survey tests: links, form data and responses."""

import uuid
from datetime import date

from django.conf import settings
from django.urls import reverse

from survey.questions import YOUNG_PEOPLE
from survey.services import survey_response_submit

COMMUNITY = [code for code, _name in settings.LANGUAGES if code != "en"]


def answer_url(survey, language="en", audience=YOUNG_PEOPLE):
    return reverse("survey_answer", args=[survey.link_key, language, audience.slug])


def answers_for(audience, group=None, answer="yes", **extra) -> dict:
    data = {"submission_id": str(uuid.uuid4()), "group": group or audience.groups[0][0], "comment": ""}
    data.update({f"q_{q.key}": answer for q in audience.questions})
    data.update(extra)
    return data


def respond(survey, audience=YOUNG_PEOPLE, group=None, language="en", answer="yes", comment="", today=None):
    """A response recorded straight through the service, for result tests."""
    return survey_response_submit(
        survey=survey,
        audience=audience,
        language=language,
        submission_id=uuid.uuid4(),
        group=group or audience.groups[0][0],
        answers={q.key: answer for q in audience.questions},
        comment=comment,
        today=today or date.today(),
    )
