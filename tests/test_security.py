"""Deployment settings, password hashing, lock-out, exports and the audit trail."""

import csv
import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from core.csv_export import escape_cell
from core.models import AuditAction, AuditEvent
from tests.factories import PASSWORD, ChildFactory, PlacementFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 64 + "-a-long-random-production-key",
        "ALLOWED_HOSTS": "ap.example.gov.uk",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_real_passwords_are_hashed_with_argon2(settings):
    from config.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    from django.contrib.auth.hashers import make_password

    assert make_password("a long passphrase").startswith("argon2$")


def test_repeated_failed_sign_ins_lock_the_account(client, la_officer):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": la_officer.username, "password": "wrong"})
    locked = client.post(url, {"username": la_officer.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Your account is locked" in locked.content.decode()


def test_sign_in_with_the_right_password(client, la_officer):
    response = client.post(reverse("login"), {"username": la_officer.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_sign_in_errors_use_plain_words(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    page = response.content.decode()
    assert "Enter your username" in page
    assert "Enter your password" in page


@pytest.mark.parametrize("value", ["=SUM(A1)", "+1", "-2+3", "@cmd", "|x", "%0A"])
def test_formula_cells_are_neutralised(value):
    assert escape_cell(value) == "'" + value


def test_register_export_holds_no_names_and_is_audited(client, la_officer, area, school):
    child = ChildFactory(area=area, home_school=school, first_name="=HYPERLINK", last_name="Zebedee")
    PlacementFactory(child=child, provider=ProviderFactory(organisation__area=area, organisation__name="@Risky"))
    client.force_login(la_officer)
    response = client.get(reverse("register_export"))
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][0] == "Child reference"
    assert rows[1][0] == str(child.public_id)
    assert "Zebedee" not in body
    assert child.upn not in body
    assert child.date_of_birth.isoformat() not in body
    assert "'@Risky" in body
    assert AuditEvent.objects.filter(user=la_officer, action=AuditAction.REGISTER_EXPORTED).count() == 1


def test_viewing_a_child_is_audited_with_user_organisation_and_time(client, la_officer, area, school):
    child = ChildFactory(area=area, home_school=school)
    client.force_login(la_officer)
    client.get(reverse("child_detail", args=[child.public_id]))
    event = AuditEvent.objects.get(action=AuditAction.CHILD_VIEWED)
    assert (event.user, event.organisation, event.object_id) == (
        la_officer,
        la_officer.primary_organisation,
        str(child.public_id),
    )
    assert event.at is not None


def test_audit_refuses_to_record_without_an_actor():
    from django.contrib.auth.models import AnonymousUser

    from core.audit import audit_record

    with pytest.raises(ValueError, match="person who acted"):
        audit_record(user=AnonymousUser(), action=AuditAction.CHILD_VIEWED)


def test_pages_send_a_content_security_policy(client, la_officer):
    client.force_login(la_officer)
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
