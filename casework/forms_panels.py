"""Forms of the local authority's panels: kinds, meetings, members, agendas and decisions."""

from datetime import date

from django import forms

from casework.models import Sector
from core.codes import CodeChoices, label
from core.forms import GovukDateField, GovukForm
from providers.models import Provider


class PanelKindForm(GovukForm):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="For example, fair access panel, inclusion panel or hot-clinic triage",
        error_messages={"required": "Enter the name of the kind of panel"},
    )
    description = forms.CharField(
        label="What it decides (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PanelForm(GovukForm):
    kind = forms.ModelChoiceField(
        label="Kind of panel",
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of panel", "invalid_choice": "Choose one of the area's kinds"},
    )
    meets_on = GovukDateField(label="Date of the panel", help_text="For example, 4 9 2026")

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds
        self.fields["kind"].empty_label = None


class PanelMemberForm(GovukForm):
    person_name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the name of the person who attended"}
    )
    role = forms.CharField(label="Role (optional)", max_length=200, required=False, help_text="For example, CAMHS lead")
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=None,
        error_messages={"required": "Choose the person's organisation", "invalid_choice": "Choose an organisation"},
    )
    sector = forms.ChoiceField(
        label="Sector they spoke for",
        choices=Sector.choices,
        widget=forms.RadioSelect,
        help_text="A panel without health or social care is flagged, and so is each decision it makes",
        error_messages={"required": "Choose the sector the person spoke for"},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


def _queue_label(referral, today: date) -> str:
    waiting = (today - referral.sent_at.date()).days
    school = referral.child.home_school.name if referral.child.home_school else "no school"
    words = (
        f"{referral.child.full_name} ({school}): {label('referral_reason', referral.reason)}, waiting {waiting} days"
    )
    return f"Fast-tracked: {words}" if referral.is_fast_tracked else words


class AgendaForm(GovukForm):
    referrals = forms.ModelMultipleChoiceField(
        label="Referrals to put on the agenda",
        queryset=None,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        help_text="Fast-tracked referrals first, then the longest waiting",
        error_messages={
            "required": "Choose at least one referral to put on the agenda",
            "invalid_choice": "Choose referrals from the queue",
            "invalid_pk_value": "Choose referrals from the queue",
        },
    )

    def __init__(self, *args, referrals, queue, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["referrals"]
        # What may be named is every referral of the area (the service says which may go on); what is offered, the queue.
        field.queryset = referrals
        field.widget.choices = [(r.public_id, _queue_label(r, today)) for r in queue]


class DecisionForm(GovukForm):
    outcome = forms.ChoiceField(
        label="What the panel decided",
        choices=CodeChoices("panel_outcome"),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the panel decided", "invalid_choice": "Choose what the panel decided"},
    )
    provider = forms.ModelChoiceField(
        label="Provider",
        queryset=Provider.objects.select_related("organisation"),
        required=False,
        help_text="For an AP placement or outreach only: the provider the panel named",
        error_messages={"invalid_choice": "Choose a provider from the area's directory"},
    )
    rationale = forms.CharField(
        label="Why the panel decided this",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The rationale: what the panel weighed, including the child's and the family's views",
        error_messages={"required": "Enter why the panel made this decision"},
    )

    def __init__(self, *args, directory, **kwargs):
        super().__init__(*args, **kwargs)
        # Any provider may be named (the service refuses one outside the directory); the area's directory is offered.
        self.fields["provider"].widget.choices = [("", "None"), *((p.pk, p.name) for p in directory)]
