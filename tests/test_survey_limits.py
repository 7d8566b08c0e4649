"""The survey cannot be stuffed: answers are bounded per device and per link (issue 9, item 6)."""

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.utils import translation

from core.counters import client_ip
from core.models import RateCount
from survey.models import SurveyResponse
from survey.questions import PARENTS_CARERS, YOUNG_PEOPLE
from tests.survey_helpers import answer_url, answers_for

pytestmark = pytest.mark.django_db

TOO_MANY = "You have sent several answers from this device in a short time. Please try again later."


@override_settings(SURVEY_RATE_PER_CLIENT="10/h")
def test_thirty_quick_answers_from_one_device_store_only_the_limit(client, survey):
    statuses = [client.post(answer_url(survey), answers_for(YOUNG_PEOPLE)).status_code for _ in range(30)]
    assert statuses == [302] * 10 + [429] * 20
    assert SurveyResponse.objects.count() == 10
    refused = client.post(answer_url(survey), answers_for(YOUNG_PEOPLE))
    assert TOO_MANY in refused.content.decode()


@override_settings(SURVEY_RATE_PER_CLIENT="2/h")
def test_another_device_may_still_answer(client, survey):
    for _ in range(3):
        client.post(answer_url(survey), answers_for(YOUNG_PEOPLE), REMOTE_ADDR="203.0.113.7")
    response = client.post(answer_url(survey), answers_for(YOUNG_PEOPLE), REMOTE_ADDR="198.51.100.2")
    assert response.status_code == 302
    assert SurveyResponse.objects.count() == 3


@override_settings(SURVEY_RATE_PER_CLIENT="100/h", SURVEY_RATE_PER_LINK="4/h")
def test_one_link_takes_a_bounded_number_of_answers_from_everyone(client, survey):
    for i in range(6):
        client.post(answer_url(survey), answers_for(YOUNG_PEOPLE), REMOTE_ADDR=f"198.51.100.{i}")
    assert SurveyResponse.objects.count() == 4


@override_settings(SURVEY_RATE_PER_CLIENT="1/h")
def test_a_form_with_a_mistake_does_not_use_up_the_limit(client, survey):
    data = answers_for(YOUNG_PEOPLE)
    del data["q_safe"]
    assert client.post(answer_url(survey), data).status_code == 200
    assert client.post(answer_url(survey), answers_for(YOUNG_PEOPLE)).status_code == 302


@override_settings(SURVEY_RATE_PER_CLIENT="1/h")
@pytest.mark.parametrize("language", ["pl", "ar"])
def test_the_refusal_is_in_the_language_of_the_survey(client, survey, language):
    survey.languages = ["ar", "pl", "ro"]
    survey.save()
    url = answer_url(survey, language, PARENTS_CARERS)
    client.post(url, answers_for(PARENTS_CARERS))
    refused = client.post(url, answers_for(PARENTS_CARERS))
    assert refused.status_code == 429
    with translation.override(language):
        assert translation.gettext(TOO_MANY) != TOO_MANY
        assert translation.gettext(TOO_MANY) in refused.content.decode()


@override_settings(SURVEY_RATE_PER_CLIENT="2/h", CLIENT_IP_HEADER="X-Forwarded-For")
def test_behind_a_proxy_each_client_is_counted_by_the_header_the_proxy_sets(client, survey):
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(3):
        client.post(answer_url(survey), answers_for(YOUNG_PEOPLE), HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    other = client.post(answer_url(survey), answers_for(YOUNG_PEOPLE), HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy)
    assert other.status_code == 302
    assert SurveyResponse.objects.count() == 3


def test_the_client_address_is_read_from_the_named_header_only(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    with override_settings(CLIENT_IP_HEADER=""):
        assert client_ip(request) == "10.0.0.1"
    with override_settings(CLIENT_IP_HEADER="X-Forwarded-For"):
        assert client_ip(request) == "203.0.113.7", "the address the proxy saw, not one the client wrote"
    with override_settings(CLIENT_IP_HEADER="X-Real-IP"):
        assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="not an address")) == "10.0.0.1"


def test_the_counter_cache_counts_in_the_database():
    cache = caches["counters"]
    assert cache.add("k", 1, 60) is True
    assert cache.add("k", 1, 60) is False
    assert [cache.incr("k") for _ in range(3)] == [2, 3, 4]
    assert cache.get("k") == 4
    assert RateCount.objects.get().count == 4
    with pytest.raises(ValueError, match="not found"):
        cache.incr("missing")
    with pytest.raises(TypeError):
        cache.set("k", "text")


def test_an_expired_counter_starts_again():
    cache = caches["counters"]
    cache.add("k", 5, 60)
    RateCount.objects.update(expires_at="2000-01-01T00:00:00Z")
    assert cache.get("k") is None
    with pytest.raises(ValueError, match="not found"):
        cache.incr("k")
    assert cache.add("k", 1, 60) is True
    assert cache.get("k") == 1
