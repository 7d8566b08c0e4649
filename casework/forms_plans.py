"""Forms of the personalised plan and of a placement started from a panel's decision."""

from datetime import date

from django import forms

from casework.models import PersonalisedPlan
from casework.rules import census_reason_for, outcome_provision_type
from casework.services.plans import PLAN_REQUIRED
from core.forms import GovukDateField, GovukForm, GovukModelForm
from placements.forms import PlacementForm
from providers.models import APPROVED
from providers.selectors import approval_status_of

TEXT = {"rows": 3}
FAMILY_TOLD = [
    "family_told_on",
    "family_language",
    "family_told_why",
    "family_told_start",
    "family_told_length",
    "family_told_who_where",
    "family_told_review",
]
BASELINE = [
    "baseline_needs",
    "baseline_triggers",
    "baseline_what_works",
    "baseline_attainment",
    "baseline_ehc_sections",
]
PLAN = ["intervention", "intervention_timeline", "reintegration_plan", "off_site_direction", "maximum_end_date"]
AGREED = ["agreed_on"]


class PersonalisedPlanForm(GovukModelForm):
    """The plan itself; its objectives are a formset beside it. The plan page adds the placement's planned end."""

    planned_end_date = GovukDateField(
        label="Planned end of the placement",
        help_text="The plan's timeframe: by when the objectives should be met. For example, 17 7 2027",
    )
    maximum_end_date = GovukDateField(
        label="End of the agreed maximum period",
        required=False,
        help_text="For an off-site direction: the latest the placement may last. For example, 17 7 2027",
    )
    family_told_on = GovukDateField(label="Date the family was told", help_text="For example, 4 9 2026")
    agreed_on = GovukDateField(label="Date agreed", help_text="For example, 4 9 2026")

    class Meta:
        model = PersonalisedPlan
        fields = [*PLAN, *FAMILY_TOLD, *BASELINE, *AGREED]
        widgets = {
            name: forms.Textarea(attrs=TEXT)
            for name in (
                "intervention",
                "intervention_timeline",
                "reintegration_plan",
                *[n for n in FAMILY_TOLD if n not in ("family_told_on", "family_language")],
                *BASELINE,
            )
        }
        labels = {
            "intervention": "The intervention",
            "intervention_timeline": "Its timeline",
            "reintegration_plan": "The reintegration plan or next step",
            "off_site_direction": "This placement is an off-site direction",
            "family_language": "Language the family was told in",
            "family_told_why": "Why the child is placed",
            "family_told_start": "When it starts",
            "family_told_length": "For how long",
            "family_told_who_where": "Who will teach the child, and where",
            "family_told_review": "How and when it will be reviewed",
            "baseline_needs": "The child's needs",
            "baseline_triggers": "What triggers distress or behaviour",
            "baseline_what_works": "What works",
            "baseline_attainment": "Attainment",
            "baseline_ehc_sections": "EHC plan sections the setting needs",
        }

    def __init__(self, *args, off_site: bool | None = None, **kwargs):
        """`off_site`: what the referral the plan follows says, or None when no referral does and the plan asks."""
        super().__init__(*args, **kwargs)
        if off_site is not None:
            # The referral already says whether it is an off-site direction: not asked again.
            del self.fields["off_site_direction"]
            if not off_site:
                del self.fields["maximum_end_date"]
        self.order_fields(["planned_end_date", *self.Meta.fields])
        _require(self)

    def sections(self):
        return _sections(self)


def _require(form) -> None:
    """What a plan must say, asked on the form in the service's words, so that every gap shows at once."""
    for name, message in PLAN_REQUIRED.items():
        if name in form.fields:
            form.fields[name].required = True
            form.fields[name].error_messages["required"] = message


def _sections(form) -> list[tuple[str, str, list]]:
    """The form's fields under headings, so that a long form reads as the plan does: (heading, hint, fields)."""
    groups = [
        ("The placement", "", [n for n in PLACEMENT_FIELDS if n != "planned_end_date"]),
        ("The plan", "", ["planned_end_date", *PLAN]),
        ("What the family was told", "Point by point, as the guidance lists them.", FAMILY_TOLD),
        (
            "The child's baseline",
            "What the setting needs from the first day, so that it does not spend weeks rebuilding it.",
            BASELINE,
        ),
        ("Agreed", "", AGREED),
    ]
    return [
        (heading, hint, [form[name] for name in names if name in form.fields])
        for heading, hint, names in groups
        if any(name in form.fields for name in names)
    ]


class PlanObjectiveForm(GovukForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(
        label="Objective",
        help_text="What the child should achieve",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the objective: what the child should achieve"},
    )
    measure = forms.CharField(
        label="How it is measured",
        help_text="Attendance, an assessment, the child's own view",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter how the objective is measured"},
    )
    baseline = forms.CharField(
        label="Where the child is now",
        help_text="The measure's value at the start",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter where the child is now: the objective's baseline"},
    )
    target_date = GovukDateField(label="By when", help_text="For example, 17 7 2027")


class BasePlanObjectiveFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_few_forms": "Keep at least one objective: a plan cannot have none",
    }

    def objectives(self) -> list[dict]:
        """The objectives kept, in order: blank rows and those marked for removal left out."""
        return [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("description")
        ]


# A plan shows its objectives and two blank rows to add more; the first is required.
PlanObjectiveFormSet = forms.formset_factory(
    PlanObjectiveForm,
    formset=BasePlanObjectiveFormSet,
    extra=2,
    min_num=1,
    validate_min=True,
    can_delete=True,
    can_delete_extra=False,
)


def objective_formset(data=None, *, objectives=()):
    formset = PlanObjectiveFormSet(
        data,
        prefix="objectives",
        initial=[
            {
                "id": o.pk,
                "description": o.description,
                "measure": o.measure,
                "baseline": o.baseline,
                "target_date": o.target_date,
            }
            for o in objectives
        ],
    )
    for form in formset.forms:
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this objective"
    return formset


# The fields of a placement started from a decision: the provider, and the commissioner (the LA) are fixed;
# a new placement has not ended.
PLACEMENT_FIELDS = [
    "provider_justification",
    "provision_type",
    "reason",
    "start_date",
    "planned_end_date",
    "attendance_pattern",
    "hours_per_week",
    "timetable",
    "registration_type",
    "main_roll",
    "journey_minutes",
    "residential",
    "outreach_provider",
]


class PlacementFromDecisionForm(PlacementForm):
    """One form for the placement a panel decided and its personalised plan (its objectives beside it)."""

    def __init__(self, *args, user, decision, **kwargs):
        plan_fields = {
            name: field
            for name, field in PersonalisedPlanForm.base_fields.items()
            if name not in ("planned_end_date", "off_site_direction")
        }
        # Chosen before the GOV.UK mixin styles them; provider and commissioner are set up, then fixed.
        self.base_fields = {
            **{
                n: f
                for n, f in PlacementForm.base_fields.items()
                if n in [*PLACEMENT_FIELDS, "provider", "commissioner"]
            },
            **plan_fields,
        }
        super().__init__(*args, user=user, **kwargs)
        del self.fields["provider"]
        self.fields.pop("commissioner", None)
        self.fields["planned_end_date"].required = True
        self.fields[
            "planned_end_date"
        ].help_text = "The plan's timeframe: by when the objectives should be met. For example, 17 7 2027"
        if outcome_provision_type(decision.outcome):
            del self.fields["provision_type"]
        if not decision.referral.off_site_direction:
            del self.fields["maximum_end_date"]
        # Asked only when the panel chose a provider the area has not approved.
        if decision.provider is None or approval_status_of(decision.provider) in APPROVED:
            del self.fields["provider_justification"]
        else:
            self.fields["provider_justification"].label = f"Why {decision.provider}, which the area has not approved"
        _require(self)
        # The LA commissions, so its census (the AP census) gets the reason the referral's reason leads to.
        self.initial.setdefault("reason", census_reason_for(decision.referral.reason, commissioned_by_school=False))
        self.initial.setdefault("agreed_on", date.today())

    def placement_data(self) -> dict:
        return {n: v for n, v in self.cleaned_data.items() if n in PLACEMENT_FIELDS}

    def plan_data(self) -> dict:
        return {n: v for n, v in self.cleaned_data.items() if n not in PLACEMENT_FIELDS}

    def sections(self):
        return _sections(self)
