"""The forms of an ending (reason, destination, transition plan, named support), of a return to school and of its
outcomes at 6 and 12 weeks."""

from django import forms

from casework.forms_destinations import activity_choices
from casework.models import Destination, EndReason, ReintegrationOutcome, destinations_where
from casework.services.exits import ATTEMPT_REQUIRED, EXIT_REQUIRED
from core.forms import GovukDateField, GovukForm
from core.models import Organisation, OrganisationKind


def _schools(area_id):
    return Organisation.objects.filter(kind=OrganisationKind.SCHOOL, area_id=area_id).order_by("name")


class ExitForm(GovukForm):
    reason = forms.ChoiceField(label="Why the placement ended", choices=EndReason.choices, widget=forms.RadioSelect)
    end_date = GovukDateField(
        label="Date the placement ended", help_text="The child's last day there. For example, 17 7 2026"
    )
    destination = forms.ChoiceField(label="Where the child went", choices=Destination.choices, widget=forms.RadioSelect)
    school = forms.ModelChoiceField(
        label="The school the child goes to",
        queryset=Organisation.objects.none(),
        required=False,
        help_text="Only for another mainstream school or a special school: a return to the home school goes there",
        empty_label="Choose a school",
    )
    post16_activity = forms.ChoiceField(
        label="Post-16 activity (NCCIS code)",
        choices=activity_choices,
        required=False,
        help_text="Only for post-16 education, employment, training or NEET: what the young person went on to",
    )
    destination_detail = forms.CharField(
        label="More about the destination",
        required=False,
        help_text="The college, employer or setting; needed if the destination is 'other'",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    transition_plan = forms.CharField(
        label="Transition plan",
        help_text="How the move is prepared and supported: visits, timetable, who shares what with whom",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    support_name = forms.CharField(label="Name of the person who supports the child after the move", max_length=200)
    support_role = forms.CharField(label="Their role", max_length=200, help_text="For example, key worker")
    support_organisation = forms.CharField(
        label="Their organisation", max_length=200, help_text="For example, the receiving school or the AP setting"
    )
    support_until = GovukDateField(
        label="Support in place until", required=False, help_text="If agreed. For example, 18 12 2026"
    )

    def __init__(self, *args, area_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = _schools(area_id)
        for name, message in EXIT_REQUIRED.items():
            self.fields[name].error_messages["required"] = message
        self.fields["school"].error_messages["invalid_choice"] = "Choose a school of the area from the list"
        self.fields["post16_activity"].error_messages["invalid_choice"] = "Choose an activity from the NCCIS list"
        self.post16_destinations = destinations_where("post16_activity_needed")


class ReintegrationAttemptForm(GovukForm):
    returned_on = GovukDateField(label="Date the child returned to school", help_text="For example, 5 1 2027")
    school = forms.ModelChoiceField(
        label="The school", queryset=Organisation.objects.none(), empty_label="Choose a school"
    )
    support = forms.CharField(
        label="Support in place",
        help_text="Who supports the child, how, and for how long",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, area_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = _schools(area_id)
        for name, message in ATTEMPT_REQUIRED.items():
            self.fields[name].error_messages["required"] = message
        self.fields["school"].error_messages["invalid_choice"] = "Choose a school of the area from the list"


OUTCOME_CHOICES = [("", "Not recorded yet"), *ReintegrationOutcome.choices]


class ReintegrationOutcomeForm(GovukForm):
    outcome_6_weeks = forms.ChoiceField(
        label="Outcome at 6 weeks", choices=OUTCOME_CHOICES, required=False, widget=forms.RadioSelect
    )
    outcome_12_weeks = forms.ChoiceField(
        label="Outcome at 12 weeks", choices=OUTCOME_CHOICES, required=False, widget=forms.RadioSelect
    )
    why_failed = forms.CharField(
        label="Why it broke down",
        required=False,
        help_text="Only if it broke down: what happened, and what would have helped",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
