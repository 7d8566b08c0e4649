"""Template helpers for GOV.UK components; built in to every template."""

from django import template

from core.codes import label

register = template.Library()


@register.inclusion_tag("govuk/error_summary.html")
def error_summary(form):
    return {"form": form}


@register.filter
def code_label(code: str, code_set_name: str) -> str:
    """The label of a DfE code: `{{ child.ethnicity|code_label:"ethnicity" }}`."""
    return label(code_set_name, code)


@register.filter
def redact(text, redaction) -> str:
    """Free text with what would identify a child taken out, where the page has a redaction (a tracking pack)."""
    return redaction(str(text)) if redaction else text


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
