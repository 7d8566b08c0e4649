"""Template helpers for GOV.UK components; built in to every template."""

from django import template
from django.template.defaultfilters import linebreaksbr

from core.codes import label

register = template.Library()


@register.inclusion_tag("govuk/error_summary.html")
def error_summary(form):
    return {"form": form}


@register.filter
def code_label(code: str, code_set_name: str) -> str:
    """The label of a DfE code: `{{ child.ethnicity|code_label:"ethnicity" }}`."""
    return label(code_set_name, code)


@register.simple_tag(takes_context=True)
def redacted(context, text) -> str:
    """Free text, its line breaks kept; on a page with a `redaction` (a tracking pack), what would identify a child taken out."""
    redaction = context.get("redaction")
    return linebreaksbr(redaction(str(text)) if redaction else text, autoescape=True)


@register.filter
def yes_no(value) -> str:
    return "Yes" if value else "No"


@register.filter
def page_numbers(page) -> list[int | None]:
    """GOV.UK pagination: first, last and the pages either side of this one; None is a gap."""
    last = page.paginator.num_pages
    wanted = sorted({1, last, page.number - 1, page.number, page.number + 1} & set(range(1, last + 1)))
    numbers: list[int | None] = []
    for n in wanted:
        if numbers and n - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(n)
    return numbers
