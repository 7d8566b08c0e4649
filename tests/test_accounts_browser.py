"""Accounts in a real browser: the LA adds a person, who sets a password from the emailed link; axe-core clean."""

import re

import pytest
from django.core import mail

from core.models import Membership
from tests.factories import PASSWORD
from tests.test_browser import assert_accessible, browser, page, sign_in  # noqa: F401 - shared fixtures

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_la_manager_adds_a_person_who_sets_a_password(page, live_server, la_officer, school):  # noqa: F811
    Membership.objects.filter(user=la_officer).update(may_manage_accounts=True)
    sign_in(page, live_server, la_officer.username)
    page.get_by_role("link", name="Accounts").click()
    assert_accessible(page, "accounts")
    page.get_by_role("link", name="Add a person").click()
    page.get_by_role("button", name="Add and send the link").click()
    page.locator(".govuk-error-summary").wait_for()
    assert_accessible(page, "account-new-error")
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Email address").fill("ada@school.example.org")
    page.get_by_label("Organisation").select_option(label=school.name)
    page.get_by_label("SENCO").check()
    page.get_by_role("button", name="Add and send the link").click()
    page.get_by_role("link", name="Ada Okafor").click()
    assert_accessible(page, "account-detail")
    page.get_by_role("button", name="Sign out").click()
    link = re.search(r"https?://\S+(/password/set/\S+/)", mail.outbox[0].body).group(1)
    page.goto(f"{live_server.url}{link}")
    page.get_by_role("heading", name="Set your password").wait_for()
    assert_accessible(page, "set-password")
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Set password").click()
    page.get_by_role("heading", name="Password set").wait_for()
    sign_in(page, live_server, "ada@school.example.org")
    page.get_by_text("Signed in as Ada Okafor").wait_for()
