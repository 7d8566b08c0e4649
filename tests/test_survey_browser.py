"""The survey in a real browser: answered on a phone in Urdu, set up and read by the LA; axe-core clean."""

from datetime import date, timedelta

import pytest

from survey.models import SurveyResponse
from survey.questions import PARENTS_CARERS, YOUNG_PEOPLE
from tests.chromium import assert_accessible, sign_in
from tests.survey_helpers import answer_url, respond

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def phone(browser):  # noqa: F811
    context = browser.new_context(bypass_csp=True, viewport={"width": 375, "height": 740}, is_mobile=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):  # noqa: F811
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_a_young_person_answers_in_urdu_on_a_phone(phone, live_server, survey):
    phone.goto(f"{live_server.url}{answer_url(survey, 'ur', YOUNG_PEOPLE)}")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert phone.locator("html").get_attribute("lang") == "ur"
    assert_accessible(phone, "survey-ur-young-people")
    phone.locator("form .govuk-button").click()
    phone.locator(".govuk-error-summary").wait_for()
    assert_accessible(phone, "survey-ur-errors")
    phone.locator(".govuk-error-summary__list a").first.click()
    assert phone.evaluate("document.activeElement.id") == "id_group_0"
    for name in ["group", *[f"q_{q.key}" for q in YOUNG_PEOPLE.questions]]:
        phone.locator(f"#id_{name}_0").check()
    phone.locator("#id_comment").fill("مجھے یہاں اچھا لگتا ہے")
    phone.locator("form .govuk-button").click()
    phone.locator(".govuk-panel").wait_for()
    assert_accessible(phone, "survey-ur-thanks")
    saved = SurveyResponse.objects.get()
    assert (saved.language, saved.comment) == ("ur", "مجھے یہاں اچھا لگتا ہے")


def test_a_parent_switches_language_and_answers_in_polish(phone, live_server, survey):
    phone.goto(f"{live_server.url}{answer_url(survey, 'en', PARENTS_CARERS)}")
    phone.get_by_role("link", name="Polski").click()
    assert phone.locator("html").get_attribute("lang") == "pl"
    assert_accessible(phone, "survey-pl-parents")
    for name in ["group", *[f"q_{q.key}" for q in PARENTS_CARERS.questions]]:
        phone.locator(f"#id_{name}_1").check()
    phone.locator("form .govuk-button").click()
    phone.locator(".govuk-panel").wait_for()
    assert SurveyResponse.objects.get().language == "pl"


def test_the_la_sets_up_a_survey_and_reads_its_results(desktop, live_server, la_officer, area, survey):
    for i in range(7):
        respond(survey, YOUNG_PEOPLE, group="now" if i < 5 else "left", comment=f"Comment {i}")
    sign_in(desktop, live_server, la_officer.username)
    desktop.goto(f"{live_server.url}/surveys/")
    assert_accessible(desktop, "surveys")
    desktop.get_by_role("link", name="Set up a survey").click()
    desktop.get_by_label("Title").fill("Summer views")
    today = date.today()
    for prefix, day in (("opens_on", today), ("closes_on", today + timedelta(days=14))):
        desktop.locator(f"#id_{prefix}_0").fill(str(day.day))
        desktop.locator(f"#id_{prefix}_1").fill(str(day.month))
        desktop.locator(f"#id_{prefix}_2").fill(str(day.year))
    desktop.get_by_label("Polish (polski)").check()
    desktop.get_by_role("button", name="Save").click()
    desktop.locator(".govuk-error-summary").wait_for()
    assert_accessible(desktop, "survey-form-error")
    desktop.get_by_label("Romanian (Română)").check()
    desktop.get_by_label("Urdu (اردو)").check()
    desktop.get_by_role("button", name="Save").click()
    desktop.get_by_role("heading", name="Links to share").wait_for()
    assert_accessible(desktop, "survey-new")
    desktop.goto(f"{live_server.url}/surveys/{survey.public_id}/")
    desktop.get_by_role("heading", name="Results").wait_for()
    assert_accessible(desktop, "survey-results")
