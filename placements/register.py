"""The register's dimensions: one definition used by the filters, the dashboard and the export."""

from collections.abc import Callable
from dataclasses import dataclass

from children.models import EhcPlanStatus
from core.codes import CodeChoices
from placements.models import AttendancePattern, CommissionerType, ProvisionType, RegistrationType
from providers.models import Registration

YES_NO = [("yes", "Yes"), ("no", "No")]


@dataclass(frozen=True)
class Dimension:
    """One way to break down the children in AP.

    `key` is the query-string name, `lookup` the placement field it filters on.
    Yes/no dimensions map "yes" and "no" onto a boolean field.
    """

    key: str
    label: str
    lookup: str
    choices: Callable[[], list[tuple[str, str]]]
    boolean: bool = False

    def filter_value(self, value: str):
        return value == "yes" if self.boolean else value

    def value_key(self, stored) -> str:
        if self.boolean:
            return "yes" if stored else "no"
        return stored


DIMENSIONS = [
    Dimension("registration", "Provider registration", "provider__registration", lambda: Registration.choices),
    Dimension("provision", "Type of provision", "provision_type", lambda: ProvisionType.choices),
    Dimension("reason", "Reason for placement", "reason", CodeChoices("ap_placement_reason")),
    Dimension("need", "Primary SEN need", "child__sen_primary_need", CodeChoices("sen_primary_need")),
    Dimension("ehcp", "EHC plan status", "child__ehc_plan_status", lambda: EhcPlanStatus.choices),
    Dimension("looked_after", "Looked after", "child__looked_after", lambda: YES_NO, boolean=True),
    Dimension(
        "out_of_area", "Out of area", "out_of_area", lambda: [("no", "In area"), ("yes", "Out of area")], boolean=True
    ),
    Dimension("pattern", "Full or part time", "attendance_pattern", lambda: AttendancePattern.choices),
    Dimension("roll", "Single or dual registration", "registration_type", lambda: RegistrationType.choices),
    Dimension("commissioner", "Commissioner type", "commissioner_type", lambda: CommissionerType.choices),
]
DIMENSION_BY_KEY = {d.key: d for d in DIMENSIONS}
