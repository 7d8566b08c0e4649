from core.forms import GovukDateField, GovukModelForm
from terms.models import Closure, Term


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
