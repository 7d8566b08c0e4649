"""The form of one destination check, with the fields its kind asks for: the offer at the September Guarantee,
the months from October to March at the March check."""

from django import forms

from casework.models import DestinationCheckKind, HowKnown
from casework.services.destinations import CHECK_REQUIRED
from core.codes import code_set
from core.forms import GovukDateField, GovukForm

# The NCCIS groups, as the list of activities shows them.
GROUP_HEADINGS = {
    "EET": "In education, employment or training",
    "NEET": "Not in education, employment or training (NEET)",
    "not_available_to_labour_market": "NEET: not available to the labour market",
    "other": "Other",
    "unknown": "Not known",
}


def activity_choices() -> list:
    """The NCCIS activities grouped as the code set groups them, each with its code."""
    grouped: dict[str, list] = {}
    for c in code_set("post16_activity").values():
        grouped.setdefault(c.row["group"], []).append((c.code, f"{c.code}: {c.label}"))
    return [("", "Choose an activity")] + [(GROUP_HEADINGS[g], options) for g, options in grouped.items()]


class DestinationCheckForm(GovukForm):
    activity = forms.ChoiceField(
        label="What the young person is doing",
        help_text="Their activity in NCCIS codes, as on the area's NCCIS return",
        choices=activity_choices,
        error_messages={"invalid_choice": "Choose an activity from the NCCIS list"},
    )
    checked_on = GovukDateField(label="The date checked", help_text="For example, 14 10 2026")
    how_known = forms.ChoiceField(label="How it is known", choices=HowKnown.choices, widget=forms.RadioSelect)
    offer_made = forms.TypedChoiceField(
        label="Was a place in education or training offered by the end of September?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether a place in education or training was offered by the end of September"},
    )
    months_in_education_or_training = forms.IntegerField(
        label="Months from October to March in education or training",
        help_text="From 0 to 6, this March included",
        min_value=0,
        max_value=6,
        error_messages={
            "required": "Enter how many months from October to March the young person was in education or training, from 0 to 6",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    months_employed = forms.IntegerField(
        label="Months from October to March employed",
        help_text="From 0 to 6, this March included. Five or more is a sustained destination in employment",
        min_value=0,
        max_value=6,
        error_messages={
            "required": "Enter how many months from October to March the young person was employed, from 0 to 6",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        help_text="What support is in place or offered, and who gives it",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in CHECK_REQUIRED.items():
            self.fields[name].error_messages["required"] = message
        for name in ("min_value", "max_value", "invalid"):
            for months in ("months_in_education_or_training", "months_employed"):
                self.fields[months].error_messages[name] = self.fields[months].error_messages["required"]
        if kind != DestinationCheckKind.SEPTEMBER_GUARANTEE:
            del self.fields["offer_made"]
        if kind != DestinationCheckKind.MARCH:
            del self.fields["months_in_education_or_training"]
            del self.fields["months_employed"]
