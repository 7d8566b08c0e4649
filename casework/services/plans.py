"""Personalised plans, and starting a placement from a panel's decision with its plan (issue 11).

A plan holds objectives each with a measure, a baseline and a date; the intervention and its timeline; the
reintegration plan; for an off-site direction the agreed maximum period; what the family was told and in which
language; and the child's baseline. The placement's planned end is the plan's timeframe: a plan without one
is the open-ended placement inspectors warn about, and a placement from a decision cannot start without both.
"""

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from casework.models import Decision, PersonalisedPlan, PlanObjective
from casework.rules import outcome_leads_to_placement, outcome_provision_type
from core.access import can_edit_placement, may_run_panels
from core.audit import audit_record
from core.models import AuditAction, OrganisationKind, User
from core.required import missing
from placements.models import Placement
from placements.services import placement_create

ALREADY_PLACED = "A placement already follows this decision: change its plan from the child's record."
OBJECTIVE_FIELDS = ("description", "measure", "baseline", "target_date")
OBJECTIVE_MISSING = {
    "description": "what the child should achieve",
    "measure": "how it is measured",
    "baseline": "where the child is now",
    "target_date": "by when",
}
# What a plan must say, the family_told_* points being every one the guidance lists (FAMILY_TOLD_POINTS).
PLAN_REQUIRED = {
    "intervention": "Enter the intervention: what the setting will do with the child",
    "intervention_timeline": "Enter the intervention's timeline",
    "reintegration_plan": "Enter the reintegration plan or the next step",
    "family_told_on": "Enter the date the family was told",
    "family_told_why": "Enter what the family was told about why the child is placed",
    "family_told_start": "Enter what the family was told about when it starts",
    "family_told_length": "Enter what the family was told about how long it lasts",
    "family_told_who_where": "Enter what the family was told about who will teach the child, and where",
    "family_told_review": "Enter what the family was told about how and when it will be reviewed",
    "baseline_needs": "Enter the child's needs, for the setting's baseline",
    "agreed_on": "Enter the date the plan was agreed",
}


def _plan_errors(
    *, plan: dict, objectives: list[dict], start: date, planned_end: date | None, off_site: bool
) -> dict[str, list[str]]:
    """Every rule a plan breaks, by field, in words a person can act on."""
    today = date.today()
    errors = missing(plan, PLAN_REQUIRED)

    def add(name, message):
        errors.setdefault(name, []).append(message)

    if planned_end is None:
        add("planned_end_date", "Enter the planned end date: a placement cannot start or continue without one")
    for name, label in (("agreed_on", "The date agreed"), ("family_told_on", "The date the family was told")):
        if plan.get(name) and plan[name] > today:
            add(name, f"{label} must be today or in the past")
    maximum = plan.get("maximum_end_date")
    if off_site and maximum is None:
        add("maximum_end_date", "Enter the end of the agreed maximum period: the placement is an off-site direction")
    if maximum and maximum < start:
        add("maximum_end_date", "The end of the agreed maximum period must be on or after the placement's start")
    if off_site and maximum and planned_end and planned_end > maximum:
        add("planned_end_date", "The planned end must be on or before the end of the agreed maximum period")
    if not objectives:
        add(NON_FIELD_ERRORS, "Add at least one objective, with how it is measured, where the child is now and by when")
    for number, objective in enumerate(objectives, start=1):
        lacking = [OBJECTIVE_MISSING[n] for n in OBJECTIVE_FIELDS if not objective.get(n)]
        if lacking:
            add(NON_FIELD_ERRORS, f"Objective {number} needs {', '.join(lacking)}")
        elif objective["target_date"] < start:
            add(NON_FIELD_ERRORS, f"Objective {number}'s date must be on or after the placement's start")
    return errors


def _plan_fields(plan: dict) -> dict:
    names = {f.name for f in PersonalisedPlan._meta.concrete_fields} - {
        "id",
        "public_id",
        "placement",
        "decision",
        "agreed_by",
        "off_site_direction",
    }
    return {name: value for name, value in plan.items() if name in names}


def _objectives_save(plan: PersonalisedPlan, objectives: list[dict]) -> None:
    """Keep, change, add and remove the plan's objectives so that they are the list given, in its order."""
    existing = {o.pk: o for o in plan.objectives.all()}
    kept = set()
    for position, data in enumerate(objectives, start=1):
        objective = existing.get(data.get("id")) or PlanObjective(plan=plan)
        for name in OBJECTIVE_FIELDS:
            setattr(objective, name, data[name])
        objective.position = position
        objective.full_clean(exclude=["plan"])
        objective.save()
        kept.add(objective.pk)
    for pk, objective in existing.items():
        if pk not in kept:
            objective.delete()


def _plan_save(
    *, user: User, placement: Placement, plan: PersonalisedPlan, data: dict, objectives: list[dict]
) -> PersonalisedPlan:
    for name, value in _plan_fields(data).items():
        setattr(plan, name, value)
    if not plan.off_site_direction:
        plan.maximum_end_date = None
    plan.placement = placement
    plan.agreed_by = user
    # Two plans for one placement or decision are refused by the database, inside the caller's transaction.
    plan.full_clean(validate_unique=False)
    plan.save()
    _objectives_save(plan, objectives)
    return plan


def _off_site(decision: Decision | None, data: dict) -> bool:
    """An off-site direction is the referral's word when a decision is followed; otherwise the plan's."""
    if decision is not None:
        return decision.referral.off_site_direction
    return bool(data.get("off_site_direction"))


def personalised_plan_record(
    *, user: User, placement: Placement, data: dict, objectives: list[dict]
) -> PersonalisedPlan:
    """Record or change a placement's personalised plan, its objectives and its timeframe (the planned end).

    The LA of the child's area or the commissioner may. A plan needs at least one objective each with a
    measure, a baseline and a date, what the family was told, and the placement's planned end; for an
    off-site direction, the agreed maximum period, which the planned end may not pass.
    """
    if not can_edit_placement(user=user, placement=placement):
        raise PermissionDenied(
            "Only the local authority or the commissioner can agree a placement's personalised plan."
        )
    plan = PersonalisedPlan.objects.filter(placement=placement).select_related("decision__referral").first()
    created = plan is None
    plan = plan or PersonalisedPlan(placement=placement)
    plan.off_site_direction = _off_site(plan.decision, data)
    planned_end = data.get("planned_end_date")
    errors = _plan_errors(
        plan=data,
        objectives=objectives,
        start=placement.start_date,
        planned_end=planned_end,
        off_site=plan.off_site_direction,
    )
    if errors:
        raise ValidationError(errors)
    placement.planned_end_date = planned_end
    placement.full_clean()
    try:
        with transaction.atomic():
            _plan_record(user=user, placement=placement, plan=plan, data=data, objectives=objectives, created=created)
    except IntegrityError as twice:
        # Two first plans for one placement at the same moment: the one-to-one kept the first.
        raise ValidationError(
            "Someone else saved a plan for this placement at the same moment: open it again to see theirs."
        ) from twice
    return plan


def _plan_record(
    *, user: User, placement: Placement, plan: PersonalisedPlan, data: dict, objectives: list[dict], created: bool
) -> None:
    placement.save(update_fields=["planned_end_date"])
    _plan_save(user=user, placement=placement, plan=plan, data=data, objectives=objectives)
    audit_record(
        user=user,
        action=AuditAction.PLAN_RECORDED,
        object_type="placement",
        object_id=str(placement.public_id),
        children=[placement.child.public_id],
        detail={
            "created": created,
            "objectives": len(objectives),
            "planned_end_date": placement.planned_end_date.isoformat(),
        },
    )


def placement_from_decision_refusal(*, decision: Decision) -> str | None:
    """Why no placement may start from this decision, or None when one may."""
    if not outcome_leads_to_placement(decision.outcome):
        return f"A decision of “{decision.get_outcome_display()}” leads to no placement: there is nothing to start."
    if hasattr(decision, "personalised_plan"):  # read with the decision where a page lists many
        return ALREADY_PLACED
    return None


def placement_start_from_decision(
    *, user: User, decision: Decision, placement_data: dict, plan_data: dict, objectives: list[dict]
) -> Placement:
    """Start the placement a panel decided, with its personalised plan, in one step.

    The LA of the child's area may. The provider is the one the decision names and, for outreach, so is
    the type of provision; the LA is the commissioner. Refused when the decision leads to no placement,
    when a placement already follows it, and without objectives or a planned end.
    """
    referral = decision.referral
    child = referral.child
    if not may_run_panels(user=user, area_id=child.area_id):
        raise PermissionDenied("Only the local authority starts a placement that a panel decided.")
    refusal = placement_from_decision_refusal(decision=decision)
    if refusal:
        raise ValidationError(refusal)
    commissioner = next(
        o for o in user.organisations if o.kind == OrganisationKind.LOCAL_AUTHORITY and o.area_id == child.area_id
    )
    fixed = {"provider": decision.provider, "commissioner": commissioner}
    if outcome_provision_type(decision.outcome):
        fixed["provision_type"] = outcome_provision_type(decision.outcome)
    placement_data = {**placement_data, **fixed}
    errors = _plan_errors(
        plan=plan_data,
        objectives=objectives,
        start=placement_data["start_date"],
        planned_end=placement_data.get("planned_end_date"),
        off_site=referral.off_site_direction,
    )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            placement = _placement_and_plan_create(
                user=user, decision=decision, placement_data=placement_data, plan_data=plan_data, objectives=objectives
            )
    except IntegrityError as twice:
        # A second submission got past the check above at the same moment; the one-to-one stopped it.
        raise ValidationError(ALREADY_PLACED) from twice
    return placement


def _placement_and_plan_create(
    *, user: User, decision: Decision, placement_data: dict, plan_data: dict, objectives: list[dict]
) -> Placement:
    referral = decision.referral
    child = referral.child
    placement = placement_create(user=user, child=child, data=placement_data)
    plan = PersonalisedPlan(decision=decision, off_site_direction=referral.off_site_direction)
    _plan_save(user=user, placement=placement, plan=plan, data=plan_data, objectives=objectives)
    audit_record(
        user=user,
        action=AuditAction.PLACEMENT_FROM_DECISION,
        object_type="placement",
        object_id=str(placement.public_id),
        children=[child.public_id],
        detail={
            "decision": str(decision.public_id),
            "outcome": decision.outcome,
            "objectives": len(objectives),
            "planned_end_date": placement.planned_end_date.isoformat(),
        },
    )
    return placement
