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
def yes_no(value) -> str:
    return "Yes" if value else "No"
