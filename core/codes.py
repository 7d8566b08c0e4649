"""The DfE reference code sets, loaded from the CSV files in `core/reference/`.

No code list is typed by hand anywhere else: models, forms, filters and the demo
take their choices and labels from here. `SOURCES.md` beside the files says where
each set comes from and how far it was checked.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.deconstruct import deconstructible

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

# Code set name -> (file, column holding the label).
CODE_SETS = {
    "attendance": ("attendance_codes.csv", "meaning"),
    "ap_placement_reason": ("ap_placement_reason.csv", "meaning"),
    "ap_setting_type": ("ap_setting_type.csv", "meaning"),
    "destination": ("destinations.csv", "meaning"),
    "ethnicity": ("ethnicity.csv", "meaning"),
    "exclusion_reason": ("exclusion_reasons.csv", "meaning"),
    "exclusion_type": ("exclusion_types.csv", "meaning"),
    "gender": ("gender.csv", "meaning"),
    "gias_establishment_type": ("gias_establishment_types.csv", "name"),
    "la": ("la_codes.csv", "la_name"),
    "panel_outcome": ("panel_outcomes.csv", "meaning"),
    "post16_activity": ("post16_activity.csv", "meaning"),
    "provider_check_type": ("provider_check_types.csv", "meaning"),
    "qualification": ("qualifications.csv", "meaning"),
    "referral_reason": ("referral_reasons.csv", "meaning"),
    "sen_primary_need": ("sen_primary_need.csv", "meaning"),
    "sen_provision": ("sen_provision.csv", "meaning"),
}


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    row: dict


@cache
def code_set(name: str) -> dict[str, Code]:
    """Every code of one set, in file order, keyed by code."""
    filename, label_column = CODE_SETS[name]
    with open(REFERENCE_DIR / filename, encoding="utf-8", newline="") as f:
        key_column = "la_code" if name == "la" else "code"
        return {
            row[key_column]: Code(row[key_column], row[label_column], row)
            for row in csv.DictReader(f)
            if row[key_column]
        }


def label(name: str, code: str | None) -> str:
    """The human label of a code, or the code itself when it is not in the set."""
    if not code:
        return ""
    found = code_set(name).get(code)
    return found.label if found else code


@deconstructible
class CodeChoices:
    """A callable that gives a code set as field choices (Django calls it lazily)."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self) -> list[tuple[str, str]]:
        return [(c.code, c.label) for c in code_set(self.name).values()]

    def __eq__(self, other):
        return isinstance(other, CodeChoices) and other.name == self.name
