"""Small helpers shared by the tests."""

import re
from datetime import date, timedelta

from tests.factories import valid_upn

# New on every response: the content security policy's nonce and the masked CSRF token.
PER_RESPONSE = re.compile(rb'(nonce|name="csrfmiddlewaretoken" value)="[^"]*"')


def page_body(response) -> bytes:
    """A page as a person sees it, less what changes on every response."""
    return PER_RESPONSE.sub(b"", response.content)


def every_url(*, inspection, child):
    """(name, address) of every page behind sign-in, its ids filled with the inspection's and the child's."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.urls.converters import IntConverter, UUIDConverter

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace is None:  # the API's namespace has keys, not sign-in
                    yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name:
                view = entry.callback
                if getattr(view, "login_required", True) and not getattr(view, "two_factor_exempt", False):
                    yield entry.name, prefix + str(entry.pattern), entry.pattern.converters

    for name, route, converters in walk(get_resolver().url_patterns):
        url = "/" + route
        for param, converter in converters.items():
            if isinstance(converter, UUIDConverter):
                value = (
                    inspection.public_id
                    if route.startswith("inspections/") and param == "public_id"
                    else child.public_id
                )
            elif isinstance(converter, IntConverter):
                value = 1
            else:
                value = "xlsx"
            url = re.sub(rf"<(?:\w+:)?{param}>", str(value), url)
        yield name, url


def date_fields(prefix: str, day: date | None) -> dict:
    """A GOV.UK date input's three boxes, as a form posts them."""
    if day is None:
        return {f"{prefix}_0": "", f"{prefix}_1": "", f"{prefix}_2": ""}
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def child_data(**overrides):
    """A complete "Add a child" form, with any field overridden."""
    dob = overrides.pop("dob", date.today() - timedelta(days=365 * 14))
    data = {
        "first_name": "Riley",
        "last_name": "Hughes",
        "upn": valid_upn(4242),
        **date_fields("date_of_birth", dob),
        **date_fields("last_cetr_date", None),
        "gender": "F",
        "ethnicity": "WBRI",
        "sen_provision": "E",
        "sen_primary_need": "SEMH",
        "ehc_plan_status": "has_plan",
    }
    data.update(overrides)
    return data
