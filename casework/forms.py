"""Forms of the referral: the draft, the UPN to find a child by, and the reasons given for withdrawing and fast-tracking."""

from django import forms

from casework.models import Referral
from children.upn import upn_validator
from core.forms import GovukDateField, GovukForm, GovukModelForm


class ReferralForm(GovukModelForm):
    """A draft referral. Only the reason is needed to save it; sending checks the rest (referral_missing)."""

    family_consented_on = GovukDateField(
        label="Date the family consented to the referral",
        required=False,
        help_text="Leave blank for an off-site direction. For example, 27 3 2026",
    )
    family_told_on = GovukDateField(
        label="Date the family was told of the off-site direction",
        required=False,
        help_text="For an off-site direction only: the family is told, not asked. For example, 27 3 2026",
    )

    field_order = [
        "reason",
        "needs",
        "tried_in_school",
        "risk_and_safeguarding",
        "child_views_gathered",
        "child_views",
        "family_views_gathered",
        "family_views",
        "off_site_direction",
        "family_consented_on",
        "family_told_on",
    ]

    class Meta:
        model = Referral
        fields = [
            "reason",
            "needs",
            "tried_in_school",
            "risk_and_safeguarding",
            "child_views_gathered",
            "child_views",
            "family_views_gathered",
            "family_views",
            "off_site_direction",
        ]
        widgets = {
            "needs": forms.Textarea(attrs={"rows": 5}),
            "tried_in_school": forms.Textarea(attrs={"rows": 5}),
            "risk_and_safeguarding": forms.Textarea(attrs={"rows": 4}),
            "child_views": forms.Textarea(attrs={"rows": 4}),
            "family_views": forms.Textarea(attrs={"rows": 4}),
            "child_views_gathered": forms.RadioSelect,
            "family_views_gathered": forms.RadioSelect,
        }
        labels = {
            "reason": "Main reason for the referral",
            "needs": "The child's needs",
            "tried_in_school": "What has been tried in school, by whom, and what difference it made",
            "risk_and_safeguarding": "Risks and safeguarding",
            "child_views_gathered": "How were the child's views gathered?",
            "child_views": "The child's own views",
            "family_views_gathered": "How were the parent or carer's views gathered?",
            "family_views": "The parent or carer's views",
            "off_site_direction": "This is an off-site direction (the family is told, not asked to consent)",
        }
        help_texts = {
            "needs": "Filled in from the child's record: check it and add what the panel should know",
            "risk_and_safeguarding": "Starts with what the child's record holds: add the context, or say none are known",
            "child_views": "In the child's own words where you can. Leave blank if they declined",
            "family_views": "Leave blank if they declined",
        }
        error_messages = {"reason": {"required": "Choose the main reason for the referral"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("child_views_gathered", "family_views_gathered"):
            self.fields[name].required = False


class FindChildForm(GovukForm):
    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        max_length=20,
        help_text="13 characters, for example A123456789012",
        error_messages={"required": "Enter the child's UPN"},
    )

    def clean_upn(self):
        upn = self.cleaned_data["upn"].strip().upper().replace(" ", "")
        upn_validator(upn)
        return upn


class SendForm(GovukForm):
    """Nothing to type: sending is the button. The service's refusals land here."""


class WithdrawForm(GovukForm):
    withdrawal_reason = forms.CharField(
        label="Why is the referral withdrawn?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the referral is withdrawn"},
    )


class FastTrackForm(GovukForm):
    fast_track_reason = forms.CharField(
        label="Why does this referral need to go ahead of the queue?",
        help_text="The panel and the referrer will see this",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why this referral is fast-tracked"},
    )


class ContributionForm(GovukForm):
    text = forms.CharField(
        label="What should the panel know?",
        help_text="What you know of the child's needs, risks and what has helped, and what you would advise. "
        "The panel, the referrer and the local authority will read it",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what the panel should know"},
    )
