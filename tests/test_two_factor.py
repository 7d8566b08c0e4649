"""The second factor: staff set up an authenticator app, then give its code (or a backup code) at sign-in."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditAction, AuditEvent, Membership
from tests.factories import PASSWORD, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def sign_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def code_of(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()


def set_up(client, user) -> list[str]:
    sign_in(client, user)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    page = client.post(reverse("two_factor_setup"), {"code": f"{code_of(device):06d}", "next": "/register/"})
    return re.findall(r"<code>([a-z0-9]+)</code>", page.content.decode())


def test_the_first_sign_in_asks_for_an_app_and_gives_backup_codes(client, school_lead):
    response = sign_in(client, school_lead)
    assert client.get(response.url).url.startswith(reverse("two_factor_setup"))
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert "<svg" in page
    assert "Set up your authenticator app" in page
    codes = set_up(client, school_lead)
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=school_lead).confirmed
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_SET_UP, user=school_lead).exists()
    assert client.get(reverse("register")).status_code == 200


def test_a_wrong_code_does_not_set_up_the_app(client, school_lead):
    sign_in(client, school_lead)
    client.get(reverse("two_factor_setup"))
    response = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.get(user=school_lead).confirmed
    assert client.get(reverse("register")).status_code == 302
    again = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert "Too many wrong codes" in again.content.decode()


def test_later_sign_ins_ask_for_the_code_before_any_page(client, school_lead):
    set_up(client, school_lead)
    client.post(reverse("logout"))
    sign_in(client, school_lead)
    asked = client.get(reverse("register"))
    assert asked.url == f"{reverse('two_factor_verify')}?next=/register/"
    wrong = client.post(reverse("two_factor_verify"), {"code": "123456", "next": "/register/"})
    assert "That code is not right" in wrong.content.decode()
    device = TOTPDevice.objects.get(user=school_lead)
    device.throttle_reset()
    device.last_t = -1
    device.save()
    right = client.post(reverse("two_factor_verify"), {"code": f"{code_of(device):06d}", "next": "/register/"})
    assert right.url == "/register/"
    assert client.get(reverse("register")).status_code == 200


def test_a_backup_code_works_once(client, school_lead):
    codes = set_up(client, school_lead)
    for attempt in range(2):
        client.post(reverse("logout"))
        sign_in(client, school_lead)
        response = client.post(reverse("two_factor_verify"), {"code": codes[0].upper()})
        if attempt == 0:
            assert response.url == reverse("dashboard")
        else:
            assert "That code is not right" in response.content.decode()
    assert StaticToken.objects.filter(device__user=school_lead).count() == 9


def test_the_code_page_does_not_send_people_to_another_site(client, school_lead):
    codes = set_up(client, school_lead)
    client.post(reverse("logout"))
    sign_in(client, school_lead)
    response = client.post(reverse("two_factor_verify"), {"code": codes[1], "next": "https://evil.example.com/"})
    assert response.url == reverse("dashboard")


def test_a_manager_resets_the_app_of_someone_who_lost_their_phone(client, school, school_lead):
    set_up(client, school_lead)
    manager = member_of(school, Membership.Role.OFFICE_MANAGER)
    Membership.objects.filter(user=manager).update(may_manage_accounts=True)
    TOTPDevice.objects.create(user=manager, name="app", confirmed=True)
    client.force_login(manager)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=manager).persistent_id
    session.save()
    page = client.get(reverse("account_detail", args=[school_lead.public_id])).content.decode()
    assert "Reset their authenticator app" in page
    client.post(reverse("account_two_factor_reset", args=[school_lead.public_id]))
    assert not TOTPDevice.objects.filter(user=school_lead).exists()
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_RESET, object_id=school_lead.public_id).exists()
    client.post(reverse("logout"))
    sign_in(client, school_lead)
    assert client.get(reverse("register")).url.startswith(reverse("two_factor_setup"))


def test_signing_out_and_the_public_survey_need_no_code(client, school_lead, survey):
    from tests.survey_helpers import answer_url

    sign_in(client, school_lead)
    assert client.get(answer_url(survey)).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).url.startswith(reverse("login"))


def test_the_password_alone_cannot_swap_in_another_app(client, school_lead):
    set_up(client, school_lead)
    original = TOTPDevice.objects.get(user=school_lead, confirmed=True)
    client.post(reverse("logout"))
    sign_in(client, school_lead)
    assert client.get(reverse("two_factor_setup")).url.startswith(reverse("two_factor_verify"))
    client.post(reverse("two_factor_setup"), {"code": "123456"})
    assert list(TOTPDevice.objects.filter(user=school_lead)) == [original]
    assert client.get(reverse("register")).status_code == 302
