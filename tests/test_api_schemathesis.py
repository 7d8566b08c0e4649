"""Schemathesis sends what the OpenAPI schema allows, and much that it does not.

No answer may be a server error, and every answer must be one the schema documents,
with the status, content type and shape it gives.
"""

import pytest
import schemathesis
import time_machine
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from core.tokens import api_token_create
from tests.attendance_helpers import TODAY, make_setting

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider_key(area):
    """A setting with children placed, and a key of its own; the calls run on its school day."""
    setting = make_setting(area)
    key = api_token_create(user=setting.manager, organisation=setting.provider.organisation, name="fuzz")[1]
    # The calls go through Django's WSGI handler, which would close the test's connection
    # (and its transaction) around each request; the test client does the same.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with time_machine.travel(TODAY, tick=False):
            yield key
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# Loaded when the module is collected, through the app itself; the schema view reads no data.
# (Schemathesis's lazy `from_fixture` loader does not work with pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_with_a_server_error_or_an_undocumented_answer(case, provider_key):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {provider_key}"},
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )


@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_a_call_without_a_key_is_a_documented_refusal(case, provider_key):
    case.call_and_validate(
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    )
