from django import forms

from core.forms import GovukDateField, GovukForm, GovukModelForm
from inspection.models import Inspection


class InspectionForm(GovukModelForm):
    notified_on = GovukDateField(label="Date the area was notified")
    visit_starts_on = GovukDateField(label="First day of the visit")
    visit_ends_on = GovukDateField(label="Last day of the visit")

    class Meta:
        model = Inspection
        fields = ["notified_on", "visit_starts_on", "visit_ends_on", "lead_inspector"]
        labels = {"lead_inspector": "Lead inspector"}
        error_messages = {"lead_inspector": {"required": "Enter the lead inspector's name"}}


class PseudonymForm(GovukForm):
    pseudonym = forms.CharField(
        label="Pseudonymised id",
        max_length=20,
        help_text="As in the return, for example AP-1A2B3C4D5E",
        error_messages={"required": "Enter the pseudonymised id"},
    )
