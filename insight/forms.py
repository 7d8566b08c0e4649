from django import forms

from core.forms import GovukModelForm
from core.models import Area


class OversightSettingsForm(GovukModelForm):
    class Meta:
        model = Area
        fields = ["minimum_hours", "full_time_test", "time_limits_flagged"]
        widgets = {
            "minimum_hours": forms.NumberInput(attrs={"class": "govuk-input--width-3", "step": "0.5"}),
            "full_time_test": forms.RadioSelect,
        }
        error_messages = {
            "minimum_hours": {
                "required": "Enter the fewest hours a week, from 0 to 25",
                "invalid": "Enter a number of hours, like 15 or 12.5",
                "max_value": "Enter a number of hours from 0 to 25",
                "min_value": "Enter a number of hours from 0 to 25",
            }
        }
