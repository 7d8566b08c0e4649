"""The stakeholder survey: set up by the LA, answered without an account in every offered language."""

import re
import uuid
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from core.models import AuditAction, AuditEvent, Membership, OrganisationKind
from survey.models import Survey, SurveyAnswer, SurveyResponse
from survey.questions import AUDIENCES, PARENTS_CARERS, YOUNG_PEOPLE
from tests.factories import AreaFactory, InspectionFactory, OrganisationFactory, member_of
from tests.helpers import date_fields
from tests.survey_helpers import COMMUNITY, answer_url, answers_for

pytestmark = pytest.mark.django_db

# Setting up a survey


def survey_form(**overrides):
    today = date.today()
    data = {
        "title": "Views on AP",
        "languages": ["pl", "ro", "ur"],
        **date_fields("opens_on", today),
        **date_fields("closes_on", today + timedelta(days=14)),
    }
    data.update(overrides)
    return data


def test_the_la_sets_up_a_survey_and_it_is_audited(client, la_officer):
    client.force_login(la_officer)
    response = client.post(reverse("survey_new"), survey_form())
    survey = Survey.objects.get()
    assert response.url == reverse("survey_detail", args=[survey.public_id])
    assert survey.languages == ["pl", "ro", "ur"]
    assert AuditEvent.objects.filter(action=AuditAction.SURVEY_CREATED, object_id=survey.public_id).exists()
    page = client.get(response.url).content.decode()
    for language in ("en", "pl", "ro", "ur"):
        assert answer_url(survey, language) in page
    assert answer_url(survey, "ar") not in page
    assert page.count("<svg") == len(AUDIENCES), "a QR code of each audience's link, to print"


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"languages": ["pl", "ro"]}, "languages", "at least 3"),
        ({"languages": []}, "languages", "at least 3"),
        ({"languages": ["pl", "ro", "xx"]}, "languages", "not one of the available choices"),
        ({**date_fields("closes_on", date(2020, 1, 1))}, "closes_on", "close on or after the day it opens"),
        ({"title": ""}, "title", "Enter a title"),
    ],
)
def test_a_survey_that_breaks_a_rule_is_refused_on_its_field(client, la_officer, overrides, field, words):
    client.force_login(la_officer)
    response = client.post(reverse("survey_new"), survey_form(**overrides))
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors[field])
    assert not Survey.objects.exists()


def test_an_inspection_of_another_area_cannot_be_chosen(client, la_officer, survey):
    other_area = AreaFactory(name="Halton", la_code="876", ons_code="E06000006")
    other = InspectionFactory(area=other_area, created_by=la_officer)
    client.force_login(la_officer)
    response = client.post(reverse("survey_new"), survey_form(inspection=other.pk))
    assert "inspection" in response.context["form"].errors


def test_setting_up_from_an_inspection_takes_its_dates(client, la_officer, area):
    inspection = InspectionFactory(area=area, created_by=la_officer)
    client.force_login(la_officer)
    form = client.get(reverse("survey_new") + f"?for={inspection.public_id}").context["form"]
    assert form.initial["opens_on"] == inspection.notified_on
    assert form.initial["closes_on"] == inspection.visit_ends_on


def test_the_la_closes_a_survey_early(client, la_officer, survey):
    client.force_login(la_officer)
    yesterday = date.today() - timedelta(days=1)
    data = survey_form(**date_fields("opens_on", yesterday), **date_fields("closes_on", yesterday))
    client.post(reverse("survey_change", args=[survey.public_id]), data)
    survey.refresh_from_db()
    assert survey.closes_on == yesterday
    assert client.post(answer_url(survey), answers_for(YOUNG_PEOPLE)).status_code == 200
    assert not SurveyResponse.objects.exists()


def test_only_the_areas_la_sees_its_surveys(client, survey, school_lead):
    client.force_login(school_lead)
    assert client.get(reverse("survey_list")).status_code == 404
    assert client.get(reverse("survey_new")).status_code == 404
    assert client.get(reverse("survey_detail", args=[survey.public_id])).status_code == 404
    assert client.get(reverse("survey_results_download", args=[survey.public_id])).status_code == 404
    other_la = OrganisationFactory(
        kind=OrganisationKind.LOCAL_AUTHORITY,
        area=AreaFactory(name="Halton", la_code="876", ons_code="E06000006"),
        urn="",
    )
    client.force_login(member_of(other_la, Membership.Role.AP_OFFICER))
    assert client.get(reverse("survey_detail", args=[survey.public_id])).status_code == 404


def test_the_inspectors_of_its_inspection_read_results_during_the_visit_only(client, survey, la_officer, area):
    inspection = InspectionFactory(area=area, created_by=la_officer)
    ofsted = OrganisationFactory(kind=OrganisationKind.INSPECTORATE, area=area, urn="", name="Ofsted")
    inspector = member_of(ofsted, Membership.Role.INSPECTOR, username="hmi")
    inspection.inspectors.add(inspector)
    client.force_login(inspector)
    detail = reverse("survey_detail", args=[survey.public_id])
    assert client.get(detail).status_code == 404
    survey.inspection = inspection
    survey.save()
    assert client.get(detail).status_code == 200
    # Inspectors change nothing: the form is not theirs to open.
    assert client.get(reverse("survey_change", args=[survey.public_id])).status_code == 403
    with time_machine.travel(inspection.visit_ends_on + timedelta(days=1)):
        client.force_login(inspector)
        assert client.get(detail).status_code == 404


# Answering it


def test_anyone_with_the_link_answers_without_an_account(client, survey):
    page = client.get(reverse("survey_start", args=[survey.link_key]))
    assert page.status_code == 200
    for audience in AUDIENCES:
        assert answer_url(survey, "en", audience) in page.content.decode()
    response = client.post(answer_url(survey), answers_for(YOUNG_PEOPLE, comment="The staff are kind"))
    assert response.status_code == 302
    saved = SurveyResponse.objects.get()
    assert (saved.audience, saved.group, saved.language, saved.comment) == (
        "young_person",
        "now",
        "en",
        "The staff are kind",
    )
    assert SurveyAnswer.objects.filter(response=saved).count() == len(YOUNG_PEOPLE.questions)


def test_a_link_that_does_not_exist_or_a_language_not_offered_is_not_found(client, survey):
    assert client.get(reverse("survey_start", args=["not-a-survey"])).status_code == 404
    survey.languages = ["pl", "ro", "ur"]
    survey.save()
    assert client.get(answer_url(survey, "ar")).status_code == 404
    assert client.get(reverse("survey_answer", args=[survey.link_key, "en", "teachers"])).status_code == 404


def test_sending_the_same_form_twice_records_one_response(client, survey):
    data = answers_for(PARENTS_CARERS)
    client.post(answer_url(survey, audience=PARENTS_CARERS), data)
    client.post(answer_url(survey, audience=PARENTS_CARERS), data)
    assert SurveyResponse.objects.count() == 1


def test_a_missing_answer_is_named_and_nothing_is_saved(client, survey):
    data = answers_for(YOUNG_PEOPLE)
    del data["q_safe"]
    response = client.post(answer_url(survey), data)
    assert response.status_code == 200
    assert "Choose an answer to: Do you feel safe at your AP?" in response.content.decode()
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("group", "teacher"), ("q_safe", "maybe"), ("comment", "x" * 2001), ("submission_id", "not-an-id")],
)
def test_answers_that_are_not_offered_are_refused(client, survey, field, value):
    response = client.post(answer_url(survey), answers_for(YOUNG_PEOPLE, **{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not SurveyResponse.objects.exists()


def test_a_survey_not_yet_open_or_closed_takes_no_answers(client, survey):
    for opens, closes in ((1, 5), (-5, -1)):
        survey.opens_on, survey.closes_on = date.today() + timedelta(days=opens), date.today() + timedelta(days=closes)
        survey.save()
        page = client.get(answer_url(survey))
        assert "This survey is not open" in page.content.decode()
        client.post(answer_url(survey), answers_for(YOUNG_PEOPLE))
    assert not SurveyResponse.objects.exists()


# The language switcher names each language in itself, on every page.
LANGUAGE_NAMES = {translation.get_language_info(code)["name_local"] for code, _name in settings.LANGUAGES}


class VisibleText(HTMLParser):
    """The words a reader sees or hears: text nodes outside scripts and styles."""

    def __init__(self):
        super().__init__()
        self.texts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style", "title")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style", "title")

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._skip and re.search(r"[A-Za-z]{3}", text):
            self.texts.append(text)


def visible_texts(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    return set(parser.texts)


@pytest.mark.parametrize("language", COMMUNITY)
def test_every_offered_language_is_translated_and_takes_answers(client, survey, language):
    """Each page reads in the language chosen, with nothing left in English, and the answers are kept."""
    leave_alone = {survey.area.name, "Childline", *LANGUAGE_NAMES}
    for audience in AUDIENCES:
        english = client.get(answer_url(survey, "en", audience)).content.decode()
        page = client.get(answer_url(survey, language, audience)).content.decode()
        assert f'lang="{language}"' in page
        assert ('dir="rtl"' in page.split(">", 2)[1]) == translation.get_language_info(language)["bidi"]
        untranslated = (visible_texts(english) & visible_texts(page)) - leave_alone
        assert not untranslated, f"{language}: still in English: {sorted(untranslated)}"
        with translation.override(language):
            heading = str(audience.heading)
        assert heading != str(audience.heading)
        assert escape(heading) in page
        errors = client.post(answer_url(survey, language, audience), {"submission_id": str(uuid.uuid4())})
        error_text = errors.content.decode()
        with translation.override(language):
            assert translation.gettext("There is a problem") in error_text
            assert translation.gettext("There is a problem") != "There is a problem"
        thanks = client.post(answer_url(survey, language, audience), answers_for(audience, answer="partly"))
        assert thanks.status_code == 302
        thanks_page = client.get(thanks.url).content.decode()
        with translation.override(language):
            assert translation.gettext("Thank you") in thanks_page
    saved = SurveyResponse.objects.filter(language=language)
    assert saved.count() == len(AUDIENCES)
    assert set(SurveyAnswer.objects.filter(response__in=saved).values_list("answer", flat=True)) == {"partly"}


@pytest.mark.parametrize("language", COMMUNITY)
def test_the_start_and_closed_pages_are_translated(client, survey, language):
    start = reverse("survey_start_in", args=[survey.link_key, "en"])
    english = visible_texts(client.get(start).content.decode())
    page = visible_texts(client.get(reverse("survey_start_in", args=[survey.link_key, language])).content.decode())
    assert not (english & page) - {survey.area.name, *LANGUAGE_NAMES}
    survey.closes_on = survey.opens_on = date.today() - timedelta(days=2)
    survey.save()
    english = visible_texts(client.get(answer_url(survey)).content.decode())
    page = visible_texts(client.get(answer_url(survey, language)).content.decode())
    assert not (english & page) - {survey.area.name, *LANGUAGE_NAMES}


def test_staff_pages_stay_in_english_after_a_survey_in_another_language(client, survey, la_officer):
    client.get(answer_url(survey, "pl"))
    client.force_login(la_officer)
    page = client.get(reverse("survey_detail", args=[survey.public_id])).content.decode()
    assert 'lang="en-gb"' in page
    assert "Skip to main content" in page
