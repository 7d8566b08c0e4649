"""The JSON API: keys, the same checks and answers as an upload, and nobody else's children."""

import json
from datetime import date

import pytest
import time_machine
from django.test import override_settings

from attendance.imports import ATTENDANCE_UPLOAD
from attendance.models import AttendanceBatch, AttendanceMark
from attendance.rules import attendance_percentage, attendance_totals
from children.upn import check_letter
from core.imports import import_check
from core.models import ApiToken, AuditAction, AuditEvent, Membership, OrganisationKind
from core.tokens import api_token_create, api_token_revoke
from tests.attendance_helpers import TODAY, make_setting, register_csv, week_of_marks
from tests.factories import OrganisationFactory, ProviderFactory, member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

MARKS = "/api/v1/attendance/marks"
PLACEMENTS = "/api/v1/placements"
WEEK = (date(2026, 11, 16), date(2026, 11, 20))


@pytest.fixture
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def setting(area):
    return make_setting(area)


def key_for(user, organisation, name="MIS") -> str:
    return api_token_create(user=user, organisation=organisation, name=name)[1]


@pytest.fixture
def key(setting):
    return key_for(setting.manager, setting.provider.organisation)


def call(client, method, url, key=None, body=None, **query):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    if method == "get":
        return client.get(url, query, **headers)
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def as_items(rows) -> list[dict]:
    return [{"upn": upn, "date": day, "session": session, "code": code} for upn, day, session, code in rows]


def post_marks(client, key, rows, dry_run=False):
    return call(client, "post", MARKS, key, {"marks": as_items(rows), "dry_run": dry_run})


# Keys


@pytest.mark.parametrize(
    ("header", "words"),
    [
        (None, "Send your API key in the Authorization header"),
        ("Bearer apo_not-a-real-key", "not recognised or has been revoked"),
        ("Basic dXNlcjpwYXNz", "not recognised or has been revoked"),
    ],
)
def test_a_call_without_a_good_key_is_refused_in_plain_words(client, setting, header, words):
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(PLACEMENTS, {"date": "2026-11-16"}, **headers)
    assert response.status_code == 401
    assert words in response.json()["message"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_revoked_key_is_refused(client, setting, key):
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(key))
    api_token_revoke(user=setting.manager, token=token)
    response = call(client, "get", PLACEMENTS, key, date="2026-11-16")
    assert response.status_code == 401
    assert "revoked" in response.json()["message"]


def test_a_key_records_when_it_was_last_used(client, setting, key):
    assert call(client, "get", PLACEMENTS, key, date="2026-11-16").status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_a_key_stops_working_when_its_maker_leaves(client, setting, key):
    setting.manager.is_active = False
    setting.manager.save()
    response = call(client, "get", PLACEMENTS, key, date="2026-11-16")
    assert response.status_code == 401
    assert "no longer has an active account" in response.json()["message"]


def test_the_schema_is_public_and_needs_no_sign_in(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert set(response.json()["paths"]) == {PLACEMENTS, MARKS}


# Reading the register


def test_a_setting_reads_the_children_placed_with_it_on_a_day_and_the_read_is_audited(client, setting, key):
    response = call(client, "get", PLACEMENTS, key, date="2026-11-16")
    assert response.status_code == 200
    body = response.json()
    assert sorted(p["upn"] for p in body["placements"]) == sorted(c.upn for c in setting.children)
    assert {"placement", "first_name", "last_name", "start_date", "end_date", "attendance_pattern"} <= set(
        body["placements"][0]
    )
    event = AuditEvent.objects.get(action=AuditAction.API_READ)
    assert event.user == setting.manager
    assert event.organisation == setting.provider.organisation
    assert sorted(event.detail["children"]) == sorted(str(c.public_id) for c in setting.children)
    # On the access log of each child read (issue 9, item 5).
    assert {c.child_public_id for c in event.children.all()} == {c.public_id for c in setting.children}


def test_before_the_placements_began_the_register_is_empty(client, setting, key):
    assert call(client, "get", PLACEMENTS, key, date="2026-08-03").json()["placements"] == []


def test_a_query_date_that_is_not_a_date_is_explained(client, setting, key):
    response = call(client, "get", PLACEMENTS, key, date="16/11/2026")
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {
            "item": None,
            "field": "date",
            "value": "16/11/2026",
            "problem": "must be a date written as YYYY-MM-DD, for example 2026-11-16",
        }
    ]


@pytest.mark.parametrize(
    "text", ["0", "1700000000", "1700000000.5", "20261116", "2026-11-16T00:00:00", "0001-01-01", "9999-12-31", " "]
)
def test_a_number_or_a_date_out_of_range_is_not_read_as_a_date(client, setting, key, text):
    """Pydantic reads a bare number as seconds since 1970; a register date is written as YYYY-MM-DD."""
    for url, query in ((PLACEMENTS, {"date": text}), (MARKS, {"start": text, "end": "2026-11-20"})):
        response = call(client, "get", url, key, **query)
        assert response.status_code == 422, (url, text)
        [problem] = response.json()["problems"]
        assert problem["field"] in ("date", "start")
        assert problem["value"] == text
        assert "YYYY-MM-DD" in problem["problem"]


def test_every_operation_documents_its_refusals_with_their_shapes(client):
    schema = client.get("/api/v1/openapi.json").json()
    shapes = {"400": "Message", "401": "Message", "403": "Message", "422": "Problems"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for status, shape in shapes.items():
                assert status in responses, (method, path, status)
                content = responses[status]["content"]["application/json"]["schema"]
                assert content == {"$ref": f"#/components/schemas/{shape}"}, (method, path, status)
                assert responses[status]["description"] not in ("", "OK"), (method, path, status)
    assert "413" in schema["paths"][MARKS]["post"]["responses"]


# Recording marks


def test_a_setting_records_marks_with_the_same_counts_as_an_upload(client, setting, key):
    rows = week_of_marks(setting, *WEEK)
    _, upload_plan = import_check(
        spec=ATTENDANCE_UPLOAD, user=setting.manager, filename="r.csv", content=register_csv(rows), today=TODAY
    )
    response = post_marks(client, key, rows)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["new"], body["changed"], body["unchanged"]) == (len(upload_plan.new), 0, 0) == (30, 0, 0)
    batch = AttendanceBatch.objects.get()
    assert (str(batch.public_id), batch.source, batch.created_by) == (body["batch"], "api", setting.manager)
    assert AttendanceMark.objects.count() == 30
    assert AuditEvent.objects.filter(action=AuditAction.ATTENDANCE_RECORDED, user=setting.manager).count() == 1


def test_sending_the_same_marks_again_changes_nothing(client, setting, key):
    rows = week_of_marks(setting, *WEEK)
    post_marks(client, key, rows)
    before = list(AttendanceMark.objects.order_by("pk").values_list("pk", "code", "batch_id"))
    response = post_marks(client, key, rows)
    assert response.status_code == 200
    assert response.json() == {"new": 0, "changed": 0, "unchanged": 30, "batch": None}
    assert list(AttendanceMark.objects.order_by("pk").values_list("pk", "code", "batch_id")) == before
    assert AttendanceBatch.objects.count() == 1


def test_a_correction_changes_only_the_marks_that_differ(client, setting, key):
    rows = week_of_marks(setting, *WEEK)
    post_marks(client, key, rows)
    rows[0][3] = "I"
    assert post_marks(client, key, rows).json()["changed"] == 1


def test_a_dry_run_counts_and_writes_nothing(client, setting, key):
    response = post_marks(client, key, week_of_marks(setting, *WEEK), dry_run=True)
    assert response.status_code == 200
    assert response.json() == {"new": 30, "changed": 0, "unchanged": 0, "batch": None}
    assert not AttendanceMark.objects.exists()
    assert not AttendanceBatch.objects.exists()


def a_child(setting):
    return setting.children[0].upn


@pytest.mark.parametrize(
    ("cells", "field", "words"),
    [
        (lambda s: ["Z" + a_child(s)[1:], "16/11/2026", "AM", "/"], "upn", "first letter of this UPN"),
        (
            lambda s: [check_letter("877999926999") + "877999926999", "16/11/2026", "AM", "/"],
            "upn",
            "not the UPN of a child placed",
        ),
        (lambda s: [a_child(s), "2026-11-16", "AM", "Q9"], "code", "not a DfE attendance code"),
        (lambda s: [a_child(s), "2026-11-16", "Evening", "/"], "session", "must be AM or PM"),
        (lambda s: [a_child(s), "2026-11-14", "AM", "/"], "date", "is a Saturday"),
        (lambda s: [a_child(s), "2026-11-23", "AM", "/"], "date", "in the future"),
        (lambda s: [a_child(s), "02/13/2026", "AM", "/"], "date", "looks like month/day/year"),
    ],
)
def test_a_bad_mark_is_named_with_its_item_field_value_and_the_uploads_words(client, setting, key, cells, field, words):
    bad = cells(setting)
    good = [a_child(setting), "2026-11-16", "PM", "/"]
    response = post_marks(client, key, [good, bad])
    assert response.status_code == 422
    (problem,) = response.json()["problems"]
    _, upload_plan = import_check(
        spec=ATTENDANCE_UPLOAD, user=setting.manager, filename="r.csv", content=register_csv([bad]), today=TODAY
    )
    assert problem == {
        "item": 2,
        "field": field,
        "value": bad[["upn", "date", "session", "code"].index(field)],
        "problem": upload_plan.problems[0].rule,
    }
    assert words in problem["problem"]
    assert not AttendanceMark.objects.exists(), "one bad mark and none is saved"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"marks": [{"upn": "A", "date": "2026-11-16", "session": "AM"}]},
            {"item": 1, "field": "code", "value": "", "problem": "is required"},
        ),
        (
            {"marks": [{"upn": "A", "date": "2026-11-16", "session": "AM", "code": "/", "mark": "/"}]},
            {
                "item": 1,
                "field": "mark",
                "value": "/",
                "problem": "is not a field we use; a mark has upn, date, session and code",
            },
        ),
        (
            {"marks": [{"upn": 123, "date": "2026-11-16", "session": "AM", "code": "/"}]},
            {"item": 1, "field": "upn", "value": "123", "problem": "must be text in quotes"},
        ),
        ({"marks": []}, {"item": None, "field": "marks", "value": "", "problem": "must hold at least one mark"}),
        ({}, {"item": None, "field": "marks", "value": "", "problem": "is required"}),
    ],
)
def test_a_malformed_request_is_explained_in_plain_words(client, setting, key, body, expected):
    response = call(client, "post", MARKS, key, body)
    assert response.status_code == 422
    assert response.json()["problems"] == [expected]


def test_a_body_that_is_not_json_is_explained(client, setting, key):
    response = client.post(MARKS, "{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 400
    assert response.json() == {"message": "The request body is not valid JSON."}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=None)
def test_at_most_100000_marks_are_taken_at_once(client, setting, key):
    mark = {"upn": "", "date": "", "session": "", "code": ""}
    response = call(client, "post", MARKS, key, {"marks": [mark] * 100_001})
    assert response.status_code == 422
    assert response.json()["problems"][0]["problem"].startswith("holds more than 100,000 marks")


# Nobody else's children


@pytest.fixture
def other_provider_key(setting, area):
    other = ProviderFactory(organisation__area=area, organisation__name="Eastside Tuition")
    intruder = member_of(other.organisation, username="intruder")
    return key_for(intruder, other.organisation)


def test_another_setting_cannot_record_marks_for_these_children(client, setting, other_provider_key):
    response = post_marks(client, other_provider_key, [[a_child(setting), "2026-11-16", "AM", "/"]])
    assert response.status_code == 422
    assert "not the UPN of a child placed with this setting" in response.json()["problems"][0]["problem"]
    assert not AttendanceMark.objects.exists()


def test_another_setting_cannot_read_these_childrens_marks_or_placements(client, setting, key, other_provider_key):
    post_marks(client, key, week_of_marks(setting, *WEEK))
    marks = call(client, "get", MARKS, other_provider_key, start="2026-11-16", end="2026-11-20")
    assert (marks.status_code, marks.json()["children"]) == (200, [])
    placements = call(client, "get", PLACEMENTS, other_provider_key, date="2026-11-16")
    assert (placements.status_code, placements.json()["placements"]) == (200, [])


def test_a_schools_key_cannot_record_marks(client, setting):
    lead = member_of(setting.school, Membership.Role.DESIGNATED_LEAD, username="lead")
    school_key = key_for(lead, setting.school)
    response = post_marks(client, school_key, [[a_child(setting), "2026-11-16", "AM", "/"]])
    assert response.status_code == 403
    assert "not an AP setting" in response.json()["message"]
    assert call(client, "get", PLACEMENTS, school_key, date="2026-11-16").status_code == 403
    assert not AttendanceMark.objects.exists()


def test_a_key_acts_only_for_its_own_organisation(client, setting):
    """Its maker also belongs to the setting, but a key made for the school cannot act for the setting."""
    Membership.objects.create(user=setting.manager, organisation=setting.school, role=Membership.Role.DESIGNATED_LEAD)
    school_key = key_for(setting.manager, setting.school)
    response = post_marks(client, school_key, [[a_child(setting), "2026-11-16", "AM", "/"]])
    assert response.status_code == 403


# Reading marks and percentages


def test_percentages_are_the_ones_the_rules_give(client, setting, key):
    rows = week_of_marks(setting, *WEEK)
    for row in rows[::3]:
        row[3] = "N"
    for row in rows[1::7]:
        row[3] = "B"
    post_marks(client, key, rows)
    response = call(client, "get", MARKS, key, start="2026-11-16", end="2026-11-20")
    assert response.status_code == 200
    children = response.json()["children"]
    assert len(children) == 3
    for line in children:
        child = next(c for c in setting.children if c.upn == line["upn"])
        (totals,) = attendance_totals(AttendanceMark.objects.filter(child=child), "child_id")
        expected = attendance_percentage(totals["attended"], totals["possible"])
        assert line["percentage"] == float(expected)
        assert (line["possible"], line["attended"]) == (totals["possible"], totals["attended"])
        assert len(line["marks"]) == 10
    assert sorted({line["percentage"] for line in children}) != [100.0], "the absences count"
    event = AuditEvent.objects.filter(action=AuditAction.API_READ).get()
    assert len(event.detail["children"]) == 3


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [("2026-11-20", "2026-11-16", "on or after the start date"), ("2025-01-01", "2026-11-20", "within 366 days")],
)
def test_a_period_that_makes_no_sense_is_explained(client, setting, key, start, end, words):
    response = call(client, "get", MARKS, key, start=start, end=end)
    assert response.status_code == 422
    assert words in response.json()["problems"][0]["problem"]


# The API keys page


def test_a_key_is_shown_once_and_only_its_hash_is_kept(client, setting):
    client.force_login(setting.manager)
    response = client.post("/api-keys/", {"name": "SIMS export"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    key = response.context["new_key"]
    assert key.startswith("apo_")
    assert key in response.content.decode()
    assert "Copy this key now" in response.content.decode()
    assert token.key_hash == ApiToken.hash_key(key) != key
    assert (token.name, token.organisation, token.created_by) == (
        "SIMS export",
        setting.provider.organisation,
        setting.manager,
    )
    assert key not in client.get("/api-keys/").content.decode(), "shown once"
    assert AuditEvent.objects.filter(action=AuditAction.API_TOKEN_CREATED, object_id=str(token.public_id)).exists()
    assert call(client, "get", PLACEMENTS, key, date="2026-11-16").status_code == 200


def test_a_key_needs_a_name(client, setting):
    client.force_login(setting.manager)
    response = client.post("/api-keys/", {"name": ""})
    assert "Enter a name for the key" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_a_key_stops_it_and_is_audited(client, setting, key):
    token = ApiToken.objects.get()
    client.force_login(setting.manager)
    response = client.post(f"/api-keys/{token.public_id}/revoke/", follow=True)
    assert "is revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.API_TOKEN_REVOKED, object_id=str(token.public_id)).exists()
    client.logout()
    assert call(client, "get", PLACEMENTS, key, date="2026-11-16").status_code == 401


def test_another_organisation_cannot_see_or_revoke_a_key(client, setting, key, other_provider_key):
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(key))
    intruder = ApiToken.objects.get(key_hash=ApiToken.hash_key(other_provider_key)).created_by
    client.force_login(intruder)
    assert str(token.public_id) not in client.get("/api-keys/").content.decode()
    assert client.post(f"/api-keys/{token.public_id}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_only_schools_settings_and_the_la_have_api_keys(client, area):
    health = OrganisationFactory(kind=OrganisationKind.HEALTH, area=area, urn="")
    client.force_login(member_of(health))
    assert client.get("/api-keys/").status_code == 404
    assert "API keys" not in client.get("/").content.decode()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_request_over_the_size_limit_is_refused_in_plain_words(client, setting, key):
    response = post_marks(client, key, week_of_marks(setting, *WEEK))
    assert response.status_code == 413
    assert "smaller batches" in response.json()["message"]
