"""A child's chronology: what happened in the last two years, in date order.

Shown on the child's timeline and in an inspection's tracking pack. Every read starts from the access policy,
so each reader sees the events of what they may see: a setting, the placements it sees; an inspector, the
children their inspection selected. Free text is the pack's to redact (inspection.redaction), not this module's.
"""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q

from attendance.rules import absence_band, attendance_percentage, attendance_totals_between
from casework.destinations import Sustained, neet_label, sustained_destination
from casework.models import DestinationCheckKind, ProgressStatus, ReferralStatus, ReviewDecision
from core.access import (
    attendance_months_visible_to,
    destination_checks_visible_to,
    placements_visible_to,
    referrals_visible_to,
    reintegrations_visible_to,
    reviews_visible_to,
    visits_visible_to,
)
from core.models import User

TWO_YEARS = relativedelta(years=2)


@dataclass(frozen=True)
class Event:
    day: date
    kind: str
    text: str


def chronology(*, user: User, child, today: date) -> list[Event]:
    """Referrals and panel decisions, placements, their plans, reviews and visits, persistent and severe absence,
    exclusions, EHC plan, care, involvement, destination checks after AP, returns to school: two years, oldest
    first."""
    since = today - TWO_YEARS
    events = _referral_events(user, child, since)
    events += _placement_events(user, child, since, today) + _review_events(user, child, since)
    events += _visit_events(user, child, since)
    events += _attendance_events(user, child, since)
    events += _exclusion_events(child, since) + _status_events(child, since) + _involvement_events(child, since)
    events += _destination_events(user, child, since) + _reintegration_events(user, child, since)
    return sorted(events, key=lambda e: e.day)


def _placement_events(user: User, child, since: date, today: date) -> list[Event]:
    events = []
    for p in (
        placements_visible_to(user=user)
        .filter(child=child)
        .select_related("provider__organisation", "commissioner", "personalised_plan", "exit")
        .annotate(objectives_count=Count("personalised_plan__objectives"))
    ):
        if p.start_date >= since:
            text = (
                f"{'Starts' if p.start_date > today else 'Started'} at {p.provider.name}: "
                f"{p.get_provision_type_display()}, "
                f"{p.get_attendance_pattern_display().lower()} ({p.hours_per_week} hours a week), "
                f"commissioned by {p.commissioner.name} for {p.get_reason_display().lower()}"
            )
            events.append(Event(p.start_date, "Placement", text))
        plan = getattr(p, "personalised_plan", None)
        if plan and plan.agreed_on >= since:
            end = p.planned_end_date
            until = f"to end by {end.day} {end:%B %Y}" if end else "with no planned end date"
            count = p.objectives_count
            objectives = f"{count} objective{'' if count == 1 else 's'}"
            text = f"Personalised plan for the placement at {p.provider.name} agreed: {objectives}, {until}"
            events.append(Event(plan.agreed_on, "Plan", text))
        if p.end_date and p.end_date >= since:
            exit_ = getattr(p, "exit", None)
            why = (exit_.get_reason_display() if exit_ else "") or "reason not recorded"
            to = f"; went on to {exit_.get_destination_display().lower()}" if exit_ and exit_.destination else ""
            support = f"; supported after the move by {exit_.support_shown}" if exit_ and exit_.support_shown else ""
            events.append(Event(p.end_date, "Placement", f"Left {p.provider.name}: {why.lower()}{to}{support}"))
    return events


def _reintegration_events(user: User, child, since: date) -> list[Event]:
    """Returns to school: where, and how each went at 6 and 12 school weeks, as far as recorded."""
    events = []
    for attempt in (
        reintegrations_visible_to(user=user)
        .filter(child=child, returned_on__gte=since)
        .select_related("school")
        .order_by("returned_on", "pk")
    ):
        outcomes = [
            f"at {weeks} weeks {getattr(attempt, f'get_outcome_{weeks}_weeks_display')().lower()}"
            for weeks in (6, 12)
            if getattr(attempt, f"outcome_{weeks}_weeks")
        ]
        told = f": {', '.join(outcomes)}" if outcomes else ""
        why = f" ({attempt.why_failed})" if attempt.why_failed else ""
        events.append(Event(attempt.returned_on, "Return to school", f"Returned to {attempt.school.name}{told}{why}"))
    return events


def _review_events(user: User, child, since: date) -> list[Event]:
    """Reviews held: what was decided, and how many objectives were met, on track and not on track."""
    counts = {status: Count("progress", filter=Q(progress__status=status)) for status in ProgressStatus.values}
    reviews = (
        reviews_visible_to(user=user)
        .filter(placement__child=child, held_on__gte=since)
        .select_related("placement__provider__organisation")
        .annotate(**counts)
        .order_by("held_on", "pk")
    )
    events = []
    for review in reviews:
        decided = review.get_decision_display().lower()
        if review.decision == ReviewDecision.EXTEND:
            end = review.new_planned_end_date
            decided = f"extend the placement to {end.day} {end:%B %Y}"
        tally = [(getattr(review, s.value), s.label.lower()) for s in ProgressStatus]
        objectives = (
            "objectives " + ", ".join(f"{n or 'none'} {label}" for n, label in tally)
            if any(n for n, _ in tally)
            else "no objectives on the plan"
        )
        text = f"Review of the placement at {review.placement.provider.name}: {decided}; {objectives}"
        events.append(Event(review.held_on, "Review", text))
    return events


def _visit_events(user: User, child, since: date) -> list[Event]:
    """Visits to the child at a setting: by whom, and whether the child was seen."""
    visits = (
        visits_visible_to(user=user)
        .filter(placement__child=child, visited_on__gte=since)
        .select_related("placement__provider__organisation", "organisation")
    )
    return [
        Event(
            v.visited_on,
            "Visit",
            f"Visit to {v.placement.provider.name} by {v.organisation.name}: "
            + ("saw the child" if v.saw_the_child else "did not see the child"),
        )
        for v in visits
    ]


def _referral_events(user: User, child, since: date) -> list[Event]:
    """Referrals sent, fast-tracked and decided by a panel."""
    events = []
    referrals = (
        referrals_visible_to(user=user)
        .filter(child=child)
        .exclude(status=ReferralStatus.DRAFT)
        .select_related(
            "referrer", "sent_by", "fast_tracked_by", "decision__panel__kind", "decision__provider__organisation"
        )
    )
    for referral in referrals:
        reason = referral.get_reason_display().lower()
        if referral.sent_at and referral.sent_at.date() >= since:
            text = f"Referred by {referral.referrer.name} ({referral.sent_by}): {reason}"
            events.append(Event(referral.sent_at.date(), "Referral", text))
        if referral.fast_tracked_at and referral.fast_tracked_at.date() >= since:
            why = f": {referral.fast_track_reason}" if referral.fast_track_reason else ""
            text = f"Fast-tracked ahead of the queue by {referral.fast_tracked_by}{why}"
            events.append(Event(referral.fast_tracked_at.date(), "Referral", text))
        decision = getattr(referral, "decision", None)
        if decision and decision.panel.meets_on >= since:
            at = f" at {decision.provider.name}" if decision.provider_id else ""
            text = f"{decision.panel.kind.name} decided: {decision.get_outcome_display()}{at}"
            missing = decision.sectors_missing_labels()
            if missing:
                text += f", without {' or '.join(m.lower() for m in missing)} at the panel"
            events.append(Event(decision.panel.meets_on, "Panel decision", text))
    return events


def _attendance_events(user: User, child, since: date) -> list[Event]:
    """A month's attendance across all settings, when it falls into persistent or severe absence."""
    months = attendance_months_visible_to(user=user).filter(child=child)
    events, previous = [], ""
    for row in sorted(attendance_totals_between(months, since, None, "month"), key=lambda r: r["month"]):
        percentage = attendance_percentage(row["attended"], row["possible"])
        band = absence_band(row["attended"], row["possible"])
        if band and band != previous:
            words = (
                "severe absence (50% or more missed)" if band == "severe" else "persistent absence (10% or more missed)"
            )
            events.append(
                Event(row["month"], "Attendance", f"Attendance in {row['month']:%B %Y} was {percentage}%: {words}")
            )
        previous = band
    return events


def _exclusion_events(child, since: date) -> list[Event]:
    events = []
    for exclusion in child.exclusions.filter(start_date__gte=since).select_related("school"):
        reason = exclusion.get_reason_display().lower()
        if exclusion.is_permanent:
            events.append(
                Event(exclusion.start_date, "Exclusion", f"Permanently excluded by {exclusion.school.name}: {reason}")
            )
        else:
            text = f"Suspended by {exclusion.school.name} for {exclusion.length}: {reason}"
            events.append(Event(exclusion.start_date, "Suspension", text))
    return events


def _status_events(child, since: date) -> list[Event]:
    """Changes of EHC plan status and care status, from the record's history."""
    events, before = [], None
    for record in child.history.order_by("history_date"):
        if before is not None and record.history_date.date() >= since:
            if record.ehc_plan_status != before.ehc_plan_status:
                label = dict(type(child)._meta.get_field("ehc_plan_status").choices)[record.ehc_plan_status]
                events.append(Event(record.history_date.date(), "EHC plan", f"EHC plan status became: {label.lower()}"))
            if record.looked_after != before.looked_after:
                text = "Became looked after" if record.looked_after else "Stopped being looked after"
                events.append(Event(record.history_date.date(), "Care", text))
        before = record
    return events


def _involvement_events(child, since: date) -> list[Event]:
    events = []
    for inv in child.involvements.select_related("organisation"):
        if inv.started_on >= since:
            events.append(
                Event(
                    inv.started_on,
                    "Involvement",
                    f"{inv.get_role_display()} from {inv.organisation.name} became involved",
                )
            )
        if inv.ended_on and inv.ended_on >= since:
            events.append(
                Event(
                    inv.ended_on,
                    "Involvement",
                    f"{inv.get_role_display()} from {inv.organisation.name} stopped being involved",
                )
            )
    return events


def _destination_events(user: User, child, since: date) -> list[Event]:
    """Destination checks after leaving AP: what the young person was doing, NEET said plainly, and at the March
    check whether the destination was sustained the DfE way."""
    checks = list(
        destination_checks_visible_to(user=user)
        .filter(placement__child=child)
        .select_related("placement__provider__organisation")
        .order_by("checked_on", "pk")
    )
    october = {c.placement_id: c.activity for c in checks if c.kind == DestinationCheckKind.OCTOBER}
    events = []
    for check in checks:
        if check.checked_on < since:
            continue
        text = f"{check.get_kind_display()} check: {check.get_activity_display().lower()} (NCCIS {check.activity})"
        if neet := neet_label(check.activity):
            text += f", {neet}"
        if check.offer_made is not None:
            text += f"; a place {'was' if check.offer_made else 'was not'} offered by the end of September"
        if check.kind == DestinationCheckKind.MARCH:
            sustained = sustained_destination(
                october=october.get(check.placement_id),
                march=check.activity,
                months_in_education_or_training=check.months_in_education_or_training,
                months_employed=check.months_employed,
            )
            text += f"; {Sustained(sustained).label.lower()}"
        events.append(Event(check.checked_on, "Destination", text))
    return events
