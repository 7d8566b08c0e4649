import uuid

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField, GovukForm, GovukModelForm
from survey.languages import MINIMUM_COMMUNITY_LANGUAGES, community_languages
from survey.models import Survey
from survey.questions import COMMENT_HINT, COMMENT_LABEL, Audience


class SurveyForm(GovukModelForm):
    opens_on = GovukDateField(label="Opens on", help_text="For an inspection, the day the area was notified")
    closes_on = GovukDateField(
        label="Closes on", help_text="The last day people can answer; for an inspection, the last day of the visit"
    )
    languages = forms.MultipleChoiceField(
        label="Community languages",
        choices=community_languages,
        widget=forms.CheckboxSelectMultiple,
        help_text=f"Everyone can answer in English. Choose at least {MINIMUM_COMMUNITY_LANGUAGES} more.",
        error_messages={"required": f"Choose at least {MINIMUM_COMMUNITY_LANGUAGES} community languages"},
    )

    class Meta:
        model = Survey
        fields = ["title", "inspection", "opens_on", "closes_on", "languages"]
        labels = {"inspection": "Inspection (if the survey is for one)"}
        error_messages = {"title": {"required": "Enter a title for the survey"}}

    def __init__(self, *args, inspections=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = inspections


class ResponseForm(GovukForm):
    """The parts every audience's form shares; `response_form_for` adds the audience's questions."""

    audience: Audience
    submission_id = forms.UUIDField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=COMMENT_LABEL,
        help_text=COMMENT_HINT,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": _("Your answer must be 2,000 characters or fewer.")},
    )

    def __init__(self, *args, **kwargs):
        # A new id each time the form is shown: sending the same form twice records one response.
        super().__init__(*args, initial={"submission_id": uuid.uuid4()}, **kwargs)

    def answers(self) -> dict[str, str]:
        return {q.key: self.cleaned_data[f"q_{q.key}"] for q in self.audience.questions}


def _radios(text, hint, choices) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=text,
        help_text=hint,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": format_lazy(_("Choose an answer to: {question}"), question=text)},
    )


def response_form_for(audience: Audience) -> type[ResponseForm]:
    """A form with the audience's "about you" question, its questions and the comment, in that order."""
    questions = {f"q_{q.key}": _radios(q.text, q.hint, audience.answers) for q in audience.questions}
    fields = {"group": _radios(audience.group_question, "", audience.groups), **questions}
    attrs = {**fields, "audience": audience, "field_order": [*fields, "comment"]}
    return type(f"ResponseForm_{audience.key}", (ResponseForm,), attrs)
