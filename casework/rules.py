"""The journey's rules read from the code sets: what a panel's decision leads to, what a referral's reason means for
the census. One place, so the forms, the services and the demo agree."""

from core.codes import code_set


def _yes(code_set_name: str, code: str, column: str) -> bool:
    found = code_set(code_set_name).get(code)
    return bool(found) and found.row[column] == "Y"


def outcome_names_provider(outcome: str) -> bool:
    """A decision of AP placement or outreach names the provider; the others name none."""
    return _yes("panel_outcome", outcome, "names_provider")


def outcome_leads_to_placement(outcome: str) -> bool:
    """Whether a placement, started with its personalised plan, may follow the decision."""
    return _yes("panel_outcome", outcome, "leads_to_placement")


def outcome_provision_type(outcome: str) -> str:
    """The type of provision the decision fixes for its placement (outreach), or "" to choose."""
    found = code_set("panel_outcome").get(outcome)
    return found.row["provision_type"] if found else ""


def census_reason_for(referral_reason: str, *, commissioned_by_school: bool) -> str:
    """The census's primary reason a placement following the referral carries, for the census its commissioner returns."""
    found = code_set("referral_reason").get(referral_reason)
    if not found:
        return ""
    return found.row["school_census_reason" if commissioned_by_school else "ap_census_reason"]
