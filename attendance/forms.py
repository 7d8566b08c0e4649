from django import forms

from attendance.ingest import PRESENT_SYMBOL
from attendance.models import Alert, Session, TuitionSession
from attendance.selectors import RegisterLine
from core.codes import code_set
from core.forms import GovukDateField, GovukForm, GovukModelForm
from core.models import Area


def _choices(session: Session) -> list[tuple[str, str]]:
    # The symbol for "present" differs by session; the rest of the codes are the same.
    other_present = PRESENT_SYMBOL[Session.PM if session == Session.AM else Session.AM]
    codes = [c for c in code_set("attendance").values() if c.code != other_present]
    return [("", "Not marked")] + [(c.code, f"{c.code} – {_short(c.label)}") for c in codes]


def _short(label: str, limit: int = 45) -> str:
    """The first clause of a code's meaning, short enough for a select in a table row."""
    text = label.split(":")[0].split(" (")[0]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class RegisterForm(GovukForm):
    """One select per child and session, named by the placement's public id."""

    def __init__(self, *args, lines: list[RegisterLine], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            for session, value in ((Session.AM, line.am), (Session.PM, line.pm)):
                name = self.field_name(line, session)
                self.fields[name] = forms.ChoiceField(
                    label=f"{line.placement.child.full_name}, {session.label.lower()}",
                    choices=_choices(session),
                    required=False,
                    initial=value,
                    widget=forms.Select(attrs={"class": "govuk-select app-mark-select"}),
                )

    @staticmethod
    def field_name(line: RegisterLine, session: Session) -> str:
        return f"{'am' if session == Session.AM else 'pm'}_{line.placement.public_id.hex}"

    def rows(self):
        """The marks given, as (line, session, code), blanks left out."""
        for line in self.lines:
            for session in Session:
                code = self.cleaned_data.get(self.field_name(line, session))
                if code:
                    yield line, session, code


class PeriodForm(GovukForm):
    period = forms.ChoiceField(
        label="Period",
        choices=[
            ("week", "This week"),
            ("half_term", "This half term"),
            ("year", "This academic year"),
            ("custom", "Chosen dates"),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    start = forms.CharField(label="From", required=False, help_text="For example, 1/9/2026")
    end = forms.CharField(label="To", required=False)


class AlertCloseForm(GovukForm):
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=Alert.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
    )
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
        help_text="Who you spoke to and what was agreed; no more than the next person needs",
    )


class TuitionSessionForm(GovukModelForm):
    date = GovukDateField(label="Date of the session", help_text="For example, 20 11 2026")

    class Meta:
        model = TuitionSession
        fields = ["date", "hours", "status", "engaged"]
        labels = {"hours": "Length of the session, in hours", "engaged": "The child engaged with the learning"}
        widgets = {"status": forms.RadioSelect}
        error_messages = {
            "hours": {
                "required": "Enter how long the session was",
                "invalid": "Enter the length as a number, like 1.5",
            },
            "status": {"required": "Choose what happened to the session"},
        }


class AreaAttendanceSettingsForm(GovukModelForm):
    class Meta:
        model = Area
        fields = ["attendance_alert_time", "tuition_alert_after"]
        widgets = {"attendance_alert_time": forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"})}
        error_messages = {
            "attendance_alert_time": {
                "invalid": "Enter a time like 10:30",
                "required": "Enter the time of the daily check",
            },
            "tuition_alert_after": {
                "required": "Enter how many missed sessions raise an alert",
                "invalid": "Enter a whole number, like 3",
                "min_value": "Enter a number from 1 to 20",
                "max_value": "Enter a number from 1 to 20",
            },
        }
