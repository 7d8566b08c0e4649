"""A stakeholder survey for the demo borough, half-way through, with enough answers to show results.

Its results have been published once; two answers from today wait for the next release."""

import random
import uuid
from datetime import date, timedelta

from core.models import Area, User
from survey.models import Survey
from survey.questions import AUDIENCES
from survey.services import survey_response_submit, survey_results_release

# How many people of each audience answer, and the languages they answer in.
RESPONSES = {"young_person": 26, "parent_carer": 17, "setting": 21}
LANGUAGES = {"en": 40, "pl": 6, "ro": 3, "ur": 3, "bn": 1}
COMMENTS = [
    "My tutor listens to me and I feel calmer now.",
    "The taxi is often late so I miss the start of the day.",
    "We were not told what the plan is after Easter.",
    "Staff are kind but there is not enough maths.",
    "Referral forms often arrive without the EHC plan.",
    "Dziecko jest szczęśliwsze, ale nikt nie powiedział nam, jak długo to potrwa.",
    "I would like more days at the centre.",
]


def survey_demo_build(*, area: Area, officer: User, seed: int, today: date, inspection=None) -> Survey:
    """The same seed gives the same answers: mostly content, with some real worries.

    Run for the inspection under way, so that its inspectors can read the results.
    """
    rng = random.Random(f"demo-survey-{seed}")
    survey = Survey.objects.create(
        area=area,
        title="Views on alternative provision, autumn term",
        opens_on=today - timedelta(days=20),
        closes_on=today + timedelta(days=14),
        languages=["bn", "pl", "ro", "ur"],
        inspection=inspection,
        created_by=officer,
    )
    languages = [code for code, n in LANGUAGES.items() for _ in range(n)]
    for audience in AUDIENCES:
        for _ in range(RESPONSES[audience.key]):
            _answer(survey, audience, rng, languages, today - timedelta(days=rng.randrange(1, 20)))
    # Published once; then a few answers from today wait for the next release (5 more per group).
    survey_results_release(survey=survey)
    for audience in AUDIENCES[:2]:
        _answer(survey, audience, rng, languages, today)
    return survey


def _answer(survey, audience, rng, languages, day) -> None:
    survey_response_submit(
        survey=survey,
        audience=audience,
        language=rng.choice(languages),
        submission_id=uuid.UUID(int=rng.getrandbits(128)),
        group=rng.choices([g for g, _label in audience.groups], weights=range(len(audience.groups), 0, -1))[0],
        answers={
            q.key: rng.choices(("yes", "partly", "no", "not_sure"), weights=(55, 25, 12, 8))[0]
            for q in audience.questions
        },
        comment=rng.choice(COMMENTS) if rng.random() < 0.3 else "",
        today=day,
    )
