"""Reads of referrals. Each starts from the access policy in core."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from attendance.models import AttendanceMark, HomeSchoolMark
from casework.models import AgendaItem, Referral, ReferralContribution, ReferralStatus
from casework.referral_figures import (
    EXCLUSIONS_LOOK_BACK,
    figures_shown,
    record_figures,
    school_year_start,
)
from children.models import LUNCHTIME_SUSPENSION, Child, Exclusion
from core.access import (
    children_visible_to,
    is_la_officer,
    placements_visible_to,
    referral_get_for_user,
    referrals_visible_to,
)
from core.audit import audit_record
from core.models import AuditAction, User

# The lists a person may choose between on the referrals page: (key, words).
LISTS = (
    (ReferralStatus.SENT.value, "Awaiting a panel"),
    (ReferralStatus.DECIDED.value, "Decided"),
    (ReferralStatus.WITHDRAWN.value, "Withdrawn"),
    (ReferralStatus.DRAFT.value, "Drafts"),
    ("all", "All"),
)
ORDER = {
    # The queue: fast-tracked first, then the longest waiting.
    ReferralStatus.SENT: (F("fast_tracked_at").asc(nulls_last=True), "sent_at", "pk"),
    ReferralStatus.DECIDED: (F("decision__decided_at").desc(nulls_last=True), "-pk"),
    ReferralStatus.WITHDRAWN: ("-withdrawn_at", "-pk"),
    ReferralStatus.DRAFT: ("-created_at", "-pk"),
}


def default_list(*, user: User) -> str:
    """The LA starts from its queue; everyone else from all the referrals they may see."""
    return ReferralStatus.SENT.value if is_la_officer(user) else "all"


def referrals_listed(*, user: User, status: str, child_public_id=None) -> QuerySet:
    """The referrals the user may see with this status ("all": any), in the order the list shows them."""
    referrals = referrals_visible_to(user=user).select_related(
        "child__home_school", "referrer", "decision__provider__organisation"
    )
    if child_public_id:
        referrals = referrals.filter(child__public_id=child_public_id)
    if status in ORDER:
        return referrals.filter(status=status).order_by(*ORDER[status])
    return referrals.order_by("-created_at", "-pk")


def days_waiting(referral: Referral, today: date) -> int | None:
    """Whole days since a referral awaiting a panel was sent."""
    if referral.status != ReferralStatus.SENT or referral.sent_at is None:
        return None
    return (today - timezone.localdate(referral.sent_at)).days


@dataclass
class ReferralRead:
    referral: Referral
    decision: object
    agenda: list[AgendaItem]
    figures: dict
    live: bool  # the figures are today's, read now for a draft; else what the record held when it was sent
    child_visible: bool  # the user may open the child's record too (a setting named by a decision may not yet)
    placement: object  # the placement that followed the decision, if the user may see it


def referral_read(*, user: User, public_id) -> ReferralRead:
    """One referral the user may see, with its panel, its decision and the record's figures; the read is on the child's log."""
    # Outside the transaction below, so that a refusal's audit event is kept.
    referral = referral_get_for_user(user=user, public_id=public_id)
    with transaction.atomic():
        referral = (
            Referral.objects.select_related(
                "child__home_school",
                "referrer",
                "created_by",
                "sent_by",
                "fast_tracked_by",
                "withdrawn_by",
                "decision__panel__kind",
                "decision__provider__organisation",
            )
            .prefetch_related(
                "agenda_items__panel__kind",
                Prefetch(
                    "contributions", queryset=ReferralContribution.objects.select_related("organisation", "author")
                ),
            )
            .get(pk=referral.pk)
        )
        live = referral.status == ReferralStatus.DRAFT
        figures = referral_record_so_far(child=referral.child) if live else referral.record_when_sent
        audit_record(
            user=user,
            action=AuditAction.REFERRAL_VIEWED,
            object_type="referral",
            object_id=referral.public_id,
            children=[referral.child.public_id],
        )
    return ReferralRead(
        referral=referral,
        decision=getattr(referral, "decision", None),
        agenda=list(referral.agenda_items.all()),
        figures=figures_shown(figures),
        live=live,
        child_visible=children_visible_to(user=user).filter(pk=referral.child_id).exists(),
        placement=placements_visible_to(user=user).filter(personalised_plan__decision__referral=referral).first(),
    )


def referral_record_so_far(*, child: Child, today: date | None = None) -> dict:
    """What the record holds of a child's attendance this school year and exclusions in the last 12 months.

    Counted from the marks of every AP setting and the home school's own register, whoever may see
    them: the panel weighs the whole record. `child` comes through the access policy.
    """
    today = today or timezone.localdate()
    start, since = school_year_start(today), today - EXCLUSIONS_LOOK_BACK
    return record_figures(
        today=today, **record_between(child=child, marks_from=start, exclusions_from=since, until=today)
    )


def record_between(*, child: Child, marks_from: date, exclusions_from: date, until: date) -> dict:
    """Every AP setting's marks and the home school's own register from `marks_from`, and the exclusions counted
    from `exclusions_from`, to `until`: what a referral or a review weighs, whoever may see them.

    The arguments of casework.referral_figures' `record_figures` and `review_figures`.
    """
    setting_marks = AttendanceMark.objects.filter(child=child, date__range=(marks_from, until)).values_list(
        "date", "session", "code", "provider__organisation__name"
    )
    school_marks = [
        (day, session, code, f"{school} (its own register)")
        for day, session, code, school in HomeSchoolMark.objects.filter(
            child=child, date__range=(marks_from, until)
        ).values_list("date", "session", "code", "school__name")
    ]
    exclusions = [
        exclusion_counted(e)
        for e in child.exclusions.filter(start_date__range=(exclusions_from, until)).select_related("school")
    ]
    return {"setting_marks": setting_marks, "school_marks": school_marks, "exclusions": exclusions}


def exclusion_counted(exclusion: Exclusion) -> dict:
    """What the figures count of one exclusion (casework.referral_figures.exclusions_so_far); its school read with it."""
    return {
        "start_date": exclusion.start_date,
        "permanent": exclusion.is_permanent,
        "lunchtimes": exclusion.category == LUNCHTIME_SUSPENSION,
        "sessions": exclusion.sessions,
        "school": exclusion.school.name,
        "reason": exclusion.get_reason_display(),
    }


def children_with_upn(*, user: User, upn: str) -> QuerySet:
    """The children the user may see with this UPN: none, whether or not another record holds it."""
    return children_visible_to(user=user).filter(upn=upn).select_related("home_school").order_by("pk")


def open_referral_of(*, user: User, child: Child) -> Referral | None:
    """The user's organisation's referral of this child that is still a draft or awaiting a panel."""
    return (
        referrals_visible_to(user=user)
        .filter(child=child, referrer=user.primary_organisation, status__in=[ReferralStatus.DRAFT, ReferralStatus.SENT])
        .first()
    )


def referral_prefill(*, child: Child) -> dict:
    """What a new referral can say from the record already: the child's needs, and what is known of risk."""
    needs = []
    if child.sen_primary_need:
        needs.append(f"Primary SEN need: {child.get_sen_primary_need_display()}.")
    if child.sen_secondary_need:
        needs.append(f"Secondary SEN need: {child.get_sen_secondary_need_display()}.")
    needs.append(f"SEN provision: {child.get_sen_provision_display()}; {child.get_ehc_plan_status_display()}.")
    if child.health_needs:
        needs.append(f"Health needs: {child.health_needs}.")
    portrait = child.pen_portraits.first()
    if portrait:
        needs.append(f"From the pen portrait of {timezone.localtime(portrait.written_at):%-d %B %Y}: {portrait.needs}")
    known = [
        words
        for flag, words in (
            (child.looked_after, f"Looked after by {child.looked_after_by}" if child.looked_after_by_id else ""),
            (child.child_protection, "Has a child protection plan"),
            (child.child_in_need, "A child in need"),
            (child.known_to_youth_justice, "Known to youth justice"),
            (child.on_dynamic_support_register, "On the dynamic support register"),
        )
        if flag and words
    ]
    return {
        "needs": "\n".join(needs),
        "risk_and_safeguarding": f"From the child's record: {'; '.join(known)}." if known else "",
    }
