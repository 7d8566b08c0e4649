"""The JSON API at /api/v1/: one NinjaAPI, each app's router mounted on it, every answer in plain words.

The interactive docs page is off: Ninja's Swagger page loads scripts from a CDN or
runs inline scripts, which the content security policy refuses. The OpenAPI schema at
/api/v1/openapi.json describes every operation.
"""

import json

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from attendance.api import MAX_MARKS
from attendance.api import router as attendance_router
from core.api_auth import ApiKeyAuth


class PlainWordsApi(NinjaAPI):
    """Ninja, with its validation errors turned into problems a person can act on."""

    def validation_error_from_error_contexts(self, error_contexts) -> ValidationError:
        problems = []
        for context in error_contexts:
            model = context.model
            for error in context.pydantic_validation_error.errors(include_url=False):
                location = model.__ninja_flatten_map_reverse__.get(error["loc"], error["loc"])
                problems.append(_problem(location, error))
        return ValidationError(problems)


api = PlainWordsApi(
    title="AP Oversight API",
    version="1",
    description=(
        "For school MIS and AP providers' systems. Send your organisation's API key as "
        "'Authorization: Bearer apo_...'. Make and revoke keys on the API keys page."
    ),
    auth=ApiKeyAuth(),
    docs_url=None,
    urls_namespace="api_v1",
)
api.add_router("/", attendance_router)


def _message(request, text: str, status: int):
    return api.create_response(request, {"message": text}, status=status)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    text = str(exc)
    if exc.status_code == 400:
        text = "The request body is not valid JSON."
    response = _message(request, text, exc.status_code)
    if exc.status_code == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc: PermissionDenied):
    return _message(request, str(exc) or "Your API key does not allow this.", 403)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return _message(request, "Not found.", 404)


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc: RequestDataTooBig):
    return _message(request, "The request is too large. Send the marks in smaller batches.", 413)


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    """Which item, which field, what was sent and what is wrong: the same shape as a mark's problems."""
    return api.create_response(request, {"problems": exc.errors}, status=422)


def _problem(location: tuple, error: dict) -> dict:
    # A location is ("payload", "marks", 3, "upn") in a body, or ("start",) in a query.
    location = [part for part in location if part != "payload"]
    item = None
    if len(location) >= 2 and location[0] == "marks" and isinstance(location[1], int):
        item = location[1] + 1
        location = location[2:]
    field = ".".join(str(part) for part in location)
    kind = error.get("type", "")
    given = error.get("input")
    if kind == "missing" or isinstance(given, dict | list):
        value = ""
    else:
        value = given if isinstance(given, str) else json.dumps(given, default=str)
    return {
        "item": item,
        "field": field,
        "value": value[:100],
        "problem": _words(kind, error, in_mark=item is not None),
    }


def _words(kind: str, error: dict, in_mark: bool) -> str:
    context = error.get("ctx") or {}
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        if in_mark:
            return "is not a field we use; a mark has upn, date, session and code"
        return "is not a field we use; send marks, and dry_run if you want only a check"
    if kind == "string_type":
        return "must be text in quotes"
    if kind == "date_range":
        return str(error.get("msg"))
    if kind.startswith("date"):
        return "must be a date written as YYYY-MM-DD, for example 2026-11-16"
    if kind.startswith("bool"):
        return "must be true or false"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        return "must be a list" if kind == "list_type" else "must be an object with named fields"
    if kind == "too_short":
        return "must hold at least one mark"
    if kind == "too_long":
        return f"holds more than {MAX_MARKS:,} marks; send at most {MAX_MARKS:,} at a time"
    if kind == "string_too_long":
        return f"is longer than {context.get('max_length')} characters"
    return str(error.get("msg", "is not valid"))


def _open_to_key_holders(patterns):
    """API calls carry a key, not a signed-in session: the site's sign-in rule does not apply to them."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _open_to_key_holders(pattern.url_patterns)
        else:
            pattern.callback.login_required = False
    return patterns


def api_urls():
    patterns, app_name, namespace = api.urls
    return _open_to_key_holders(patterns), app_name, namespace
