"""The area's decisions on its providers' approval (issue 13, item 2).

Most settings are approved: state-maintained ones LA-verified, independent ones approved or approved with
conditions after a visit or a tender, and each has an earlier decision a year before, so the history shows. One
unregistered setting is under review, one suspended, one not approved, and one has no decision yet. Chosen by
position, not by the borough's random generator, so that adding them changes nothing else the borough holds.
"""

from datetime import date, timedelta

from core.models import User
from providers.models import APPROVED, ApprovalModel, ApprovalStatus, Provider, ProviderApproval, Registration

WHY = {
    ApprovalStatus.APPROVED: "Safeguarding, health and safety and the quality of education seen at the annual visit",
    ApprovalStatus.APPROVED_WITH_CONDITIONS: (
        "Approved on condition that the single central record shows the barred-list check for two sessional "
        "staff, by the end of the half term"
    ),
    ApprovalStatus.UNDER_REVIEW: "A parent's complaint about supervision at lunchtime: a visit is arranged",
    ApprovalStatus.SUSPENDED: "No designated safeguarding lead since the last one left; no new placements until one is named",
    ApprovalStatus.NOT_APPROVED: "Premises not suitable for the ages placed; the fire risk assessment is out of date",
}
# Registered independent settings take turns between these; the unregistered ones the rest of the story.
INDEPENDENT = [ApprovalStatus.APPROVED, ApprovalStatus.APPROVED_WITH_CONDITIONS]
UNREGISTERED = [
    ApprovalStatus.APPROVED_WITH_CONDITIONS,
    ApprovalStatus.UNDER_REVIEW,
    ApprovalStatus.SUSPENDED,
    ApprovalStatus.NOT_APPROVED,
    None,  # not decided yet
]


def _decision(provider: Provider, status, model, on: date, officer: User) -> ProviderApproval:
    return ProviderApproval(
        provider=provider,
        status=status,
        approval_model=model,
        reason=WHY[status],
        decided_on=on,
        review_by=on + timedelta(days=365),
        decided_by=officer,
    )


def approvals_build(*, today: date, providers: list[Provider], officer: User) -> list[ProviderApproval]:
    """Each provider's decisions, oldest first."""
    approvals = []
    unregistered = 0
    for n, provider in enumerate(sorted(providers, key=lambda p: p.pk)):
        on = today - timedelta(days=30 + 7 * n)
        if provider.registration == Registration.STATE_MAINTAINED:
            status, model = ApprovalStatus.APPROVED, ApprovalModel.LA_VERIFIED
        elif provider.registration == Registration.INDEPENDENT_REGISTERED:
            status, model = INDEPENDENT[n % len(INDEPENDENT)], ApprovalModel.TENDERED
        else:
            status, model = UNREGISTERED[unregistered % len(UNREGISTERED)], ApprovalModel.FRAMEWORK_LOT
            unregistered += 1
        if status is None:
            continue
        approvals.append(_decision(provider, ApprovalStatus.APPROVED, model, on - timedelta(days=365), officer))
        approvals.append(_decision(provider, status, model, on, officer))
    return approvals


# Why a commissioner chose a provider the area has not approved, as the placement form asks.
JUSTIFICATIONS = [
    "The only setting within an hour offering GCSE English and maths in a group of six; the approved providers "
    "have no place until January",
    "Emotionally based school avoidance: the family and CAMHS agreed a small setting near home; reviewed at six "
    "weeks, with the provider's approval",
    "In care and settled here before the decision; the virtual school head agreed to keep the key worker through "
    "the move to Year 11",
]


def justifications_fill(*, today: date, placements: list, approvals: list[ProviderApproval]) -> list:
    """The open placements at providers the area has not approved, two in three with the reason recorded for
    choosing them; the third has none, as a placement made before the decision or by a file would not."""
    latest = {}
    for approval in approvals:  # oldest first: the last one seen is the provider's approval today
        latest[approval.provider_id] = approval.status
    unapproved = [
        p
        for p in placements
        if p.end_date is None and p.start_date <= today and latest.get(p.provider_id) not in APPROVED
    ]
    justified = [p for n, p in enumerate(sorted(unapproved, key=lambda p: p.pk)) if n % 3 != 2]
    for n, placement in enumerate(justified):
        # The last reason is a looked-after child's; the others anyone's.
        which = -1 if placement.child.looked_after else n % (len(JUSTIFICATIONS) - 1)
        placement.provider_justification = JUSTIFICATIONS[which]
    return justified
