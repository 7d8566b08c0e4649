"""The register's dimensions: one definition used by the filters, the dashboard and the export."""

from collections.abc import Callable
from dataclasses import dataclass

from children.models import EhcPlanStatus
from core.codes import CodeChoices
from placements.models import AttendancePattern, CommissionerType, ProvisionType, RegistrationType
from providers.models import Registration

YES_NO = [("yes", "Yes"), ("no", "No")]
# Values of `looked_after_by`, which `placements.selectors` annotates on each placement.
LOOKED_AFTER_HERE = "this_council"
LOOKED_AFTER_ELSEWHERE = "other_council"
BLANK = "not_recorded"


@dataclass(frozen=True)
class Dimension:
    """One way to break down the children in AP.

    `key` is the query-string name, `lookup` the placement field it filters on.
    Yes/no dimensions map "yes" and "no" onto a boolean field.
    """

    key: str
    label: str
    lookup: str
    code_choices: Callable[[], list[tuple[str, str]]]
    boolean: bool = False
    # For a field that may be left blank: how the register names "nothing recorded".
    blank_label: str | None = None

    def choices(self) -> list[tuple[str, str]]:
        blank = [(BLANK, self.blank_label)] if self.blank_label else []
        return list(self.code_choices()) + blank

    def filter_value(self, value: str):
        if self.boolean:
            return value == "yes"
        return "" if value == BLANK else value

    def value_key(self, stored) -> str:
        if self.boolean:
            return "yes" if stored else "no"
        return stored or BLANK


DIMENSIONS = [
    Dimension("registration", "Provider registration", "provider__registration", lambda: Registration.choices),
    Dimension("provision", "Type of provision", "provision_type", lambda: ProvisionType.choices),
    Dimension("reason", "Reason for placement", "reason", CodeChoices("ap_placement_reason")),
    Dimension(
        "need",
        "Primary SEN need",
        "child__sen_primary_need",
        CodeChoices("sen_primary_need"),
        blank_label="No SEN need recorded",
    ),
    Dimension("ehcp", "EHC plan status", "child__ehc_plan_status", lambda: EhcPlanStatus.choices),
    # A virtual school sees the children its own council looks after; the area's register also
    # holds children placed here by other councils. Both screens say which is which.
    Dimension(
        "looked_after",
        "Looked after",
        "looked_after_by",
        lambda: [
            (LOOKED_AFTER_HERE, "Looked after by this council"),
            (LOOKED_AFTER_ELSEWHERE, "Looked after by another council"),
            ("no", "Not looked after"),
        ],
    ),
    Dimension(
        "out_of_area", "Out of area", "out_of_area", lambda: [("no", "In area"), ("yes", "Out of area")], boolean=True
    ),
    Dimension("pattern", "Full or part time", "attendance_pattern", lambda: AttendancePattern.choices),
    Dimension("roll", "Single or dual registration", "registration_type", lambda: RegistrationType.choices),
    Dimension("commissioner", "Commissioner type", "commissioner_type", lambda: CommissionerType.choices),
    # An open-ended placement with no agreed objectives or reintegration plan is what inspectors find too often.
    Dimension(
        "plan",
        "Personalised plan",
        "has_plan",
        lambda: [("yes", "Objectives and reintegration plan agreed"), ("no", "No plan recorded")],
        boolean=True,
    ),
]
DIMENSION_BY_KEY = {d.key: d for d in DIMENSIONS}
