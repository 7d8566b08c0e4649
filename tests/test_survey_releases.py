"""The survey cannot be differenced: results are published in releases (issue 9, item 6).

Reading the results before and after one person answers must not tell anyone what they
answered, and one made-up answer must not unhide a small group.
"""

import csv
import io

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.models import SurveyRelease
from survey.questions import PARENTS_CARERS, SETTINGS_SERVICES, YOUNG_PEOPLE
from survey.results import EVERYONE, MINIMUM, published_counts, release_plan
from tests.survey_helpers import respond

pytestmark = pytest.mark.django_db

GROUPS = [g for g, _label in SETTINGS_SERVICES.groups]


class Simulation:
    """One audience's answers arriving and being released by the rule, as the service does, without a database."""

    def __init__(self):
        self.apart, self.pooled = set(), set()
        self.released: dict[str, int] = {}
        self.waiting: dict[str, int] = {}
        self.first = True

    def answer(self, group):
        self.waiting[group] = self.waiting.get(group, 0) + 1

    def release(self) -> dict[str, int]:
        plan = release_plan(apart=self.apart, pooled=self.pooled, waiting=self.waiting, first=self.first)
        assert self.apart <= plan.apart, "a group shown apart stays apart"
        assert self.pooled <= plan.pooled, "a pooled group stays pooled"
        assert not (plan.apart & plan.pooled)
        self.apart, self.pooled = set(plan.apart), set(plan.pooled)
        for g in plan.release:
            self.released[g] = self.released.get(g, 0) + self.waiting.pop(g, 0)
        self.first = self.first and not plan.release
        return self.published()

    def published(self) -> dict[str, int]:
        return published_counts(apart=self.apart, pooled=self.pooled, released=self.released)


# A sequence of events: an answer from a group, or someone reading the results (a release).
events = st.lists(st.one_of(st.sampled_from(GROUPS), st.just(None)), max_size=120)


def assert_only_steps_of_five(before: dict[str, int], after: dict[str, int]):
    for figure, n in after.items():
        change = n - before.get(figure, 0)
        assert change == 0 or change >= MINIMUM, f"{figure} moved by {change}"


@settings(max_examples=300)
@given(events)
def test_published_figures_move_only_in_steps_of_five_and_no_shown_group_is_small(sequence):
    sim = Simulation()
    published = sim.release()
    for event in sequence:
        if event is None:
            now = sim.release()
            assert_only_steps_of_five(published, now)
            published = now
        else:
            sim.answer(event)
        for figure, n in sim.published().items():
            assert n == 0 or n >= MINIMUM, f"{figure} shows {n}"
        assert sim.published()[EVERYONE] == sum(n for f, n in sim.published().items() if f != EVERYONE)


@settings(max_examples=300)
@given(events, st.lists(st.sampled_from(GROUPS), min_size=1, max_size=MINIMUM - 1))
def test_one_to_four_more_answers_never_reveal_themselves(sequence, extra):
    sim = Simulation()
    for event in sequence:
        sim.release() if event is None else sim.answer(event)
    before = sim.release()
    waiting_before = sum(sim.waiting.values())
    for group in extra:
        sim.answer(group)
    after = sim.release()
    assert_only_steps_of_five(before, after)
    if waiting_before + len(extra) < MINIMUM:
        assert after == before, "fewer than 5 answers waiting change nothing"
    assert not (set(sim.pooled) & after.keys()), "a pooled group is never a figure of its own"


# Through the pages


def results_page(client, user, survey):
    client.force_login(user)
    return client.get(reverse("survey_detail", args=[survey.public_id]))


def results_csv(client, survey) -> list[list[str]]:
    response = client.get(reverse("survey_results_download", args=[survey.public_id]))
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def result_for(page, audience):
    return next(r for r in page.context["results"] if r.audience is audience)


def test_the_results_before_and_after_one_answer_are_the_same(client, la_officer, survey):
    for i in range(12):
        respond(survey, PARENTS_CARERS, group="now" if i < 7 else "left", answer="yes", comment=f"Fine {i}")
    before = results_page(client, la_officer, survey).context["results"]
    before_csv = results_csv(client, survey)
    respond(survey, PARENTS_CARERS, group="left", answer="no", language="pl", comment="My son is not safe there")
    after = results_page(client, la_officer, survey)
    assert after.context["results"] == before, "one person's six answers cannot be read off"
    assert results_csv(client, survey) == before_csv
    assert "My son is not safe there" not in after.content.decode()


def test_answers_are_published_once_five_more_from_a_group_have_come_in(client, la_officer, survey):
    for i in range(12):
        respond(survey, PARENTS_CARERS, group="now" if i < 7 else "left")
    results_page(client, la_officer, survey)
    for _ in range(4):
        respond(survey, PARENTS_CARERS, group="now", answer="no")
    result = result_for(results_page(client, la_officer, survey), PARENTS_CARERS)
    assert dict(result.groups)["Now"] == 7
    respond(survey, PARENTS_CARERS, group="now", answer="no")
    result = result_for(results_page(client, la_officer, survey), PARENTS_CARERS)
    assert result.responses == 17
    assert dict(result.groups) == {"Now": 12, "In the last 6 months, but not now": 5}
    assert [r.responses for r in result.questions[0].rows] == [17, 12, 5]
    assert list(SurveyRelease.objects.values_list("number", "responses_added")) == [(1, 12), (2, 5)]


def test_one_made_up_answer_cannot_unhide_a_group_of_four(client, la_officer, survey):
    for group, n in (("school", 20), ("ap_setting", 9), ("health", 4)):
        for _ in range(n):
            respond(survey, SETTINGS_SERVICES, group=group, answer="partly")
    before = result_for(results_page(client, la_officer, survey), SETTINGS_SERVICES)
    assert dict(before.groups)["A health service"] is None
    respond(survey, SETTINGS_SERVICES, group="health", answer="no")
    after = result_for(results_page(client, la_officer, survey), SETTINGS_SERVICES)
    assert after == before
    for _ in range(9):
        respond(survey, SETTINGS_SERVICES, group="health", answer="no")
    later = result_for(results_page(client, la_officer, survey), SETTINGS_SERVICES)
    groups = dict(later.groups)
    assert groups["A health service"] is None, "once pooled, always pooled"
    assert groups["An alternative provision setting"] is None
    assert [r.label for r in later.questions[0].rows] == ["Everyone", "A school", "Other groups, together"]
    assert later.questions[0].rows[2].responses == 23


def test_a_group_with_no_answers_at_the_first_release_is_shown_apart_once_it_has_five(client, la_officer, survey):
    for _ in range(6):
        respond(survey, SETTINGS_SERVICES, group="school")
    results_page(client, la_officer, survey)
    for _ in range(5):
        respond(survey, SETTINGS_SERVICES, group="social_care", answer="no")
    result = result_for(results_page(client, la_officer, survey), SETTINGS_SERVICES)
    assert dict(result.groups)["Social care"] == 5
    assert dict(result.groups)["A school"] == 6


def test_the_download_holds_only_published_answers(client, la_officer, survey):
    for _ in range(6):
        respond(survey, YOUNG_PEOPLE, answer="yes")
    results_page(client, la_officer, survey)
    for _ in range(3):
        respond(survey, YOUNG_PEOPLE, answer="no")
    rows = results_csv(client, survey)
    everyone = [r for r in rows if r[0] == "Children and young people" and r[2] == "Everyone"]
    assert everyone[0][3] == "6"
    assert everyone[0][4] == "Yes: 6 (100%)"


def test_languages_are_shown_in_steps_of_five(client, la_officer, survey):
    for i in range(13):
        respond(survey, YOUNG_PEOPLE, language="pl" if i < 6 else "en")
    page = results_page(client, la_officer, survey)
    assert dict(result_for(page, YOUNG_PEOPLE).languages) == {"English": 5, "Polish": 5}
    assert "5 or more" in page.content.decode()
