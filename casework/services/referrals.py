"""Writes to referrals: start a draft, change it, send it, withdraw it, fast-track it.

Each is one transaction with its audit event on the child's access log. A referral is written and
sent by the organisation that refers; once sent it is the panel's to decide, and only the LA moves it
up the queue. What the record already holds (attendance, suspensions, exclusions) is counted when the
referral is sent, never typed.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.models import Referral, ReferralContribution, ReferralStatus, ViewsGathered
from casework.selectors.referrals import referral_record_so_far
from casework.services.plans import placement_from_decision_refusal
from children.models import Child
from core.access import (
    CONTRIBUTING_SECTORS,
    contributing_organisation,
    may_change_referral,
    may_contribute_to_referral,
    may_refer,
    may_run_panels,
    may_withdraw_referral,
)
from core.audit import audit_record
from core.models import AuditAction, Organisation, OrganisationKind, User

# What a person may type into a draft; everything else is set by the service.
DRAFT_FIELDS = (
    "reason",
    "needs",
    "tried_in_school",
    "risk_and_safeguarding",
    "child_views",
    "child_views_gathered",
    "family_views",
    "family_views_gathered",
    "off_site_direction",
    "family_consented_on",
    "family_told_on",
)

# An off-site direction is a school's power (section 29A of the Education Act 2002), not the LA's or a practitioner's.
SCHOOLS = (OrganisationKind.SCHOOL, OrganisationKind.ACADEMY_TRUST)

ALREADY_OPEN = "Your organisation already has a referral of this child that is open: change or withdraw that one."


def referral_change_refusal(referral: Referral) -> str:
    """Why a referral can no longer be changed or sent, in words; "" while it is a draft."""
    if referral.status == ReferralStatus.SENT:
        return (
            f"This referral was sent on {timezone.localtime(referral.sent_at):%-d %B %Y} and can no longer be changed."
        )
    if referral.status == ReferralStatus.DECIDED:
        return "The panel has decided on this referral: it can no longer be changed."
    if referral.status == ReferralStatus.WITHDRAWN:
        return "This referral was withdrawn: it can no longer be changed."
    return ""


def referral_withdraw_refusal(referral: Referral) -> str:
    """Why a referral can no longer be withdrawn, in words; "" while it is a draft or awaits a panel."""
    if referral.status == ReferralStatus.DECIDED:
        return "The panel has decided on this referral: it can no longer be withdrawn."
    if referral.status == ReferralStatus.WITHDRAWN:
        return "This referral has already been withdrawn."
    return ""


def referral_fast_track_refusal(referral: Referral) -> str:
    """Why a referral cannot be fast-tracked, in words; "" when it awaits a panel and is not fast-tracked yet."""
    if referral.status != ReferralStatus.SENT:
        now = (
            "a draft not yet sent" if referral.status == ReferralStatus.DRAFT else referral.get_status_display().lower()
        )
        return f"Only a referral awaiting a panel can be fast-tracked: this one is {now}."
    if referral.is_fast_tracked:
        return f"This referral was already fast-tracked on {timezone.localtime(referral.fast_tracked_at):%-d %B %Y}."
    return ""


def referral_contribution_refusal(referral: Referral) -> str:
    """Why nothing more may be added to a referral, in words; "" while it awaits a panel."""
    if referral.status == ReferralStatus.SENT:
        return ""
    if referral.status == ReferralStatus.DECIDED:
        return "The panel has decided on this referral: nothing more can be added to it."
    if referral.status == ReferralStatus.WITHDRAWN:
        return "This referral was withdrawn: nothing more can be added to it."
    return "This referral has not been sent yet."


def referral_actions(*, user: User, referral: Referral) -> dict[str, bool]:
    """What this user may do with the referral as it stands: the buttons a page offers."""
    area_id = referral.child.area_id
    return {
        "change": may_change_referral(user=user, referral=referral) and not referral_change_refusal(referral),
        "withdraw": may_withdraw_referral(user=user, referral=referral) and not referral_withdraw_refusal(referral),
        "fast_track": may_run_panels(user=user, area_id=area_id) and not referral_fast_track_refusal(referral),
        "contribute": may_contribute_to_referral(user=user, referral=referral)
        and not referral_contribution_refusal(referral),
        "open_panel": may_run_panels(user=user, area_id=area_id),
        "start_placement": may_run_panels(user=user, area_id=area_id)
        and hasattr(referral, "decision")
        and placement_from_decision_refusal(decision=referral.decision) is None,
    }


def _audit(*, user: User, action: AuditAction, referral: Referral, detail: dict | None = None) -> None:
    audit_record(
        user=user,
        action=action,
        object_type="referral",
        object_id=referral.public_id,
        children=[referral.child.public_id],
        detail=detail,
    )


def _dates_not_in_future(data: dict, today: date) -> dict:
    words = {"family_consented_on": "the family consented", "family_told_on": "the family was told"}
    return {
        name: [f"The date {said} must be today or in the past"]
        for name, said in words.items()
        if data.get(name) and data[name] > today
    }


def _draft_errors(data: dict, referrer: Organisation) -> dict:
    """What is wrong with what was typed into a draft, whatever is still to come."""
    errors = _dates_not_in_future(data, date.today())
    if data.get("off_site_direction") and referrer.kind not in SCHOOLS:
        errors["off_site_direction"] = [
            "Only a school directs a pupil off site: untick it, and record the family's consent"
        ]
    return errors


def _locked(referral: Referral) -> Referral:
    """The referral as stored now, held until the transaction ends: a second click waits, then sees the first."""
    return Referral.objects.select_for_update().select_related("child").get(pk=referral.pk)


def referral_start(*, user: User, child: Child, data: dict) -> Referral:
    """Start a draft referral of a child the user may refer (core.access.may_refer), one open per organisation."""
    if not may_refer(user=user, child=child):
        raise PermissionDenied(
            "You cannot refer this child: a school refers its own pupils, others those they work with."
        )
    fields = {name: data[name] for name in DRAFT_FIELDS if name in data}
    referrer = user.primary_organisation
    errors = _draft_errors(fields, referrer)
    if errors:
        raise ValidationError(errors)
    referral = Referral(child=child, referrer=referrer, created_by=user, **fields)
    referral.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            referral.save()
            _audit(user=user, action=AuditAction.REFERRAL_DRAFTED, referral=referral, detail={"started": True})
    except IntegrityError as clash:
        raise ValidationError(ALREADY_OPEN) from clash
    return referral


def referral_update(*, user: User, referral: Referral, data: dict) -> Referral:
    """Change a draft referral: the referring organisation only, and only while it is a draft."""
    if not may_change_referral(user=user, referral=referral):
        raise PermissionDenied("Only the organisation that made the referral can change it.")
    errors = _draft_errors(data, referral.referrer)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stored = _locked(referral)
        refusal = referral_change_refusal(stored)
        if refusal:
            raise ValidationError(refusal)
        changed = [name for name in DRAFT_FIELDS if name in data and getattr(stored, name) != data[name]]
        for name in changed:
            setattr(stored, name, data[name])
        stored.full_clean(validate_constraints=False)
        stored.save()
        _audit(user=user, action=AuditAction.REFERRAL_DRAFTED, referral=stored, detail={"fields": changed})
    return stored


def _views_missing(referral: Referral, whose: str, words: str) -> dict:
    gathered = getattr(referral, f"{whose}_views_gathered")
    if not gathered:
        return {f"{whose}_views_gathered": [f"Say how {words} views were gathered"]}
    if gathered != ViewsGathered.DECLINED and not getattr(referral, f"{whose}_views").strip():
        return {f"{whose}_views": [f"Record {words} views, or say they declined to give them"]}
    return {}


def referral_missing(referral: Referral, today: date | None = None) -> dict:
    """What a referral still needs before it can be sent, by field, in words; empty when it is complete.

    The child's and the family's views each say how they were gathered; "declined" needs no words. A
    family consents to a referral, or, for an off-site direction, is told of it.
    """
    today = today or date.today()
    missing = {}
    required = {
        "reason": "Choose the main reason for the referral",
        "needs": "Describe the child's needs",
        "tried_in_school": "Say what has been tried in school, by whom, and what difference it made",
        "risk_and_safeguarding": "Describe the risks and safeguarding context, or say that none are known",
    }
    for name, message in required.items():
        if not str(getattr(referral, name) or "").strip():
            missing[name] = [message]
    missing |= _views_missing(referral, "child", "the child's")
    missing |= _views_missing(referral, "family", "the parent or carer's")
    if referral.off_site_direction and not referral.family_told_on:
        missing["family_told_on"] = ["Enter the date the family was told of the off-site direction"]
    if not referral.off_site_direction and not referral.family_consented_on:
        missing["family_consented_on"] = ["Enter the date the family consented to the referral"]
    for name, messages in _dates_not_in_future(
        {"family_consented_on": referral.family_consented_on, "family_told_on": referral.family_told_on}, today
    ).items():
        missing.setdefault(name, messages)
    return missing


def referral_send(*, user: User, referral: Referral) -> Referral:
    """Send a complete draft to the local authority, with what the record holds of the child's attendance and exclusions.

    A referral already sent is left as it is: sending twice changes nothing.
    """
    if not may_change_referral(user=user, referral=referral):
        raise PermissionDenied("Only the organisation that made the referral can send it.")
    with transaction.atomic():
        stored = _locked(referral)
        refusal = referral_change_refusal(stored)
        if refusal:
            raise ValidationError(refusal)
        missing = referral_missing(stored)
        if missing:
            raise ValidationError(missing)
        now = timezone.now()
        stored.record_when_sent = referral_record_so_far(child=stored.child, today=timezone.localdate(now))
        stored.status, stored.sent_at, stored.sent_by = ReferralStatus.SENT, now, user
        stored.save()
        _audit(user=user, action=AuditAction.REFERRAL_SENT, referral=stored)
    return stored


def referral_withdraw(*, user: User, referral: Referral, reason: str) -> Referral:
    """Withdraw a referral not yet decided, saying why: the referring organisation, or the LA of the child's area."""
    if not may_withdraw_referral(user=user, referral=referral):
        raise PermissionDenied("Only the organisation that made the referral or the local authority can withdraw it.")
    if not (reason or "").strip():
        raise ValidationError({"withdrawal_reason": ["Enter why the referral is withdrawn"]})
    with transaction.atomic():
        stored = _locked(referral)
        refusal = referral_withdraw_refusal(stored)
        if refusal:
            raise ValidationError(refusal)
        was = stored.status
        stored.status, stored.withdrawn_at, stored.withdrawn_by = ReferralStatus.WITHDRAWN, timezone.now(), user
        stored.withdrawal_reason = reason.strip()
        stored.save()
        # Off the agendas of panels still to meet: nothing is left to decide there. A panel that met keeps it.
        taken_off = stored.agenda_items.filter(panel__meets_on__gte=timezone.localdate()).delete()[0]
        # The reason is kept on the referral, not copied into the audit log.
        _audit(
            user=user,
            action=AuditAction.REFERRAL_WITHDRAWN,
            referral=stored,
            detail={"was": was, "taken_off_agendas": taken_off},
        )
    return stored


def referral_fast_track(*, user: User, referral: Referral, reason: str) -> Referral:
    """Move a sent referral to the head of the queue, saying why: the local authority of the child's area only."""
    if not may_run_panels(user=user, area_id=referral.child.area_id):
        raise PermissionDenied("Only the local authority can fast-track a referral.")
    if not (reason or "").strip():
        raise ValidationError({"fast_track_reason": ["Enter why this referral is fast-tracked"]})
    with transaction.atomic():
        stored = _locked(referral)
        refusal = referral_fast_track_refusal(stored)
        if refusal:
            raise ValidationError(refusal)
        stored.fast_tracked_at, stored.fast_tracked_by = timezone.now(), user
        stored.fast_track_reason = reason.strip()
        stored.save()
        _audit(user=user, action=AuditAction.REFERRAL_FAST_TRACKED, referral=stored)
    return stored


def referral_contribute(*, user: User, referral: Referral, text: str) -> ReferralContribution:
    """Add health's, social care's or the virtual school's view to a referral awaiting a panel.

    Only while they are involved with the child (core.access.contributing_organisation), in that organisation's name.
    """
    organisation = contributing_organisation(user=user, referral=referral)
    if organisation is None:
        raise PermissionDenied(
            "Only health, social care or the virtual school, while involved with the child, can add to a referral."
        )
    if not (text or "").strip():
        raise ValidationError({"text": ["Enter what the panel should know"]})
    with transaction.atomic():
        stored = _locked(referral)
        refusal = referral_contribution_refusal(stored)
        if refusal:
            raise ValidationError(refusal)
        contribution = ReferralContribution.objects.create(
            referral=stored,
            organisation=organisation,
            sector=CONTRIBUTING_SECTORS[organisation.kind],
            text=text.strip(),
            author=user,
        )
        _audit(
            user=user,
            action=AuditAction.REFERRAL_CONTRIBUTION_ADDED,
            referral=stored,
            detail={"organisation": organisation.name},
        )
    return contribution
