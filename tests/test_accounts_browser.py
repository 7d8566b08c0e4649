"""Accounts in a real browser: the LA adds a person, who sets a password from the emailed link; axe-core clean."""

import re

import pytest
from django.core import mail

from core.models import Membership
from tests.chromium import assert_accessible, sign_in
from tests.factories import PASSWORD

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


def test_setting_up_the_authenticator_app_is_accessible(page, live_server, school_lead, settings):  # noqa: F811
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.TWO_FACTOR_REQUIRED = True
    sign_in(page, live_server, school_lead.username)
    page.get_by_role("heading", name="Set up your authenticator app").wait_for()
    assert page.get_by_role("img", name="QR code to add AP Oversight to your authenticator app").is_visible()
    assert_accessible(page, "two-factor-setup")
    page.get_by_role("textbox", name="Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    page.locator(".govuk-error-summary").wait_for()
    assert_accessible(page, "two-factor-setup-error")
    device = TOTPDevice.objects.get(user=school_lead)
    page.wait_for_timeout(1100)  # a wrong code makes the next try wait a second
    page.get_by_role("textbox", name="Code").fill(f"{TOTP(device.bin_key).token():06d}")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Keep these backup codes safe").wait_for()
    assert_accessible(page, "two-factor-backup-codes")
    page.get_by_role("link", name="Continue").click()
    page.get_by_text("Signed in as").wait_for()
