import re

from django import forms

from core.codes import CodeChoices
from core.forms import GovukDateField, GovukForm, GovukModelForm
from core.models import Area
from providers.models import ApprovalModel, ApprovalStatus, CheckOutcome, Provider, Registration, Specialism
from providers.services import APPROVAL_REQUIRED, CHECK_REQUIRED

# The shape of a UK postcode (outward code, space optional, inward code).
POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")


def _with_blank(choices, label="None"):
    return lambda: [("", label), *choices()]


class ProviderForm(GovukForm):
    name = forms.CharField(
        label="Name of the setting", max_length=200, error_messages={"required": "Enter the name of the setting"}
    )
    registration = forms.ChoiceField(
        choices=Registration.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the setting is registered"},
    )
    urn = forms.CharField(
        label="URN", required=False, max_length=6, help_text="6 digits, from Get Information about Schools"
    )
    gias_establishment_type = forms.ChoiceField(
        label="Establishment type in Get Information about Schools",
        required=False,
        choices=_with_blank(CodeChoices("gias_establishment_type")),
    )
    ukprn = forms.CharField(label="UKPRN", required=False, max_length=8, help_text="8 digits, if the setting has one")
    ap_setting_type = forms.ChoiceField(
        label="AP setting type",
        required=False,
        choices=_with_blank(CodeChoices("ap_setting_type")),
        help_text="For a setting with no URN or UKPRN, as the AP census records it",
    )
    offers = forms.MultipleChoiceField(
        label="What it offers",
        choices=[(f, label) for f, label in Provider.OFFERS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one thing the setting offers"},
    )
    specialisms = forms.MultipleChoiceField(
        label="Specialisms", required=False, choices=Specialism.choices, widget=forms.CheckboxSelectMultiple
    )
    min_age = forms.IntegerField(
        label="Youngest age taken",
        min_value=4,
        max_value=19,
        error_messages={"required": "Enter the youngest age the setting takes"},
    )
    max_age = forms.IntegerField(
        label="Oldest age taken",
        min_value=4,
        max_value=25,
        error_messages={"required": "Enter the oldest age the setting takes"},
    )
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=5000,
        help_text="How many children it can take at any one time",
        error_messages={"required": "Enter how many places the setting has"},
    )
    address = forms.CharField(max_length=300, error_messages={"required": "Enter the setting's address"})
    postcode = forms.CharField(max_length=10, error_messages={"required": "Enter the setting's postcode"})
    location_la = forms.ChoiceField(
        label="Local authority it is in",
        choices=_with_blank(CodeChoices("la"), "Select one"),
        error_messages={"required": "Select the local authority the setting is in"},
    )
    residential = forms.BooleanField(required=False, help_text="Children live at the setting during the week")

    @classmethod
    def initial_from(cls, provider: Provider) -> dict:
        initial = {name: getattr(provider, name) for name in cls.base_fields if hasattr(provider, name)}
        initial |= {"name": provider.organisation.name, "urn": provider.organisation.urn}
        initial["offers"] = [field for field, _ in Provider.OFFERS if getattr(provider, field)]
        return initial

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip().upper()
        if not POSTCODE.match(postcode):
            raise forms.ValidationError("Enter a real postcode, like WA1 1UH")
        return postcode

    def clean(self):
        cleaned = super().clean()
        offers = cleaned.pop("offers", [])
        for field, _ in Provider.OFFERS:
            cleaned[field] = field in offers
        return cleaned


class ApprovalForm(GovukForm):
    status = forms.ChoiceField(label="The area's approval", choices=ApprovalStatus.choices, widget=forms.RadioSelect)
    approval_model = forms.ChoiceField(
        label="How the area came to it", choices=ApprovalModel.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Why",
        help_text="What the decision rests on; for approval with conditions, the conditions and by when",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    decided_on = GovukDateField(label="Date decided", help_text="For example, 7 12 2026")
    review_by = GovukDateField(
        label="Review by", required=False, help_text="When the area looks at it again. For example, 7 12 2027"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in APPROVAL_REQUIRED.items():
            self.fields[name].error_messages["required"] = message


class ProviderCheckForm(GovukForm):
    check_type = forms.ChoiceField(label="Check", choices=_with_blank(CodeChoices("provider_check_type"), "Select one"))
    outcome = forms.ChoiceField(label="What was found", choices=CheckOutcome.choices, widget=forms.RadioSelect)
    evidence = forms.CharField(
        label="Evidence seen",
        required=False,
        help_text="What was seen and what it showed: the document, its date, the reference or policy number",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    file = forms.FileField(
        label="Evidence file",
        required=False,
        help_text="Optional. A PDF, Word, OpenDocument, RTF, JPEG or PNG file, up to 10 MB",
    )
    dsl_name = forms.CharField(
        label="Designated safeguarding lead",
        required=False,
        max_length=200,
        help_text="For the designated safeguarding lead check only: the lead's name",
    )
    dsl_trained_on = GovukDateField(label="Date of the lead's training", required=False)
    deputy_name = forms.CharField(
        label="Deputy designated safeguarding lead", required=False, max_length=200, help_text="The deputy's name"
    )
    deputy_trained_on = GovukDateField(label="Date of the deputy's training", required=False)
    seen_by = forms.CharField(label="Seen by", max_length=200, help_text="The name and role of who saw the evidence")
    seen_on = GovukDateField(label="Date seen", help_text="For example, 7 12 2026")
    expires_on = GovukDateField(
        label="Expires on",
        required=False,
        help_text="The last day the check stands, such as the end of an insurance policy. Leave blank for the "
        "usual period: 12 months from the date seen; 24 months from the earlier training for the safeguarding lead",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in CHECK_REQUIRED.items():
            self.fields[name].error_messages["required"] = message


class CheckConfirmationForm(GovukForm):
    commissioner = forms.ChoiceField(
        label="For which commissioner", help_text="The LA, school or trust that files the confirmation"
    )

    def __init__(self, *args, commissioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commissioner"].choices = [("", "Select one")] + [(str(o.public_id), o.name) for o in commissioners]
        self.fields["commissioner"].error_messages["required"] = "Choose the commissioner the confirmation is for"


class CheckExpiryDaysForm(GovukModelForm):
    class Meta:
        model = Area
        fields = ["check_expiry_warning_days"]
        labels = {"check_expiry_warning_days": "Days ahead a check is listed as expiring"}
        widgets = {"check_expiry_warning_days": forms.NumberInput(attrs={"class": "govuk-input--width-3"})}
        error_messages = {
            "check_expiry_warning_days": {
                "required": "Enter a number of days, from 1 to 180",
                "invalid": "Enter a whole number of days, like 30",
                "max_value": "Enter a number of days from 1 to 180",
                "min_value": "Enter a number of days from 1 to 180",
            }
        }
