"""GOV.UK Design System components rendered from ordinary Django forms, in one place."""

from datetime import date

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Every form and field renders through templates/govuk/: labels, hints, errors."""

    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes."""

    template_name = "govuk/widgets/date.html"

    def __init__(self, attrs=None):
        box = {"inputmode": "numeric", "class": "govuk-input govuk-date-input__input"}
        super().__init__(
            [
                forms.TextInput({**box, "class": box["class"] + " govuk-input--width-2"}),
                forms.TextInput({**box, "class": box["class"] + " govuk-input--width-2"}),
                forms.TextInput({**box, "class": box["class"] + " govuk-input--width-4"}),
            ],
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK's error wording."""

    widget = GovukDateWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("require_all_fields", False)
        fields = (
            forms.IntegerField(required=False),
            forms.IntegerField(required=False),
            forms.IntegerField(required=False),
        )
        super().__init__(fields, **kwargs)

    def clean(self, value):
        parts = [str(v).strip() if v is not None else "" for v in (value or ["", "", ""])]
        name = (self.label or "the date").lower()
        if not any(parts):
            if self.required:
                raise ValidationError(f"Enter {name}", code="required")
            return None
        missing = [unit for unit, part in zip(("a day", "a month", "a year"), parts, strict=True) if not part]
        if missing:
            raise ValidationError(f"{self.label or 'The date'} must include {' and '.join(missing)}")
        if not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
            raise ValidationError(f"{self.label or 'The date'} must be a real date, for example 27 3 2025")
        try:
            return date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise ValidationError(f"{self.label or 'The date'} must be a real date, for example 27 3 2025") from None

    def compress(self, data_list):  # pragma: no cover - clean() above does the work
        return data_list


_INPUT_CLASSES = [
    (forms.FileInput, "govuk-file-upload"),
    (forms.Select, "govuk-select"),
    (forms.Textarea, "govuk-textarea"),
    (forms.widgets.Input, "govuk-input"),
]


def _drop_blank_choice(field) -> None:
    """Radios need no "---------" option: choosing none is how a person leaves them blank."""
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = None
        return
    choices = list(field.choices)
    if choices and choices[0][0] in ("", None):
        field.choices = choices[1:]


def _name_blank_choice(field) -> None:
    """Say what an empty select means instead of Django's "---------" (a label the form gave stands)."""
    blank = "Select one" if field.required else "None"
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == "---------":
            field.empty_label = blank
        return
    choices = list(field.choices)
    if choices and choices[0][0] in ("", None) and choices[0][1] == "---------":
        field.choices = [("", blank), *choices[1:]]


class GovukFormMixin:
    """Gives every widget its GOV.UK class, template and described-by links."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            # CheckboxSelectMultiple is a kind of RadioSelect in Django, so it is asked first.
            if isinstance(widget, forms.CheckboxSelectMultiple):
                widget.template_name = "govuk/widgets/checkboxes.html"
            elif isinstance(widget, forms.RadioSelect):
                widget.template_name = "govuk/widgets/radios.html"
                _drop_blank_choice(field)
            elif not isinstance(widget, (GovukDateWidget, forms.CheckboxInput)):
                css = next(c for kind, c in _INPUT_CLASSES if isinstance(widget, kind))
                if isinstance(widget, forms.Select):
                    _name_blank_choice(field)
                widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}-hint"

    def full_clean(self):
        super().full_clean()
        self._move_constraint_errors_to_fields()
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            error_id = f"id_{self.add_prefix(name)}-error"
            widget.attrs["aria-describedby"] = f"{widget.attrs.get('aria-describedby', '')} {error_id}".strip()
            if "class" in widget.attrs:
                base = widget.attrs["class"].split()[0]
                widget.attrs["class"] += f" {base}--error"

    def _move_constraint_errors_to_fields(self):
        """A database constraint names the field it concerns in its violation code; show the error there."""
        if NON_FIELD_ERRORS not in self._errors:
            return
        for error in list(self._errors[NON_FIELD_ERRORS].as_data()):
            if error.code in self.fields and error.code not in self._errors:
                self._errors[NON_FIELD_ERRORS].remove(error)
                self.add_error(error.code, error)
        if not self._errors[NON_FIELD_ERRORS]:
            del self._errors[NON_FIELD_ERRORS]


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask your organisation's administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


def run_service(form, save):
    """Call a service with a valid form's data; the rules it breaks land on the form.

    A refusal (PermissionDenied) goes on up: 403, audited by core.middleware.RefusalMiddleware.
    """
    if not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        service_errors_to_form(form, error)
    return None


def service_errors_to_form(form, error: ValidationError) -> None:
    """The rules a service's error names land on the form: on the field when the form has it, else above it."""
    errors = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
    for name, problems in errors.items():
        form.add_error(name if name in form.fields else None, problems)
    form._move_constraint_errors_to_fields()


class SpreadsheetForm(GovukForm):
    """A spreadsheet (CSV or Excel) to upload, named as the kind of file it is."""

    def __init__(self, *args, label: str, hint: str, **kwargs):
        # Before the GOV.UK mixin, which links a hint to its field.
        self.base_fields = {
            "file": forms.FileField(
                label=label, help_text=hint, error_messages={"required": f"Choose the {label.lower()} to upload"}
            )
        }
        super().__init__(*args, **kwargs)
