"""Survey results: aggregated, and no group of fewer than 5 responses ever shown apart."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from core.models import AuditAction, AuditEvent
from survey.questions import PARENTS_CARERS, SETTINGS_SERVICES, YOUNG_PEOPLE
from survey.results import MINIMUM, suppress
from tests.survey_helpers import respond

pytestmark = pytest.mark.django_db


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(min_value=0, max_value=40), max_size=8))
def test_no_group_of_fewer_than_5_can_be_seen_or_worked_out(counts):
    shown = suppress(counts)
    assert shown.keys() == counts.keys()
    for key, n in shown.items():
        assert n is None or n == counts[key], "a shown figure is the true figure"
        assert n is None or n == 0 or n >= MINIMUM
    hidden_total = sum(counts[k] for k, n in shown.items() if n is None)
    if sum(counts.values()) >= MINIMUM:  # below that, the total itself is not shown
        assert hidden_total == 0 or hidden_total >= MINIMUM, "the total less the shown groups reveals no small group"


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(min_value=MINIMUM, max_value=40), max_size=8))
def test_groups_that_are_all_big_enough_are_all_shown(counts):
    assert suppress(counts) == counts


def test_the_next_smallest_group_is_hidden_when_one_small_group_could_be_worked_out():
    assert suppress({"now": 9, "left": 2}) == {"now": None, "left": None}
    assert suppress({"a": 9, "b": 6, "c": 2}) == {"a": 9, "b": None, "c": None}
    assert suppress({"a": 9, "b": 2, "c": 3}) == {"a": 9, "b": None, "c": None}
    assert suppress({"a": 9, "b": 0}) == {"a": 9, "b": 0}


def results_page(client, user, survey):
    client.force_login(user)
    return client.get(reverse("survey_detail", args=[survey.public_id]))


def result_for(page, audience):
    return next(r for r in page.context["results"] if r.audience is audience)


def test_fewer_than_5_responses_show_nothing(client, la_officer, survey):
    for _ in range(4):
        respond(survey, YOUNG_PEOPLE, answer="no", comment="I do not feel safe on the bus")
    page = results_page(client, la_officer, survey)
    result = result_for(page, YOUNG_PEOPLE)
    assert not result.shown
    assert result.questions == []
    assert result.comments == []
    html = page.content.decode()
    assert "No results published yet" in html
    assert "I do not feel safe on the bus" not in html


def test_results_count_answers_and_hide_a_small_group_with_the_next_smallest(client, la_officer, survey):
    for _ in range(7):
        respond(survey, PARENTS_CARERS, group="now", answer="yes")
    for _ in range(2):
        respond(survey, PARENTS_CARERS, group="left", answer="no", language="pl")
    result = result_for(results_page(client, la_officer, survey), PARENTS_CARERS)
    assert result.responses == 9
    assert dict(result.groups) == {"Now": None, "In the last 6 months, but not now": None}
    assert dict(result.languages) == {"English": None, "Polish": None}
    rows = result.questions[0].rows
    assert [r.label for r in rows] == ["Everyone"]
    assert rows[0].responses == 9
    assert rows[0].answers == [(7, 78), (0, 0), (2, 22), (0, 0)]


def test_groups_of_5_or_more_are_shown_apart(client, la_officer, survey):
    for group, answer, n in (("school", "yes", 6), ("ap_setting", "partly", 5), ("health", "no", 1)):
        for _ in range(n):
            respond(survey, SETTINGS_SERVICES, group=group, answer=answer)
    result = result_for(results_page(client, la_officer, survey), SETTINGS_SERVICES)
    groups = dict(result.groups)
    assert groups["A school"] == 6
    assert groups["A health service"] is None
    assert groups["An alternative provision setting"] is None, "hidden too, or health's 1 could be worked out"
    assert groups["Social care"] is None, "no answers yet: nothing published about it"
    labels = [r.label for r in result.questions[0].rows]
    assert labels == ["Everyone", "A school", "Other groups, together"]


def test_comments_are_shown_without_who_wrote_them_once_there_are_5(client, la_officer, survey):
    for i in range(5):
        respond(survey, YOUNG_PEOPLE, comment=f"Comment {i}" if i < 4 else "")
    assert result_for(results_page(client, la_officer, survey), YOUNG_PEOPLE).comments == []
    respond(survey, YOUNG_PEOPLE, comment="Comment 4")
    for _ in range(4):
        respond(survey, YOUNG_PEOPLE)
    assert len(result_for(results_page(client, la_officer, survey), YOUNG_PEOPLE).comments) == 5


def test_the_results_download_is_suppressed_like_the_page_and_audited(client, la_officer, survey):
    for _ in range(6):
        respond(survey, YOUNG_PEOPLE, answer="yes")
    respond(survey, PARENTS_CARERS, answer="no", comment='=HYPERLINK("http://x")')
    client.force_login(la_officer)
    response = client.get(reverse("survey_results_download", args=[survey.public_id]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["Parents and carers", "", "", "fewer than 5", "", "", "", "", ""] in rows
    assert not any("HYPERLINK" in cell for row in rows for cell in row)
    safe = [r for r in rows if r[0] == "Children and young people" and r[2] == "Everyone"]
    assert len(safe) == len(YOUNG_PEOPLE.questions)
    assert safe[0][3] == "6"
    assert safe[0][4] == "Yes: 6 (100%)"
    assert AuditEvent.objects.filter(action=AuditAction.SURVEY_RESULTS_EXPORTED, user=la_officer).exists()


def test_the_results_page_costs_the_same_queries_however_many_responses(client, la_officer, survey):
    client.force_login(la_officer)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("survey_detail", args=[survey.public_id])).status_code == 200
        return len(queries)

    for _ in range(5):
        respond(survey, YOUNG_PEOPLE)
    few = count_queries()
    for i in range(60):
        respond(survey, PARENTS_CARERS, group="now" if i % 2 else "left", answer="partly", comment=f"c{i}")
    assert count_queries() == few


def test_the_list_counts_only_published_answers(client, la_officer, survey):
    for _ in range(3):
        respond(survey, YOUNG_PEOPLE)
    client.force_login(la_officer)
    assert client.get(reverse("survey_list")).context["surveys"][0].response_count == 0
    respond(survey, YOUNG_PEOPLE)
    respond(survey, YOUNG_PEOPLE)
    results_page(client, la_officer, survey)
    assert client.get(reverse("survey_list")).context["surveys"][0].response_count == 5
