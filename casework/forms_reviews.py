"""The form of a placement's review, with progress on each objective of its plan as a formset beside it."""

from django import forms

from casework.models import REVIEW_PARTICIPANTS, ProgressStatus, ReviewDecision
from casework.services.reviews import REVIEW_REQUIRED
from core.forms import GovukDateField, GovukForm


class ReviewForm(GovukForm):
    held_on = GovukDateField(label="Date of the review", help_text="For example, 14 11 2026")
    took_part = forms.MultipleChoiceField(
        label="Who took part",
        help_text="Select all that apply",
        choices=REVIEW_PARTICIPANTS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose who took part in the review"},
    )
    child_views = forms.CharField(label="The child's views", widget=forms.Textarea(attrs={"rows": 3}))
    family_views = forms.CharField(label="The family's views", widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.ChoiceField(label="What was decided", choices=ReviewDecision.choices, widget=forms.RadioSelect)
    new_planned_end_date = GovukDateField(
        label="New planned end",
        required=False,
        help_text="Only if the placement is extended. For example, 17 7 2027",
    )
    extend_reason = forms.CharField(
        label="Why the placement is extended",
        required=False,
        help_text="Only if the placement is extended",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_review_on = GovukDateField(
        label="Date of the next review",
        required=False,
        help_text="If one was agreed. Without it, the next review falls due at the area's intervals. For example, 5 2 2027",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in REVIEW_REQUIRED.items():
            self.fields[name].error_messages["required"] = message

    def review_data(self) -> dict:
        """The cleaned data as the service takes it: who took part as one yes or no each."""
        data = {n: v for n, v in self.cleaned_data.items() if n != "took_part"}
        chosen = set(self.cleaned_data.get("took_part", []))
        return data | {name: name in chosen for name, _ in REVIEW_PARTICIPANTS}


class ObjectiveProgressForm(GovukForm):
    objective = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label="Progress",
        choices=ProgressStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the progress on this objective: met, on track or not on track"},
    )
    evidence = forms.CharField(
        label="Evidence",
        help_text="What shows it: the register, an assessment, the child's work, what the child says",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the evidence of progress on this objective"},
    )


ObjectiveProgressFormSet = forms.formset_factory(ObjectiveProgressForm, extra=0)


def progress_formset(data=None, *, objectives=()):
    """One row per objective of the plan, each showing the objective it is about."""
    objectives = list(objectives)
    formset = ObjectiveProgressFormSet(data, prefix="progress", initial=[{"objective": o.pk} for o in objectives])
    for number, (form, objective) in enumerate(zip(formset.forms, objectives, strict=False), start=1):
        form.objective_shown = objective
        # Said with the objective's number, so that the error summary tells the rows apart.
        form.fields["status"].error_messages["required"] = (
            f"Choose the progress on objective {number}: met, on track or not on track"
        )
        form.fields["evidence"].error_messages["required"] = f"Enter the evidence of progress on objective {number}"
    return formset


def progress_rows(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data]


class VisitForm(GovukForm):
    visited_on = GovukDateField(label="Date of the visit", help_text="For example, 14 11 2026")
    saw_the_child = forms.TypedChoiceField(
        label="Did you see the child?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda answer: answer == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you saw the child"},
    )
    what_was_seen = forms.CharField(
        label="What you saw and heard",
        help_text="The child's timetable and lessons, how they seemed, what they and the staff said, any concern",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what you saw and heard on the visit"},
    )
