import re

from django import forms

from core.codes import CodeChoices
from core.forms import GovukDateField, GovukForm
from core.geo import outcode_of, postcode_location
from providers.models import ApprovalModel, ApprovalStatus, KeyStage, Provider, Registration, Specialism
from providers.selectors import NOT_DECIDED, DirectoryQuery
from providers.services import APPROVAL_REQUIRED

# The distances the directory searches within, in miles.
DISTANCES = (1, 3, 5, 10, 20, 50)
DEFAULT_MILES = 10

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


class DirectoryFilterForm(GovukForm):
    """The directory's filter panel (the MOJ filter pattern, as the register's)."""

    q = forms.CharField(label="Name", required=False, max_length=100)
    postcode = forms.CharField(
        label="Near the postcode",
        required=False,
        max_length=20,
        help_text="A full postcode, like WA1 1UH, or its district, like WA1",
    )
    miles = forms.TypedChoiceField(
        label="Within",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(m, f"{m} miles") for m in DISTANCES],
        initial=10,
    )
    need = forms.MultipleChoiceField(
        label="Need", required=False, choices=Specialism.choices, widget=forms.CheckboxSelectMultiple
    )
    age = forms.IntegerField(
        label="Age of the child",
        required=False,
        min_value=4,
        max_value=25,
        error_messages={"min_value": "Enter an age from 4 to 25", "max_value": "Enter an age from 4 to 25"},
    )
    pattern = forms.ChoiceField(
        label="Full or part time",
        required=False,
        choices=[("", "Either"), ("full_time", "Full-time places"), ("part_time", "Part-time places")],
        widget=forms.RadioSelect,
    )
    qualification = forms.MultipleChoiceField(
        label="Qualifications",
        required=False,
        choices=CodeChoices("qualification"),
        widget=forms.CheckboxSelectMultiple,
    )
    vacancies = forms.BooleanField(label="Only settings with places free today", required=False)
    approval = forms.MultipleChoiceField(
        label="The area's approval",
        required=False,
        choices=[*ApprovalStatus.choices, (NOT_DECIDED, "Not decided")],
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_postcode(self):
        postcode = " ".join(self.cleaned_data["postcode"].upper().split())
        if not postcode:
            return None
        if outcode_of(postcode) is None:
            raise forms.ValidationError("Enter a postcode, like WA1 1UH, or its district, like WA1")
        location = postcode_location(postcode)
        if location is None:
            raise forms.ValidationError(
                f"We cannot find where {postcode} is: check it, or enter the district (the part before the space)"
            )
        return location

    def chosen(self) -> list[tuple[str, list[str]]]:
        """The filters chosen, in words, for the panel's "Selected filters": (the filter, its values)."""
        if not self.is_bound or not self.is_valid():
            return []
        chosen = []
        for name, value in self.cleaned_data.items():
            field = self.fields[name]
            if name == "miles" or value in (None, "", [], False):
                continue
            if name == "postcode":
                postcode = " ".join(self.data["postcode"].upper().split())
                miles = self.cleaned_data["miles"] or DEFAULT_MILES
                chosen.append((str(field.label), [f"{postcode}, within {miles} miles"]))
            elif hasattr(field, "choices"):
                labels = dict(field.choices)
                values = value if isinstance(value, list) else [value]
                chosen.append((str(field.label), [str(labels.get(v, v)) for v in values]))
            elif value is True:
                chosen.append((str(field.label), ["Yes"]))
            else:
                chosen.append((str(field.label), [str(value)]))
        return chosen

    def query(self) -> DirectoryQuery:
        """The search as the form says it; a field with an error narrows nothing."""
        if not self.is_bound:
            return DirectoryQuery()
        self.is_valid()  # the fields without an error keep their values in cleaned_data
        data = self.cleaned_data
        near = data.get("postcode")
        return DirectoryQuery(
            q=(data.get("q") or "").strip(),
            needs=tuple(data.get("need") or ()),
            age=data.get("age"),
            pattern=data.get("pattern") or "",
            qualifications=tuple(data.get("qualification") or ()),
            vacancies=bool(data.get("vacancies")),
            approval=tuple(data.get("approval") or ()),
            near=near,
            miles=(data.get("miles") or DEFAULT_MILES) if near else None,
        )


class ProviderDirectoryForm(GovukForm):
    """What the directory shows of a provider's offer beyond its registration: stages, qualifications, staff, cost."""

    key_stages = forms.MultipleChoiceField(
        label="Key stages", required=False, choices=KeyStage.choices, widget=forms.CheckboxSelectMultiple
    )
    qualifications = forms.MultipleChoiceField(
        label="Qualifications offered",
        required=False,
        choices=CodeChoices("qualification"),
        widget=forms.CheckboxSelectMultiple,
    )
    qualified_teachers = forms.IntegerField(
        label="Qualified teachers",
        required=False,
        min_value=0,
        max_value=500,
        help_text="How many of its teachers hold qualified teacher status; 0 if none do",
    )
    cost_per_day = forms.DecimalField(
        label="Cost per day, in pounds",
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        help_text="For a full day's place, for example 145.00",
        error_messages={"invalid": "Enter the cost per day as an amount in pounds, like 145.00"},
    )
    cost_per_session = forms.DecimalField(
        label="Cost per session, in pounds",
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        help_text="For a morning or an afternoon, or an hour of tuition, as the provider charges",
        error_messages={"invalid": "Enter the cost per session as an amount in pounds, like 45.00"},
    )
    school_site_of = forms.ChoiceField(
        label="Run by or on the site of a school",
        required=False,
        help_text="Only for AP a school runs, or that is on a school's site, but is not under the school's URN",
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_site_of"].choices = [("", "No"), *[(str(s.pk), s.name) for s in schools]]
        self.schools = {str(s.pk): s for s in schools}

    def clean_school_site_of(self):
        return self.schools.get(self.cleaned_data["school_site_of"])

    @classmethod
    def initial_from(cls, provider: Provider) -> dict:
        initial = {name: getattr(provider, name) for name in cls.base_fields}
        initial["school_site_of"] = str(provider.school_site_of_id or "")
        return initial


class ProviderSiteForm(GovukForm):
    name = forms.CharField(
        label="Name of the site", max_length=200, error_messages={"required": "Enter the name of the site"}
    )
    address = forms.CharField(max_length=300, error_messages={"required": "Enter the site's address"})
    postcode = forms.CharField(max_length=10, error_messages={"required": "Enter the site's postcode"})

    def clean_postcode(self):
        postcode = " ".join(self.cleaned_data["postcode"].upper().split())
        if not POSTCODE.match(postcode):
            raise forms.ValidationError("Enter a real postcode, like WA1 1UH")
        return postcode


class ProviderContactForm(GovukForm):
    name = forms.CharField(max_length=200, error_messages={"required": "Enter the contact's name"})
    role = forms.CharField(
        max_length=200,
        help_text="For example Head of centre, or Admissions",
        error_messages={"required": "Enter the contact's role"},
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    phone = forms.CharField(label="Phone number", required=False, max_length=30)
