from django import forms

from core.forms import GovukDateField, GovukForm, GovukModelForm
from core.models import OrganisationKind, User
from inspection.models import EvidenceItem, Inspection, VisitActivity
from providers.models import Provider


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


class EvidenceForm(GovukModelForm):
    url = forms.URLField(
        label="Link (for a published page)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a full link, starting https://"},
    )
    file = forms.FileField(
        label="Document",
        required=False,
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument, text or CSV, up to 10 MB",
    )

    class Meta:
        model = EvidenceItem
        fields = ["request", "kind", "title", "url", "note"]
        widgets = {"request": forms.RadioSelect, "kind": forms.RadioSelect}
        labels = {"kind": "What are you adding?", "url": "Link (for a published page)"}
        error_messages = {
            "request": {"required": "Choose what it answers"},
            "kind": {"required": "Choose a document, a link or not held"},
            "url": {"invalid": "Enter a full link, starting https://"},
        }


class VisitActivityForm(GovukModelForm):
    held_on = GovukDateField(label="Date")

    class Meta:
        model = VisitActivity
        fields = ["kind", "held_on", "title", "provider", "attendees"]
        widgets = {"kind": forms.RadioSelect}
        labels = {"kind": "Activity", "provider": "Setting visited"}
        error_messages = {
            "kind": {"required": "Choose the activity"},
            "title": {"required": "Describe the activity in a few words"},
        }

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(organisation__area=area).select_related(
            "organisation"
        )


class InspectorForm(GovukForm):
    inspector = forms.ModelChoiceField(
        label="Inspector's account",
        queryset=User.objects.filter(memberships__organisation__kind=OrganisationKind.INSPECTORATE).distinct(),
        error_messages={"required": "Choose an inspector's account"},
    )
