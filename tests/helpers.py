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


def plan_post(*, start: date, end: date | None, agreed: date | None = None, **overrides) -> dict:
    """A complete personalised plan as its form posts it (without its objectives: `objectives_post`)."""
    data = {
        **date_fields("planned_end_date", end),
        "intervention": "Small-group teaching in English and maths, a key worker, weekly mentoring",
        "intervention_timeline": "Two weeks settling in; full timetable by half term; return planned from week 10",
        "reintegration_plan": "Phased return to the home school over four weeks",
        **date_fields("maximum_end_date", None),
        **date_fields("family_told_on", min(start, date.today())),
        "family_language": "en",
        "family_told_why": "To help with anxiety in large groups, so the child can go back to school",
        "family_told_start": "On the first day of the placement, with a visit the week before",
        "family_told_length": "Until the planned end, reviewed every half term",
        "family_told_who_where": "The setting's teachers, at its site",
        "family_told_review": "A meeting with the family each half term",
        "baseline_needs": "Anxiety in large groups",
        "baseline_triggers": "Crowded corridors",
        "baseline_what_works": "A calm start with a key adult",
        "baseline_attainment": "Reading age 10y 2m",
        "baseline_ehc_sections": "",
        **date_fields("agreed_on", agreed or min(start, date.today())),
    }
    data.update(overrides)
    return data


def objectives_post(objectives: list[dict], *, initial: int = 0, blank: int = 2, delete: tuple = ()) -> dict:
    """The objectives formset as the plan's form posts it: the rows given, then blank rows left empty."""
    rows = [*objectives, *({} for _ in range(blank))]
    data = {
        "objectives-TOTAL_FORMS": str(len(rows)),
        "objectives-INITIAL_FORMS": str(initial),
        "objectives-MIN_NUM_FORMS": "1",
        "objectives-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        prefix = f"objectives-{i}"
        data[f"{prefix}-id"] = str(row.get("id", ""))
        for name in ("description", "measure", "baseline"):
            data[f"{prefix}-{name}"] = row.get(name, "")
        data.update(date_fields(f"{prefix}-target_date", row.get("target_date")))
        if i in delete:
            data[f"{prefix}-DELETE"] = "on"
    return data
