import os
from datetime import date, timedelta

import pytest
from django.conf import settings

from core.models import Membership, OrganisationKind
from survey.models import Survey
from tests import chromium
from tests.factories import AreaFactory, OrganisationFactory, member_of


@pytest.fixture
def area():
    return AreaFactory()


@pytest.fixture
def la(area):
    return OrganisationFactory(
        name="Warrington Borough Council", kind=OrganisationKind.LOCAL_AUTHORITY, area=area, urn=""
    )


@pytest.fixture
def la_officer(la):
    return member_of(la, Membership.Role.AP_OFFICER, username="officer")


@pytest.fixture
def school(area):
    return OrganisationFactory(name="Priestley High School", kind=OrganisationKind.SCHOOL, area=area)


@pytest.fixture
def other_school(area):
    return OrganisationFactory(name="Bridgewater Academy", kind=OrganisationKind.SCHOOL, area=area)


@pytest.fixture
def school_lead(school):
    return member_of(school, Membership.Role.DESIGNATED_LEAD, username="lead")


@pytest.fixture
def survey(area, la_officer):
    today = date.today()
    return Survey.objects.create(
        area=area,
        title="Views on AP, spring",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=10),
        languages=[code for code, _name in settings.LANGUAGES if code != "en"],
        created_by=la_officer,
    )


# The browser tests' Chromium (see tests/chromium.py): one per module, a fresh page per test.
@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium.CHROMIUM, args=chromium.CHROMIUM_FLAGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # axe-core is injected as a script, which the page's own CSP would rightly refuse.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
