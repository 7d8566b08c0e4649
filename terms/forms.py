from django import forms

from core.forms import GovukDateField, GovukForm, GovukModelForm
from terms.models import Calendar, Closure, Term


class TermForm(GovukModelForm):
    starts_on = GovukDateField(label="First day of term", help_text="For example, 2 9 2026")
    ends_on = GovukDateField(label="Last day of term", help_text="For example, 18 12 2026")

    class Meta:
        model = Term
        fields = ["name", "starts_on", "ends_on"]
        labels = {"name": "Name of the term"}
        error_messages = {"name": {"required": "Enter the name of the term, for example Autumn 2026"}}


class ClosureForm(GovukModelForm):
    starts_on = GovukDateField(label="First day", help_text="For example, 26 10 2026")
    ends_on = GovukDateField(
        label="Last day", required=False, help_text="Leave blank for a single day, such as an INSET day"
    )

    class Meta:
        model = Closure
        fields = ["name", "starts_on", "ends_on"]
        labels = {"name": "Name"}
        error_messages = {"name": {"required": "Enter a name, for example Autumn half term or INSET day"}}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("ends_on") is None and "ends_on" not in self.errors:
            cleaned["ends_on"] = cleaned.get("starts_on")
        return cleaned


class CalendarForm(GovukForm):
    name = forms.CharField(
        label="Name of the calendar",
        max_length=100,
        help_text="For example, Halton term dates, or Oak Academy Trust INSET days",
        error_messages={"required": "Enter the name of the calendar, for example Halton term dates"},
    )
    parent = forms.ModelChoiceField(
        label="Based on",
        queryset=Calendar.objects.none(),
        required=False,
        help_text="A calendar based on another keeps its terms, half terms and INSET days and adds its own, "
        "such as a trust's INSET days. Choose none for another local authority's term dates.",
    )

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Calendar.objects.filter(area=area)


class SettingCalendarForm(GovukForm):
    calendar = forms.ModelChoiceField(
        label="School calendar it follows",
        queryset=Calendar.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the school calendar the setting follows"},
    )

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["calendar"].queryset = Calendar.objects.filter(area=area)
