from django import forms

from core.access import commissioners_for, is_la_officer
from core.forms import GovukDateField, GovukForm, GovukModelForm
from placements.models import MAX_HOURS_PER_WEEK, SESSION_NAMES, PartTimeTimetable, Placement
from placements.register import DIMENSIONS
from placements.rules import FULL_TIME_HOURS, LA_ARRANGED, SCHOOL_ARRANGED, reason_choices
from providers.models import APPROVED, ApprovalStatus, Provider
from providers.selectors import with_approval_status


class TimetableField(forms.MultipleChoiceField):
    """The sessions of the week a placement covers, stored as ten "1"s and "0"s."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=[(str(i), name) for i, name in enumerate(SESSION_NAMES)], **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str) and len(value) == len(SESSION_NAMES):
            return [str(i) for i, flag in enumerate(value) if flag == "1"]
        return value

    def clean(self, value):
        chosen = set(super().clean(value))
        return "".join("1" if str(i) in chosen else "0" for i in range(len(SESSION_NAMES)))


def _provider_with_approval(provider: Provider) -> str:
    if provider.approval_status in APPROVED:
        return provider.name
    if provider.approval_status is None:
        return f"{provider.name} (approval not decided)"
    return f"{provider.name} ({ApprovalStatus(provider.approval_status).label.lower()})"


class PlacementForm(GovukModelForm):
    start_date = GovukDateField(label="Start date", help_text="For example, 4 9 2026")
    planned_end_date = GovukDateField(
        label="Planned end date",
        required=False,
        help_text="When the placement is meant to end, as agreed when it was commissioned",
    )
    review_date = GovukDateField(
        label="Next review date",
        required=False,
        help_text="When the commissioner, the setting and the family next review whether the placement is working. "
        "A school tells the local authority the first one when it records the placement",
    )
    end_date = GovukDateField(
        label="Actual end date",
        required=False,
        help_text=(
            "Leave blank while the placement continues. To end it, use End the placement on the child's record: "
            "it records why, where the child went and the transition plan"
        ),
    )

    timetable = TimetableField(
        label="Sessions the child attends",
        help_text="The daily attendance check expects a mark for these sessions",
        error_messages={"required": "Choose at least one session the child attends"},
    )

    class Meta:
        model = Placement
        fields = [
            "provider",
            "provider_justification",
            "provision_type",
            "commissioner",
            "reason",
            "start_date",
            "planned_end_date",
            "review_date",
            "attendance_pattern",
            "hours_per_week",
            "timetable",
            "registration_type",
            "main_roll",
            "journey_minutes",
            "residential",
            "outreach_provider",
            "end_date",
        ]
        widgets = {
            "provision_type": forms.RadioSelect,
            "attendance_pattern": forms.RadioSelect,
            "registration_type": forms.RadioSelect,
            "main_roll": forms.RadioSelect,
            "provider_justification": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "main_roll": "Which roll is the child's main roll?",
            "hours_per_week": "Hours of education a week",
            "journey_minutes": "Journey time from home, in minutes",
            "outreach_provider": "Outreach provider (if any)",
            "provider_justification": "Why this provider (only if the area has not approved it)",
        }
        help_texts = {
            "hours_per_week": f"Between 0 and {MAX_HOURS_PER_WEEK:g}. Full time is at least {FULL_TIME_HOURS} hours.",
            "main_roll": "A single-registered child is on the AP setting's roll only.",
            "residential": "The child lives at the setting during the week",
            "provider_justification": (
                "The local authority sees it. Needed when the provider's approval is under review, suspended or "
                "refused, or not yet decided: say why no approved provider would do for this child"
            ),
        }
        error_messages = {
            "provider": {"required": "Select the provider"},
            "provision_type": {"required": "Select the type of provision"},
            "commissioner": {"required": "Select who commissioned the placement"},
            "reason": {"required": "Select the reason for the placement"},
            "attendance_pattern": {"required": "Select full time or part time"},
            "hours_per_week": {
                "required": "Enter the hours of education a week",
                "invalid": "Hours of education a week must be a number, like 12.5",
                "max_value": f"Hours of education a week must be {MAX_HOURS_PER_WEEK:g} or fewer",
                "min_value": "Hours of education a week cannot be below 0",
                "max_decimal_places": "Hours of education a week can have one decimal place, like 12.5",
            },
            "registration_type": {"required": "Select single or dual registration"},
            "main_roll": {"required": "Select which roll is the child's main roll"},
            "journey_minutes": {
                "max_value": "Journey time must be 300 minutes or fewer",
                "invalid": "Journey time must be a whole number of minutes",
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        areas = [o.area_id for o in user.organisations]
        providers = Provider.objects.filter(organisation__area_id__in=areas).select_related("organisation")
        if "provider" in self.fields:
            # Each provider says where it stands, so that choosing one the area has not approved is a choice.
            self.fields["provider"].queryset = with_approval_status(providers)
            self.fields["provider"].label_from_instance = _provider_with_approval
        self.fields["outreach_provider"].queryset = providers
        # A new placement starts with no session ticked: the person ticks the ones its hours cover.
        if is_la_officer(user):
            self.fields["commissioner"].queryset = commissioners_for(user=user)
            # The reason is returned in the census of whoever arranged the placement.
            self.fields["reason"].choices = [
                ("", "Choose a reason"),
                ("Arranged by a school (school census)", reason_choices(SCHOOL_ARRANGED)),
                ("Arranged by the local authority (AP census)", reason_choices(LA_ARRANGED)),
            ]
            self.fields["reason"].help_text = "Choose from the list for whoever commissioned the placement"
        else:
            # A school records the AP it commissions itself: it is always the commissioner.
            del self.fields["commissioner"]
            self.fields["reason"].choices = [("", "Choose a reason"), *reason_choices(SCHOOL_ARRANGED)]


class PartTimeTimetableForm(GovukModelForm):
    """What a school tells the LA about a pupil on a part-time timetable; the actual end only once it is running."""

    start_date = GovukDateField(label="Start date", help_text="For example, 4 9 2026")
    time_limit = GovukDateField(
        label="Time limit", help_text="The last day of the part-time timetable, as agreed with the parents"
    )
    review_date = GovukDateField(
        label="Review date",
        help_text="When you and the family review it, to increase the hours. Many areas expect two weeks",
    )
    parents_agreed_on = GovukDateField(label="Date the parents agreed")
    end_date = GovukDateField(
        label="Actual end date", required=False, help_text="When the pupil went back to a full timetable"
    )
    timetable = TimetableField(
        label="Sessions the pupil is in school",
        error_messages={"required": "Choose the sessions the pupil is in school"},
    )

    class Meta:
        model = PartTimeTimetable
        fields = [
            "reason",
            "reason_detail",
            "start_date",
            "time_limit",
            "review_date",
            "hours_per_week",
            "timetable",
            "parents_agreed_on",
            "plan_to_increase",
            "end_date",
        ]
        widgets = {
            "reason": forms.RadioSelect,
            "reason_detail": forms.Textarea(attrs={"rows": 3}),
            "plan_to_increase": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"reason": "Why is the pupil on a part-time timetable?"}
        help_texts = {
            "reason": "A part-time timetable is never a way to manage behaviour",
            "hours_per_week": f"Between 0 and {MAX_HOURS_PER_WEEK:g}. Full time is at least {FULL_TIME_HOURS} hours.",
        }
        error_messages = {
            "reason": {"required": "Select why the pupil is on a part-time timetable"},
            "reason_detail": {"required": "Enter why, in a sentence or two"},
            "hours_per_week": {
                "required": "Enter the hours in school a week",
                "invalid": "Hours in school a week must be a number, like 12.5",
                "max_value": f"Hours in school a week must be {MAX_HOURS_PER_WEEK:g} or fewer",
                "min_value": "Hours in school a week cannot be below 0",
                "max_decimal_places": "Hours in school a week can have one decimal place, like 12.5",
            },
            "plan_to_increase": {"required": "Enter how the hours will increase back to full time"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["end_date"]


class RegisterFilterForm(GovukForm):
    """The register's filter panel: one set of checkboxes per dimension."""

    q = forms.CharField(label="Name or UPN", required=False, max_length=100)
    period = forms.ChoiceField(
        label="Children",
        required=False,
        choices=[("recent", "In AP now or in the last 6 months"), ("current", "In AP today")],
        widget=forms.RadioSelect,
    )
    provider = forms.ChoiceField(label="Provider", required=False)
    home_school = forms.ChoiceField(label="Home school", required=False)
    year_group = forms.MultipleChoiceField(label="Year group", required=False, widget=forms.CheckboxSelectMultiple)
    age = forms.MultipleChoiceField(label="Age", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "Any provider"), *choices.providers]
        self.fields["home_school"].choices = [("", "Any home school"), *choices.schools]
        self.fields["year_group"].choices = choices.year_groups
        self.fields["age"].choices = choices.ages


# One set of checkboxes per register dimension, defined once in placements.register.
for _dimension in DIMENSIONS:
    RegisterFilterForm.base_fields[_dimension.key] = forms.MultipleChoiceField(
        label=_dimension.label,
        required=False,
        choices=_dimension.choices(),
        widget=forms.CheckboxSelectMultiple,
    )
