import re

from django import forms

from core.codes import CodeChoices
from core.forms import GovukDateField, GovukForm, GovukModelForm
from core.geo import outcode_of, postcode_location
from core.models import Area
from providers.models import (
    ApprovalModel,
    ApprovalStatus,
    CheckOutcome,
    KeyStage,
    Provider,
    QASignal,
    QAVisitFor,
    Registration,
    Specialism,
)
from providers.selectors import NOT_DECIDED, DirectoryQuery
from providers.services import (
    ACTION_REQUIRED,
    APPROVAL_REQUIRED,
    CHECK_REQUIRED,
    CRITERION_REQUIRED,
    POINT_REQUIRED,
    VISIT_REQUIRED,
)

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


# Quality assurance (issue 13, item 4).


class QAFrameworkSettingsForm(GovukForm):
    name = forms.CharField(label="Name of the framework", max_length=200)
    visit_interval_months = forms.IntegerField(
        label="Months between visits",
        help_text="Every provider with children placed is visited at least this often: from 1 to 12 (yearly)",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
        error_messages={"invalid": "Enter the months between visits as a number, like 12"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter the framework's name"
        self.fields["visit_interval_months"].error_messages["required"] = (
            "Enter how many months between visits, from 1 to 12"
        )


class QACriterionForm(GovukForm):
    text = forms.CharField(label="Criterion", max_length=300, help_text="What the visit rates, in one sentence")
    guidance = forms.CharField(
        label="What to look for",
        required=False,
        help_text="The evidence a visitor asks to see",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = CRITERION_REQUIRED["text"]


class QARatingPointForm(GovukForm):
    label = forms.CharField(label="Name of the point", max_length=60, help_text="For example, Meets, or Green")
    guidance = forms.CharField(label="When to give it", widget=forms.Textarea(attrs={"rows": 3}))
    signal = forms.ChoiceField(
        label="What it means for oversight",
        choices=QASignal.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the point means for oversight: green, amber or red"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in POINT_REQUIRED.items():
            self.fields[name].error_messages["required"] = message


class QAVisitForm(GovukForm):
    """A visit against one version of the framework: a rating and the evidence for each criterion, by theme."""

    visited_on = GovukDateField(label="Date of the visit", help_text="For example, 14 11 2026")
    visitors = forms.ModelMultipleChoiceField(
        label="Who visited",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    other_visitors = forms.CharField(
        label="Others who visited",
        required=False,
        max_length=300,
        help_text="Names and roles of anyone else, for example a designated clinical officer",
    )
    for_whom = forms.MultipleChoiceField(
        label="For whom the visit was made",
        choices=QAVisitFor.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The commissioners who rely on it. Select all that apply",
    )
    education = forms.CharField(
        label="Education: what the visit found",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Teaching, the curriculum and progress seen",
    )
    safeguarding = forms.CharField(
        label="Safeguarding: what the visit found",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The single central record, the designated safeguarding lead, the site",
    )
    strengths = forms.CharField(label="Strengths", widget=forms.Textarea(attrs={"rows": 3}))
    children_views = forms.CharField(
        label="The children's views",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the children placed here said about it, and how their views were gathered",
    )
    overall = forms.ChoiceField(label="Overall judgement", widget=forms.RadioSelect)
    overall_summary = forms.CharField(
        label="Why: the overall judgement in words", widget=forms.Textarea(attrs={"rows": 3})
    )
    next_visit_on = GovukDateField(
        label="Date of the next visit",
        required=False,
        help_text="Leave it blank for the area's interval after this visit; it cannot be later than that",
    )

    def __init__(self, *args, content: dict, visitors, **kwargs):
        self.content = content
        fields = dict(self.base_fields)
        points = [(str(p.pk), p.label) for p in content["points"]]
        ratings = {}
        for theme in content["themes"]:
            for criterion in theme.criteria.all():
                number = f"{theme.position}.{criterion.position}"
                ratings[f"rating_{criterion.pk}"] = forms.ChoiceField(
                    label=f"{number} {criterion.text}",
                    choices=points,
                    widget=forms.RadioSelect(attrs={"small": True}),
                    help_text=criterion.guidance,
                    error_messages={"required": f"Choose a rating for {number}: {criterion.text}"},
                )
                ratings[f"evidence_{criterion.pk}"] = forms.CharField(
                    label=f"Evidence for {number}",
                    widget=forms.Textarea(attrs={"rows": 2}),
                    error_messages={"required": f"Enter the evidence seen for {number}"},
                )
        # The ratings come after who visited and for whom, before the strands: the order of the page.
        order = list(fields)
        at = order.index("education")
        self.base_fields = {n: fields[n] for n in order[:at]} | ratings | {n: fields[n] for n in order[at:]}
        super().__init__(*args, **kwargs)
        self.base_fields = fields
        self.fields["visitors"].queryset = visitors
        self.fields["overall"].choices = points
        for name, message in VISIT_REQUIRED.items():
            self.fields[name].error_messages["required"] = message

    def themes(self) -> list[dict]:
        """Each theme with the bound fields of its criteria, (rating, evidence), for the page to group."""
        return [
            {
                "theme": theme,
                "rows": [(self[f"rating_{c.pk}"], self[f"evidence_{c.pk}"]) for c in theme.criteria.all()],
            }
            for theme in self.content["themes"]
        ]

    def visit_data(self) -> dict:
        """The cleaned data as the service takes it: the ratings as one entry per criterion."""
        data = {n: v for n, v in self.cleaned_data.items() if not n.startswith(("rating_", "evidence_"))}
        data["visitors"] = list(self.cleaned_data.get("visitors") or [])
        data["ratings"] = {
            c.pk: {
                "point": self.cleaned_data.get(f"rating_{c.pk}"),
                "evidence": self.cleaned_data.get(f"evidence_{c.pk}"),
            }
            for theme in self.content["themes"]
            for c in theme.criteria.all()
        }
        return data


class QAStrandForm(GovukForm):
    findings = forms.CharField(
        label="What your service found",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="For the children placed here: how their health or care needs are met, and anything of concern",
    )


class QAActionForm(GovukForm):
    text = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(label="Owner", max_length=200, help_text="Who carries it out: a person and their role")
    due_on = GovukDateField(label="Due by", help_text="For example, 31 1 2027")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in ACTION_REQUIRED.items():
            self.fields[name].error_messages["required"] = message


class QAActionDoneForm(GovukForm):
    done_on = GovukDateField(label="Date done", help_text="For example, 14 1 2027")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].error_messages["required"] = "Enter the date the action was done"


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
