"""The data dictionary, written from the models themselves so that it cannot drift."""

from django.apps import apps

from core.fields import CodeField

APPS = ["core", "children", "providers", "placements", "terms", "attendance", "casework", "inspection", "survey"]
SKIPPED_FIELDS = {"password", "last_login", "is_superuser", "groups", "user_permissions", "is_staff", "is_active"}
RESTRICTED = {("children", "Child", f) for f in ("first_name", "last_name", "date_of_birth", "upn")}


def _kind(field) -> str:
    if isinstance(field, CodeField):
        return f"code (`{field.code_set_name}` code set)"
    if field.is_relation:
        return f"link to {field.related_model._meta.verbose_name}"
    if field.choices:
        return "one of: " + "; ".join(f"`{value}` {label}" for value, label in field.flatchoices)
    return field.get_internal_type().replace("Field", "").lower()


def _rules(model) -> list[str]:
    return [
        str(c.violation_error_message)
        for c in model._meta.constraints
        if c.violation_error_message != c.default_violation_error_message
    ]


def data_dictionary_markdown() -> str:
    lines = [
        "# Data dictionary",
        "",
        "Generated from the models by `python manage.py data_dictionary`; a test fails when it is out of date.",
        "Code sets are the DfE files in `core/reference/` (see its `SOURCES.md`).",
        "**Restricted** fields are shown on a child's record to those allowed to see the child, and never exported.",
        "",
    ]
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            lines += [f"## {model._meta.verbose_name.capitalize()} (`{app}.{model.__name__}`)", ""]
            if model.__doc__ and not model.__doc__.startswith(model.__name__ + "("):
                lines += [" ".join(model.__doc__.split()), ""]
            lines += ["| field | meaning | kind | required |", "|---|---|---|---|"]
            for field in model._meta.get_fields():
                if not field.concrete or field.auto_created or field.name in SKIPPED_FIELDS:
                    continue
                meaning = str(field.verbose_name)
                if field.help_text:
                    meaning += f" — {field.help_text}"
                if (app, model.__name__, field.name) in RESTRICTED:
                    meaning += " **Restricted.**"
                required = "no" if (field.null or field.blank) else "yes"
                lines.append(f"| `{field.name}` | {meaning} | {_kind(field)} | {required} |")
            rules = _rules(model)
            if rules:
                lines += ["", "Rules held by the database:", ""] + [f"- {rule}" for rule in rules]
            lines.append("")
    return "\n".join(lines)
