from django import forms
from django.db.models import Prefetch, Q

from children.models import Child, ChildDocument, Exclusion, Involvement, PenPortrait
from children.selectors import UPN_TAKEN, child_with_upn
from core.access import is_la_of, is_la_officer
from core.forms import GovukDateField, GovukForm, GovukModelForm
from core.models import Area, Membership, Organisation, OrganisationKind, User


class ChildForm(GovukModelForm):
    date_of_birth = GovukDateField(label="Date of birth", help_text="For example, 27 3 2012")
    last_cetr_date = GovukDateField(
        label="Date of last CETR", required=False, help_text="Care, education and treatment review"
    )

    class Meta:
        model = Child
        fields = [
            "first_name",
            "last_name",
            "upn",
            "date_of_birth",
            "gender",
            "ethnicity",
            "home_school",
            "sen_provision",
            "sen_primary_need",
            "sen_secondary_need",
            "ehc_plan_status",
            "health_needs",
            "looked_after",
            "looked_after_by",
            "child_in_need",
            "child_protection",
            "known_to_youth_justice",
            "on_dynamic_support_register",
            "last_cetr_date",
        ]
        labels = {"upn": "Unique pupil number (UPN)"}
        help_texts = {"upn": "13 characters, for example A123456789012"}
        widgets = {
            "gender": forms.RadioSelect,
            "ehc_plan_status": forms.RadioSelect,
            "sen_provision": forms.RadioSelect,
        }
        error_messages = {
            "first_name": {"required": "Enter the child's first name"},
            "last_name": {"required": "Enter the child's last name"},
            "upn": {"required": "Enter the child's UPN"},
            "gender": {"required": "Select the child's sex as recorded in the school census"},
            "ethnicity": {"required": "Select the child's ethnicity"},
            "sen_provision": {"required": "Select the child's SEN provision"},
            "ehc_plan_status": {"required": "Select the child's EHC plan status"},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.existing = user, None
        areas = [o.area_id for o in user.organisations]
        schools = Organisation.objects.filter(area_id__in=areas, kind=OrganisationKind.SCHOOL)
        self.fields["home_school"].queryset = schools
        if not is_la_officer(user):
            # A school adds and edits its own pupils only.
            self.fields["home_school"].queryset = schools.filter(pk__in=[o.pk for o in user.organisations])
            self.fields["home_school"].required = True
            self.fields["home_school"].empty_label = None
        self.fields["looked_after_by"].queryset = Area.objects.all()
        self.fields["gender"].label = "Sex (as recorded in the school census)"

    def clean_upn(self):
        # Said at once, with the service's words: the service checks it again when the record is saved.
        upn = self.cleaned_data["upn"].strip().upper()
        area_id = self.instance.area_id if self.instance.pk else self.user.primary_organisation.area_id
        self.existing = child_with_upn(user=self.user, upn=upn, area_id=area_id, other_than=self.instance.pk)
        if self.existing is not None:
            raise forms.ValidationError(UPN_TAKEN, code="unique")
        return upn


class InvolvementForm(GovukModelForm):
    started_on = GovukDateField(label="Involved from", help_text="For example, 4 9 2026")
    ended_on = GovukDateField(
        label="Involved until", required=False, help_text="Leave blank while they are still involved"
    )

    class Meta:
        model = Involvement
        fields = ["person_name", "role", "organisation", "user", "started_on", "ended_on"]
        labels = {
            "person_name": "Name of the person",
            "user": "Their AP Oversight account (if they have one)",
        }
        help_texts = {"user": "With an account linked, they can see this child while they are involved."}
        widgets = {"role": forms.RadioSelect}
        error_messages = {
            "person_name": {"required": "Enter the name of the person involved"},
            "role": {"required": "Select their role"},
            "organisation": {"required": "Select the organisation they work for"},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        areas = [o.area_id for o in user.organisations]
        organisations = Organisation.objects.filter(area_id__in=areas).exclude(kind=OrganisationKind.INSPECTORATE)
        self.fields["organisation"].queryset = organisations
        # Named as entered until they sign in: an account's own name would tell that it existed elsewhere.
        here = Prefetch("memberships", Membership.objects.filter(organisation__in=organisations), to_attr="here")
        self.fields["user"].queryset = (
            User.objects.filter(memberships__organisation__in=organisations).distinct().prefetch_related(here)
        )
        self.fields["user"].label_from_instance = lambda person: person.here[0].name_shown


class PenPortraitForm(GovukModelForm):
    class Meta:
        model = PenPortrait
        fields = ["needs", "aspirations", "support"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in ("needs", "aspirations", "support")}
        error_messages = {
            "needs": {"required": "Describe the child's needs"},
            "aspirations": {"required": "Describe what the child wants for themselves"},
            "support": {"required": "Describe the support in place"},
        }


class ChildDocumentForm(GovukModelForm):
    dated = GovukDateField(label="Date of the document")
    file = forms.FileField(label="Document", required=False, help_text="PDF, Word, OpenDocument or RTF, up to 10 MB")

    class Meta:
        model = ChildDocument
        fields = ["kind", "title", "dated"]
        widgets = {"kind": forms.RadioSelect}
        error_messages = {"kind": {"required": "Choose what the document is"}, "title": {"required": "Enter a title"}}


class ExclusionForm(GovukModelForm):
    start_date = GovukDateField(label="First day", help_text="For example, 12 1 2026")

    class Meta:
        model = Exclusion
        fields = ["school", "category", "start_date", "sessions", "reason"]
        labels = {"school": "School that excluded the child", "reason": "Reason, as recorded in the school census"}
        widgets = {"category": forms.RadioSelect}
        error_messages = {
            "school": {"required": "Select the school that excluded the child"},
            "category": {"required": "Select whether this was a suspension or a permanent exclusion"},
            "sessions": {
                "invalid": "Enter the length as a whole number of sessions",
                "min_value": "A suspension lasts at least 1 session",
                "max_value": "A pupil cannot be suspended for more than 45 school days (90 sessions) in a school year",
            },
            "reason": {"required": "Select the reason", "invalid_choice": "Select a reason from the list"},
        }

    def __init__(self, *args, user, child, **kwargs):
        super().__init__(*args, **kwargs)
        schools = Organisation.objects.filter(kind=OrganisationKind.SCHOOL)
        if is_la_of(user, child.area_id):
            schools = schools.filter(Q(area_id=child.area_id) | Q(pk=child.home_school_id))
        else:
            # A school records only its own exclusions.
            own = [o.pk for o in user.organisations if o.kind == OrganisationKind.SCHOOL]
            schools = schools.filter(pk__in=own)
            self.fields["school"].initial = own[0] if len(own) == 1 else None
        self.fields["school"].queryset = schools


class CombineForm(GovukForm):
    """Which school is the child's school once two records of them are one."""

    home_school = forms.ChoiceField(
        label="Which school is the child's home school now?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's home school"},
    )

    def __init__(self, *args, schools: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.schools = {str(s.public_id) if s else "": s for s in schools}
        self.fields["home_school"].choices = [(k, str(s) if s else "No home school") for k, s in self.schools.items()]

    def clean_home_school(self):
        return self.schools[self.cleaned_data["home_school"]]
