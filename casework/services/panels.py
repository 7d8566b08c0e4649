"""Writes for the local authority's multi-agency panels: their kinds, meetings, members, agendas and decisions.

Each is one transaction with its audit event; an event about a child names the child, so it is on the
child's access log. Only the LA of the panel's area may (core.access.may_run_panels).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.models import (
    AgendaItem,
    Decision,
    Panel,
    PanelKind,
    PanelMember,
    Referral,
    ReferralStatus,
    Sector,
)
from casework.rules import outcome_names_provider
from casework.selectors.panels import NOT_THE_LA, panel_member_organisations, provider_directory
from core.access import may_run_panels
from core.audit import audit_record
from core.codes import code_set, label
from core.models import Area, AuditAction, Organisation, User
from providers.models import Provider


def _may_run(user: User, area_id: int) -> None:
    if not may_run_panels(user=user, area_id=area_id):
        raise PermissionDenied(NOT_THE_LA)


def panel_kind_save(
    *, user: User, area: Area, name: str, description: str = "", kind: PanelKind | None = None
) -> PanelKind:
    """Add a kind of panel to the area (fair access panel, inclusion panel, hot-clinic triage), or rename one."""
    _may_run(user, area.pk)
    if kind is not None and kind.area_id != area.pk:
        raise PermissionDenied(NOT_THE_LA)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the name of the kind of panel"})
    if PanelKind.objects.filter(area=area, name__iexact=name).exclude(pk=getattr(kind, "pk", None)).exists():
        raise ValidationError({"name": f"The area already has a kind of panel called {name}"})
    created = kind is None
    kind = kind or PanelKind(area=area)
    kind.name, kind.description = name, description.strip()
    with transaction.atomic():
        kind.save()
        audit_record(
            user=user,
            action=AuditAction.PANEL_KIND_SAVED,
            object_type="panel_kind",
            object_id=kind.pk,
            detail={"name": name, "created": created},
        )
    return kind


def panel_create(*, user: User, area: Area, kind: PanelKind, meets_on: date) -> Panel:
    """Arrange a panel of one of the area's kinds on a date."""
    _may_run(user, area.pk)
    if kind.area_id != area.pk:
        raise ValidationError({"kind": "Choose one of the area's kinds of panel"})
    with transaction.atomic():
        panel = Panel.objects.create(area=area, kind=kind, meets_on=meets_on, created_by=user)
        audit_record(
            user=user,
            action=AuditAction.PANEL_CREATED,
            object_type="panel",
            object_id=panel.public_id,
            detail={"kind": kind.name, "meets_on": meets_on.isoformat()},
        )
    return panel


def panel_member_add(
    *, user: User, panel: Panel, person_name: str, organisation: Organisation, sector: str, role: str = ""
) -> PanelMember:
    """Record someone who attended the panel, their organisation and the sector they spoke for."""
    _may_run(user, panel.area_id)
    errors = {}
    if not person_name.strip():
        errors["person_name"] = "Enter the name of the person who attended"
    if sector not in Sector.values:
        errors["sector"] = "Choose the sector the person spoke for"
    if not panel_member_organisations(area_id=panel.area_id).filter(pk=organisation.pk).exists():
        errors["organisation"] = "Choose an organisation of the area"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        member = PanelMember.objects.create(
            panel=panel, person_name=person_name.strip(), role=role.strip(), organisation=organisation, sector=sector
        )
        audit_record(
            user=user,
            action=AuditAction.PANEL_MEMBER_RECORDED,
            object_type="panel",
            object_id=panel.public_id,
            detail={"added": member.person_name, "organisation": organisation.name, "sector": sector},
        )
    return member


def panel_member_remove(*, user: User, panel: Panel, member: PanelMember) -> None:
    """Take someone off the panel's attendance, recorded by mistake. Decisions already made keep what was missing."""
    _may_run(user, panel.area_id)
    if member.panel_id != panel.pk:
        raise ValidationError("This person is not recorded as attending this panel.")
    with transaction.atomic():
        member.delete()
        audit_record(
            user=user,
            action=AuditAction.PANEL_MEMBER_RECORDED,
            object_type="panel",
            object_id=panel.public_id,
            detail={"removed": member.person_name, "organisation": member.organisation.name, "sector": member.sector},
        )


def _agenda_refusal(referral: Referral, panel: Panel, today: date) -> str:
    """Why a referral cannot go on this panel's agenda, or "" if it can."""
    name = referral.child.full_name
    if referral.child.area_id != panel.area_id:
        return f"The referral of {name} is for another area's panel."
    if referral.status == ReferralStatus.DRAFT:
        return f"The referral of {name} is a draft: the referrer has not sent it yet."
    if referral.status == ReferralStatus.WITHDRAWN:
        return f"The referral of {name} was withdrawn."
    if referral.status == ReferralStatus.DECIDED or hasattr(referral, "decision"):
        return f"The referral of {name} has been decided already."
    if AgendaItem.objects.filter(panel=panel, referral=referral).exists():
        return f"The referral of {name} is on this panel's agenda already."
    elsewhere = (
        AgendaItem.objects.filter(referral=referral, panel__meets_on__gte=today)
        .exclude(panel=panel)
        .select_related("panel__kind")
        .first()
    )
    if elsewhere:
        return f"The referral of {name} is on the agenda of the {elsewhere.panel}: take it off there first."
    return ""


def agenda_add(*, user: User, panel: Panel, referrals: list[Referral]) -> list[AgendaItem]:
    """Put sent, undecided referrals of the panel's area on its agenda; one that may not go on refuses them all.

    A referral waits on one panel at a time: one on the agenda of a panel still to meet is taken off there first.
    """
    _may_run(user, panel.area_id)
    if not referrals:
        raise ValidationError({"referrals": "Choose at least one referral to put on the agenda"})
    today = timezone.localdate()
    with transaction.atomic():
        locked = list(
            Referral.objects.select_for_update(of=("self",))
            .filter(pk__in=[r.pk for r in referrals])
            .select_related("child", "decision")
            .order_by("pk")
        )
        refusals = [words for words in (_agenda_refusal(r, panel, today) for r in locked) if words]
        if refusals:
            raise ValidationError({"referrals": refusals})
        items = AgendaItem.objects.bulk_create([AgendaItem(panel=panel, referral=r, added_by=user) for r in locked])
        audit_record(
            user=user,
            action=AuditAction.AGENDA_CHANGED,
            object_type="panel",
            object_id=panel.public_id,
            detail={"added": [str(r.public_id) for r in locked]},
            children=[r.child.public_id for r in locked],
        )
    return items


def agenda_remove(*, user: User, panel: Panel, referral: Referral) -> None:
    """Take an undecided referral off a panel's agenda: it goes back to the queue."""
    _may_run(user, panel.area_id)
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().filter(panel=panel, referral=referral).first()
        if item is None:
            raise ValidationError(f"The referral of {referral.child.full_name} is not on this panel's agenda.")
        if Decision.objects.filter(referral=referral, panel=panel).exists():
            raise ValidationError(
                f"The panel has decided the referral of {referral.child.full_name}: the decision stays on its agenda."
            )
        item.delete()
        audit_record(
            user=user,
            action=AuditAction.AGENDA_CHANGED,
            object_type="panel",
            object_id=panel.public_id,
            detail={"removed": [str(referral.public_id)]},
            children=[referral.child.public_id],
        )


def _decision_refusal(referral: Referral, panel: Panel, today: date) -> str:
    name = referral.child.full_name
    if referral.status == ReferralStatus.DRAFT:
        return f"The referral of {name} is a draft: a panel decides only a referral that has been sent."
    if referral.status == ReferralStatus.WITHDRAWN:
        return f"The referral of {name} was withdrawn: there is nothing to decide."
    if referral.status == ReferralStatus.DECIDED or Decision.objects.filter(referral=referral).exists():
        return f"The referral of {name} has been decided already: a decision is recorded once."
    if not AgendaItem.objects.filter(panel=panel, referral=referral).exists():
        return f"The referral of {name} is not on this panel's agenda: put it on the agenda first."
    if panel.meets_on > today:
        return f"The panel meets on {panel.meets_on.day} {panel.meets_on:%B %Y}: record its decisions once it has met."
    return ""


def decision_record(
    *, user: User, panel: Panel, referral: Referral, outcome: str, rationale: str, provider: Provider | None = None
) -> Decision:
    """Record the panel's decision on a referral on its agenda, with its rationale, and close the referral.

    AP placement and outreach name a provider of the area's directory; the other outcomes name none. The
    sectors the panel lacked (no health, no social care) are kept with the decision as they were that day.
    """
    _may_run(user, panel.area_id)
    errors = {}
    if outcome not in code_set("panel_outcome"):
        errors["outcome"] = "Choose what the panel decided"
    elif outcome_names_provider(outcome) and provider is None:
        errors["provider"] = f"Choose the provider: a decision of {label('panel_outcome', outcome).lower()} names one"
    elif not outcome_names_provider(outcome) and provider is not None:
        errors["provider"] = f"A decision of {label('panel_outcome', outcome).lower()} names no provider: choose none"
    in_directory = provider is None or provider_directory(area_id=panel.area_id).filter(pk=provider.pk).exists()
    if not in_directory and "provider" not in errors:
        errors["provider"] = "Choose a provider from the area's directory"
    if not rationale.strip():
        errors["rationale"] = "Enter why the panel made this decision"
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    try:
        with transaction.atomic():
            # Locked, so that two people recording at once cannot both decide it.
            referral = Referral.objects.select_for_update(of=("self",)).select_related("child").get(pk=referral.pk)
            refusal = _decision_refusal(referral, panel, today)
            if refusal:
                raise ValidationError(refusal)
            missing = [s.value for s in panel.sectors_missing()]
            decision = Decision.objects.create(
                referral=referral,
                panel=panel,
                outcome=outcome,
                provider=provider,
                rationale=rationale.strip(),
                sectors_missing=missing,
                decided_by=user,
            )
            referral.status = ReferralStatus.DECIDED
            referral.save(update_fields=["status"])
            audit_record(
                user=user,
                action=AuditAction.DECISION_RECORDED,
                object_type="decision",
                object_id=decision.public_id,
                detail={
                    "referral": str(referral.public_id),
                    "panel": str(panel.public_id),
                    "outcome": outcome,
                    "provider": provider.name if provider else "",
                    "sectors_missing": missing,
                },
                children=[referral.child.public_id],
            )
    except IntegrityError as twice:
        raise ValidationError("This referral has been decided already: a decision is recorded once.") from twice
    return decision
