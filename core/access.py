"""The access policy: the only road to children's data, and every "may this user do this".

Every selector that returns children, or anything about a child, starts from
`children_visible_to` or `placements_visible_to`. A child a user may not see is
answered exactly like one that does not exist, and the refusal is on the child's
access log when the child exists.

Domain models are looked up by name so that `core` never imports a domain app.
"""

import uuid
from datetime import date, timedelta

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from core.audit import audit_record
from core.models import AuditAction, Organisation, OrganisationKind, User
from core.periods import not_ended_by, open_on

NOTHING = Q(pk__in=[])


def _model(name: str):
    return apps.get_model(name)


def _open_involvements(user: User, today: date) -> QuerySet:
    return _model("children.Involvement").objects.filter(open_on(today, start="started_on", end="ended_on"), user=user)


def _provider_placements(organisation: Organisation, since: date) -> QuerySet:
    """A setting's placements that were still open on a day."""
    return _model("placements.Placement").objects.filter(not_ended_by(since), provider__organisation_id=organisation.pk)


def _children_rule(user: User, organisation: Organisation, today: date) -> Q:
    """Which children's records one membership lets a user see."""
    placements = _model("placements.Placement").objects
    kind = organisation.kind
    if kind == OrganisationKind.LOCAL_AUTHORITY:
        return Q(area_id=organisation.area_id)
    if kind == OrganisationKind.SCHOOL:
        return Q(home_school_id=organisation.pk) | Q(
            pk__in=placements.filter(commissioner_id=organisation.pk).values("child_id")
        )
    if kind == OrganisationKind.ACADEMY_TRUST:
        return Q(home_school__trust_id=organisation.pk) | Q(
            pk__in=placements.filter(commissioner_id=organisation.pk).values("child_id")
        )
    if kind == OrganisationKind.AP_PROVIDER:
        # From when a placement is recorded until it ends; after that only the placement itself, for a while.
        return Q(pk__in=_provider_placements(organisation, today).values("child_id"))
    linked = Q(pk__in=_open_involvements(user, today).values("child_id"))
    if kind == OrganisationKind.VIRTUAL_SCHOOL:
        return linked | Q(looked_after=True, looked_after_by_id=organisation.area_id)
    if kind in (OrganisationKind.HEALTH, OrganisationKind.SOCIAL_CARE):
        return linked
    if kind == OrganisationKind.INSPECTORATE:
        return Q(pk__in=_tracked_children(user, today))
    return NOTHING


def inspection_open_rule(today: date, prefix: str = "") -> Q:
    """An inspection is open to its inspectors from its notification to the last day of the visit."""
    return open_on(today, prefix=prefix, start="notified_on", end="visit_ends_on")


def _tracked_children(user: User, today: date) -> QuerySet:
    """The children selected for tracking in the inspections this inspector is on, while they last."""
    return (
        _model("inspection.TrackedChild")
        .objects.filter(inspection_open_rule(today, "inspection__"), inspection__inspectors=user)
        .values("child_id")
    )


def _placements_rule(user: User, organisation: Organisation, today: date) -> Q:
    """Which placements one membership lets a user see."""
    kind = organisation.kind
    if kind == OrganisationKind.LOCAL_AUTHORITY:
        return Q(child__area_id=organisation.area_id)
    if kind == OrganisationKind.SCHOOL:
        return Q(child__home_school_id=organisation.pk) | Q(commissioner_id=organisation.pk)
    if kind == OrganisationKind.ACADEMY_TRUST:
        return Q(child__home_school__trust_id=organisation.pk) | Q(commissioner_id=organisation.pk)
    if kind == OrganisationKind.AP_PROVIDER:
        since = today - timedelta(days=organisation.area.provider_access_days)
        return Q(pk__in=_provider_placements(organisation, since).values("pk"))
    if kind in (
        OrganisationKind.VIRTUAL_SCHOOL,
        OrganisationKind.HEALTH,
        OrganisationKind.SOCIAL_CARE,
        OrganisationKind.INSPECTORATE,
    ):
        return Q(child_id__in=children_visible_to(user=user, today=today).values("pk"))
    return NOTHING


def _rule_for(user: User, rule, today: date | None) -> Q:
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    today = today or date.today()
    combined = NOTHING
    for organisation in user.organisations:
        combined |= rule(user, organisation, today)
    return combined


def children_visible_to(*, user: User, today: date | None = None) -> QuerySet:
    """Every child whose record this user may see."""
    return _model("children.Child").objects.filter(_rule_for(user, _children_rule, today))


def placements_visible_to(*, user: User, today: date | None = None) -> QuerySet:
    """Every placement this user may see."""
    return _model("placements.Placement").objects.filter(_rule_for(user, _placements_rule, today))


def marks_visible_to(*, user: User, today: date | None = None) -> QuerySet:
    """Every attendance mark this user may see: the marks of the placements they may see."""
    visible = placements_visible_to(user=user, today=today).values("pk")
    return _model("attendance.AttendanceMark").objects.filter(placement_id__in=visible)


def attendance_months_visible_to(*, user: User, today: date | None = None) -> QuerySet:
    """The monthly rollup of the marks this user may see (`attendance.AttendanceMonth`): scoped as `marks_visible_to`."""
    visible = placements_visible_to(user=user, today=today).values("pk")
    return _model("attendance.AttendanceMonth").objects.filter(placement_id__in=visible)


def _referrals_rule(user: User, organisation: Organisation, today: date) -> Q:
    """Which referrals one membership lets a user see: its own, drafts too; others only once sent.

    A setting sees a referral only once a panel's decision names it, and loses it with the relationship:
    the area's record-access days after the decision unless a placement of the child there keeps it.
    """
    own = Q(referrer_id=organisation.pk)
    sent = ~Q(status="draft")
    kind = organisation.kind
    if kind == OrganisationKind.LOCAL_AUTHORITY:
        return own | (sent & Q(child__area_id=organisation.area_id))
    if kind == OrganisationKind.SCHOOL:
        return own | (sent & Q(child__home_school_id=organisation.pk))
    if kind == OrganisationKind.ACADEMY_TRUST:
        return own | (sent & Q(child__home_school__trust_id=organisation.pk))
    if kind == OrganisationKind.AP_PROVIDER:
        named = Q(decision__provider__organisation_id=organisation.pk)
        since = today - timedelta(days=organisation.area.provider_access_days)
        placed_here = Q(child_id__in=_provider_placements(organisation, since).values("child_id"))
        return named & (Q(decision__decided_at__date__gte=since) | placed_here)
    if kind == OrganisationKind.INSPECTORATE:
        return sent & Q(child_id__in=_tracked_children(user, today))
    # Health, social care, the virtual school: their own and the sent ones, only of children they still see,
    # so that a referral their organisation made closes to them with the involvement.
    return (own | sent) & Q(child_id__in=children_visible_to(user=user, today=today).values("pk"))


def referrals_visible_to(*, user: User, today: date | None = None) -> QuerySet:
    """Every referral this user may see."""
    return _model("casework.Referral").objects.filter(_rule_for(user, _referrals_rule, today))


def panels_visible_to(*, user: User) -> QuerySet:
    """The multi-agency panels of the areas whose local authority this user works for: their agendas name children."""
    areas = [o.area_id for o in user.organisations if o.kind == OrganisationKind.LOCAL_AUTHORITY]
    if not user.is_authenticated or not user.is_active or not areas:
        return _model("casework.Panel").objects.none()
    return _model("casework.Panel").objects.filter(area_id__in=areas)


def reviews_visible_to(*, user: User, today: date | None = None) -> QuerySet:
    """Every placement review this user may see: the reviews of the placements they may see."""
    visible = placements_visible_to(user=user, today=today).values("pk")
    return _model("casework.Review").objects.filter(placement_id__in=visible)


def visits_visible_to(*, user: User, today: date | None = None) -> QuerySet:
    """Every visit to a child at a setting this user may see: the visits of the placements they may see."""
    visible = placements_visible_to(user=user, today=today).values("pk")
    return _model("casework.PlacementVisit").objects.filter(placement_id__in=visible)


def exits_visible_to(*, user: User, today: date | None = None) -> QuerySet:
    """Every placement's exit (why it ended, where the child went, the transition plan) this user may see: the exits
    of the placements they may see."""
    visible = placements_visible_to(user=user, today=today).values("pk")
    return _model("casework.PlacementExit").objects.filter(placement_id__in=visible)


def reintegrations_visible_to(*, user: User, today: date | None = None) -> QuerySet:
    """Every attempt to return a child to school this user may see: those of the children whose record they see,
    and those at their own school (the school the child returned to keeps how it went)."""
    if not user.is_authenticated or not user.is_active:
        return _model("casework.ReintegrationAttempt").objects.none()
    schools = [o.pk for o in user.organisations if o.kind == OrganisationKind.SCHOOL]
    children = children_visible_to(user=user, today=today).values("pk")
    return _model("casework.ReintegrationAttempt").objects.filter(Q(child_id__in=children) | Q(school_id__in=schools))


def reintegration_get_for_user(*, user: User, public_id):
    """One reintegration attempt, if the user may see it; else 404 alike for missing and forbidden, on the child's
    log."""
    return _one_or_refuse(
        reintegrations_visible_to(user=user).select_related(
            "child__area", "school", "placement__provider__organisation"
        ),
        user=user,
        public_id=public_id,
        action=AuditAction.CHILD_VIEW_REFUSED,
        object_type="reintegration_attempt",
    )


def _destinations_rule(user: User, organisation: Organisation, today: date) -> Q:
    """Whose destination checks after AP one membership lets a user keep, by the placement they left.

    The LA of the child's area, which owes young people's participation its tracking; the setting they left, for
    as long as it still sees that placement (the transition it prepared is its business, for a while); the virtual
    school, for a young person its area looks after. An inspector reads those of the children tracked. No one else:
    a school, health and social care see a former pupil's record, not what the LA tracks after AP.
    """
    kind = organisation.kind
    if kind == OrganisationKind.LOCAL_AUTHORITY:
        return Q(child__area_id=organisation.area_id)
    if kind == OrganisationKind.AP_PROVIDER:
        since = today - timedelta(days=organisation.area.provider_access_days)
        return Q(pk__in=_provider_placements(organisation, since).values("pk"))
    if kind == OrganisationKind.VIRTUAL_SCHOOL:
        return Q(child__looked_after=True, child__looked_after_by_id=organisation.area_id)
    if kind == OrganisationKind.INSPECTORATE:
        return Q(child_id__in=_tracked_children(user, today))
    return NOTHING


def leavings_visible_to(*, user: User, today: date | None = None) -> QuerySet:
    """The placements whose leavers' destination checks this user may see (casework.selectors.destinations says
    which of them are leavings of a young person in Year 11 or later)."""
    return _model("placements.Placement").objects.filter(_rule_for(user, _destinations_rule, today))


def destination_checks_visible_to(*, user: User, today: date | None = None) -> QuerySet:
    """Every destination check this user may see: those of the leavings they may see."""
    visible = leavings_visible_to(user=user, today=today).values("pk")
    return _model("casework.DestinationCheck").objects.filter(placement_id__in=visible)


def leaving_get_for_user(*, user: User, public_id):
    """The placement a young person left, for its destination checks; else 404 alike for missing and forbidden,
    with the refusal on the child's log."""
    return _one_or_refuse(
        leavings_visible_to(user=user).select_related("child__area", "provider__organisation"),
        user=user,
        public_id=public_id,
        action=AuditAction.PLACEMENT_REFUSED,
        object_type="destinations",
    )


def refuse(*, user: User, action: AuditAction, object_type: str, object_id, child_public_id=None, detail=None):
    """Answer "not found", alike for missing and forbidden, and keep the refusal on the child's access log."""
    audit_record(
        user=user,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        children=[child_public_id] if child_public_id else (),
        detail=detail,
    )
    raise Http404("Not found")


def deny(
    *,
    user: User,
    reason: str,
    child=None,
    object_type: str = "",
    object_id="",
    action: AuditAction = AuditAction.NOT_PERMITTED,
    detail: dict | None = None,
) -> None:
    """Answer "not permitted" to someone who may see the record but not do this; the refusal is audited.

    A service refuses by raising PermissionDenied; core.middleware.RefusalMiddleware audits that one.
    """
    audit_record(
        user=user,
        action=action,
        object_type=object_type or ("child" if child is not None else ""),
        object_id=str(object_id or (child.public_id if child is not None else "")),
        detail={"reason": reason, **(detail or {})},
    )
    refusal = PermissionDenied(reason)
    refusal.audited = True
    raise refusal


def child_get_for_user(*, user: User, public_id, queryset: QuerySet | None = None):
    """One child by public id, or 404 alike for missing and forbidden; a refusal is audited."""
    queryset = queryset if queryset is not None else children_visible_to(user=user)
    try:
        return queryset.get(public_id=public_id)
    except (_model("children.Child").DoesNotExist, ValueError):
        refuse(user=user, action=AuditAction.CHILD_VIEW_REFUSED, object_type="child", object_id=public_id)


def child_record_get_for_user(*, user: User, public_id, today: date | None = None) -> tuple:
    """A child's whole record, or the part a setting keeps for a while after its placement ended: (child, limited).

    A limited record is the child's name and the placements the setting may still see: nothing
    recorded about the child since, by anyone else.
    """
    Child = _model("children.Child")
    try:
        return children_visible_to(user=user, today=today).get(public_id=public_id), False
    except (Child.DoesNotExist, ValueError):
        pass
    left = Child.objects.filter(pk__in=placements_visible_to(user=user, today=today).values("child_id"))
    return child_get_for_user(user=user, public_id=public_id, queryset=left), True


def child_object_get_for_user(*, user: User, queryset: QuerySet, public_id, object_type: str, author: str = ""):
    """A record about a child (a document, an involvement, an alert) by public id, if the user may see the child.

    With `author` (the field naming who recorded it), a setting whose placement has ended still
    reads what its own people recorded, for as long as it sees the placement.
    Missing and forbidden are answered alike; a refusal of an existing record is on its child's log.
    """
    visible = Q(child__in=children_visible_to(user=user))
    if author:
        placed = placements_visible_to(user=user).values("child_id")
        visible |= Q(child__in=placed, **{f"{author}__memberships__organisation__in": user.organisations})
    try:
        # A sub-query rather than DISTINCT: the join through memberships may repeat a row.
        return queryset.filter(pk__in=queryset.model.objects.filter(visible).values("pk")).get(public_id=public_id)
    except (queryset.model.DoesNotExist, ValueError):
        refuse(
            user=user,
            action=AuditAction.CHILD_VIEW_REFUSED,
            object_type=object_type,
            object_id=public_id,
            child_public_id=child_of(queryset.model, public_id),
        )


def _one_or_refuse(queryset: QuerySet, *, user: User, public_id, action: AuditAction, object_type: str):
    """The record of `queryset` (what the user may see) with this public id; else 404 alike for missing and
    forbidden, the refusal on the log of the child it is about."""
    try:
        return queryset.get(public_id=public_id)
    except (queryset.model.DoesNotExist, ValueError):
        refuse(
            user=user,
            action=action,
            object_type=object_type,
            object_id=public_id,
            child_public_id=child_of(queryset.model, public_id),
        )


def child_of(model, public_id):
    """The public id of the child a refused record is about, so the refusal lands on that child's log."""
    try:
        uuid.UUID(str(public_id))
    except ValueError:
        return None
    return model.objects.filter(public_id=public_id).values_list("child__public_id", flat=True).first()


def placement_get_for_user(*, user: User, public_id):
    """One placement by public id, or 404 alike for missing and forbidden; a refusal is audited."""
    return _one_or_refuse(
        placements_visible_to(user=user).select_related("child", "provider__organisation"),
        user=user,
        public_id=public_id,
        action=AuditAction.PLACEMENT_REFUSED,
        object_type="placement",
    )


def referral_get_for_user(*, user: User, public_id):
    """One referral by public id, or 404 alike for missing and forbidden; a refusal is on the child's log."""
    return _one_or_refuse(
        referrals_visible_to(user=user).select_related("child", "referrer"),
        user=user,
        public_id=public_id,
        action=AuditAction.CHILD_VIEW_REFUSED,
        object_type="referral",
    )


def review_get_for_user(*, user: User, public_id):
    """One review, if the user sees its placement; else 404 alike for missing and forbidden, on the child's log."""
    Review = _model("casework.Review")
    try:
        return (
            reviews_visible_to(user=user)
            .select_related("placement__child", "placement__provider__organisation", "recorded_by")
            .get(public_id=public_id)
        )
    except (Review.DoesNotExist, ValueError):
        child = Review.objects.filter(public_id=public_id).values_list("placement__child__public_id", flat=True)
        refuse(
            user=user,
            action=AuditAction.PLACEMENT_REFUSED,
            object_type="review",
            object_id=public_id,
            child_public_id=child.first(),
        )


def panel_get_for_user(*, user: User, public_id):
    """One panel by public id, or 404 alike for missing and forbidden; a refusal is audited."""
    try:
        return panels_visible_to(user=user).select_related("kind").get(public_id=public_id)
    except (_model("casework.Panel").DoesNotExist, ValueError):
        refuse(user=user, action=AuditAction.NOT_PERMITTED, object_type="panel", object_id=public_id)


# Who a user is.


def is_la_officer(user: User) -> bool:
    return any(o.kind == OrganisationKind.LOCAL_AUTHORITY for o in user.organisations)


def is_la_of(user: User, area_id: int | None) -> bool:
    """A member of the local authority of this area: who keeps the area's own records."""
    return any(o.kind == OrganisationKind.LOCAL_AUTHORITY and o.area_id == area_id for o in user.organisations)


def _is_the_provider(user: User, provider) -> bool:
    """A member of the setting itself."""
    return any(o.pk == provider.organisation_id for o in user.organisations)


def is_inspector(user: User) -> bool:
    return any(o.kind == OrganisationKind.INSPECTORATE for o in user.organisations)


# What a user may do. Seeing a child is necessary but not enough.


def _is_home_school(organisation: Organisation, child) -> bool:
    """The child's home school, or the academy trust it belongs to."""
    if organisation.kind == OrganisationKind.SCHOOL:
        return organisation.pk == child.home_school_id
    if organisation.kind == OrganisationKind.ACADEMY_TRUST and child.home_school_id:
        return child.home_school.trust_id == organisation.pk
    return False


def _keeps_the_childs_school_record(user: User, child) -> bool:
    """The LA of the child's area, the home school (or its trust), or the virtual school for a child its area looks after."""
    if is_la_of(user, child.area_id):
        return True
    for organisation in user.organisations:
        if _is_home_school(organisation, child):
            return True
        looked_after_here = child.looked_after and child.looked_after_by_id == organisation.area_id
        if organisation.kind == OrganisationKind.VIRTUAL_SCHOOL and looked_after_here:
            return True
    return False


def may_write_to_record(*, user: User, child, today: date | None = None) -> bool:
    """Pen portraits, plans and assessments, and any other note on a child's record.

    The LA of the area, the home school, a setting with an open placement, a practitioner with a
    current involvement, the virtual school for a child its area looks after. Never an inspector,
    nor a setting whose placement has ended.
    """
    if is_inspector(user) or not user.is_active:
        return False
    if _keeps_the_childs_school_record(user, child):
        return True
    today = today or date.today()
    for organisation in user.organisations:
        if (
            organisation.kind == OrganisationKind.AP_PROVIDER
            and _provider_placements(organisation, today).filter(child_id=child.pk).exists()
        ):
            return True
    return _open_involvements(user, today).filter(child_id=child.pk).exists()


def may_see_home_school_marks(*, user: User, child) -> bool:
    """The home school's own register marks for a child in AP, beside the setting's.

    The LA of the child's area, the home school (or its trust) that keeps that register, and the
    virtual school for a child its area looks after. Not the AP setting, practitioners or inspectors:
    the school's register is the school's record, compared with the setting's by the LA.
    """
    if is_inspector(user) or not user.is_active:
        return False
    return _keeps_the_childs_school_record(user, child)


def can_edit_child(*, user: User, child) -> bool:
    """The child's own details: the LA of the child's area, or the child's home school."""
    return is_la_of(user, child.area_id) or any(
        o.kind == OrganisationKind.SCHOOL and o.pk == child.home_school_id for o in user.organisations
    )


def may_settle_recorded_twice(*, user: User, area_id: int | None) -> bool:
    """Children recorded twice under one UPN, combined or told apart: the LA of their area, which sees both."""
    return is_la_of(user, area_id)


def may_keep_provider_directory(user: User) -> bool:
    """Adding and changing the area's providers: the local authority."""
    return is_la_officer(user)


def may_decide_provider_approval(user: User) -> bool:
    """Deciding whether the area approves a provider, and on what terms: the local authority."""
    return is_la_officer(user)


def may_import_establishments(user: User) -> bool:
    """Adding and updating the area's registered settings from a Get Information about Schools extract: the LA."""
    return is_la_officer(user)


def may_run_surveys(user: User, area_id: int | None = None) -> bool:
    """Setting up and changing the area's stakeholder survey: its local authority."""
    return is_la_officer(user) if area_id is None else is_la_of(user, area_id)


def may_keep_inspections(user: User, area_id: int | None = None) -> bool:
    """Recording an inspection, its evidence library, visit record and tracked children: the area's LA."""
    return is_la_officer(user) if area_id is None else is_la_of(user, area_id)


def may_see_inspections(user: User) -> bool:
    """The list of inspections: the local authority's, and an inspector's own (inspections_for says which)."""
    return is_la_officer(user) or is_inspector(user)


def may_read_access_log(*, user: User, child) -> bool:
    """Who looked at a child's record, and what was refused: the local authority of the child's area."""
    return is_la_of(user, child.area_id)


def may_export_returns(user: User) -> bool:
    """Person-level inspection returns (Annex A, look-ups, tracking): an LA member whose membership allows them."""
    return user.memberships.filter(
        organisation__kind=OrganisationKind.LOCAL_AUTHORITY, may_export_returns=True
    ).exists()


def is_inspector_of(user: User, inspection, today: date) -> bool:
    """An inspector named on this inspection, while it lasts."""
    return inspection.is_open_on(today) and inspection.inspectors.filter(pk=user.pk).exists()


def may_import_lists(user: User) -> bool:
    """Lists of children and of placements: the local authority, for its area; a school, for its own pupils."""
    organisation = user.primary_organisation
    return is_la_officer(user) or (organisation is not None and organisation.kind == OrganisationKind.SCHOOL)


def may_add_child(user: User) -> bool:
    """A new child's record: the local authority, or a school adding its own pupil."""
    return any(o.kind in (OrganisationKind.LOCAL_AUTHORITY, OrganisationKind.SCHOOL) for o in user.organisations)


def can_record_exclusion(*, user: User, child, school: Organisation | None = None) -> bool:
    """The LA of the child's area; or a school that can see the child, naming itself as the school that excluded."""
    if is_la_of(user, child.area_id):
        return True
    own = {o.pk for o in user.organisations if o.kind == OrganisationKind.SCHOOL}
    if not own or (school is not None and school.pk not in own):
        return False
    return children_visible_to(user=user).filter(pk=child.pk).exists()


def can_place_child(*, user: User, child) -> bool:
    """Who may record a new placement for a child: the same people who may edit the child."""
    return can_edit_child(user=user, child=child)


def may_record_part_time_timetable(*, user: User, child) -> bool:
    """A pupil's part-time timetable: set by the home school that keeps the pupil's register, and told to the LA;
    the LA of the child's area may record one it is told of. The same people who may edit the child."""
    return can_edit_child(user=user, child=child)


def can_edit_placement(*, user: User, placement) -> bool:
    """The LA of the child's area, or the organisation that commissioned the placement."""
    return is_la_of(user, placement.child.area_id) or any(o.pk == placement.commissioner_id for o in user.organisations)


def may_record_review(*, user: User, placement) -> bool:
    """The LA of the child's area, the commissioner, or the setting itself: commissioner and provider review together."""
    if can_edit_placement(user=user, placement=placement):
        return True
    return _is_the_provider(user, placement.provider)


def may_record_visit(*, user: User, placement) -> bool:
    """A visit to the child at the setting: the LA of the child's area or the commissioner, who oversee it."""
    return can_edit_placement(user=user, placement=placement)


def may_record_exit(*, user: User, placement) -> bool:
    """Ending a placement, with why, where the child went and the transition plan: the LA of the child's area or
    the commissioner, who oversee it (as for extending it)."""
    return can_edit_placement(user=user, placement=placement)


def may_add_reintegration_attempt(*, user: User, child) -> bool:
    """Recording a child's return to school by hand: the LA of the child's area or the child's home school."""
    return can_edit_child(user=user, child=child)


def may_record_reintegration_outcome(*, user: User, attempt) -> bool:
    """How a return to school went at 6 and 12 weeks: the LA of the child's area, the school the child returned to,
    or the commissioner of the placement the child came from."""
    if is_la_of(user, attempt.child.area_id):
        return True
    mine = {o.pk for o in user.organisations}
    return attempt.school_id in mine or bool(attempt.placement_id and attempt.placement.commissioner_id in mine)


def may_keep_destination_checks(*, user: User, placement, today: date | None = None) -> bool:
    """Recording a destination check of a young person who left this placement, and reading the list of checks
    due: whoever `_destinations_rule` lets see its checks (the LA, the setting they left while it still sees the
    placement, the virtual school for a child in care), except an inspector, who writes nothing."""
    if is_inspector(user) or not user.is_active:
        return False
    return leavings_visible_to(user=user, today=today).filter(pk=placement.pk).exists()


def may_set_review_intervals(*, user: User, area_id: int | None) -> bool:
    """When the area's placements are reviewed (school weeks to the first reviews, half terms between): its LA."""
    return is_la_of(user, area_id)


def may_refer(*, user: User, child) -> bool:
    """Referring a child to the area's panel: the LA of the child's area, the child's home school (or its trust),
    and health, social care or the virtual school while they are involved with the child. A school refers only
    its own pupils, not a child it sees because it commissioned a placement."""
    if is_inspector(user) or not user.is_active:
        return False
    if _keeps_the_childs_school_record(user, child):
        return True
    practitioner = {OrganisationKind.HEALTH, OrganisationKind.SOCIAL_CARE, OrganisationKind.VIRTUAL_SCHOOL}
    if not any(o.kind in practitioner for o in user.organisations):
        return False
    return _open_involvements(user, date.today()).filter(child_id=child.pk).exists()


# The kinds of organisation that refer children to the area's panels (may_refer says which children).
REFERRERS = frozenset(
    {
        OrganisationKind.LOCAL_AUTHORITY,
        OrganisationKind.SCHOOL,
        OrganisationKind.ACADEMY_TRUST,
        OrganisationKind.HEALTH,
        OrganisationKind.SOCIAL_CARE,
        OrganisationKind.VIRTUAL_SCHOOL,
    }
)


def may_refer_any_child(user: User) -> bool:
    """Whether this user refers children at all: not an AP setting, which is named by a decision, nor an inspector."""
    return user.is_active and not is_inspector(user) and any(o.kind in REFERRERS for o in user.organisations)


def may_change_referral(*, user: User, referral) -> bool:
    """A draft referral is written, changed and sent by the organisation that refers."""
    return user.is_active and any(o.pk == referral.referrer_id for o in user.organisations)


def may_withdraw_referral(*, user: User, referral) -> bool:
    """A referral not yet decided may be withdrawn by the organisation that referred or the LA of the child's area."""
    return may_change_referral(user=user, referral=referral) or is_la_of(user, referral.child.area_id)


# The sector a practitioner's organisation speaks for at a panel.
CONTRIBUTING_SECTORS = {
    OrganisationKind.HEALTH: "health",
    OrganisationKind.SOCIAL_CARE: "social_care",
    OrganisationKind.VIRTUAL_SCHOOL: "education",
}


def contributing_organisation(*, user: User, referral) -> Organisation | None:
    """The organisation through which this user may add what they know to a referral, or None.

    Health and social care while they are involved with the child (an open involvement), and the virtual
    school for a child its area looks after. Never the referrer's own organisation: it wrote the referral.
    """
    if is_inspector(user) or not user.is_active:
        return None
    child = referral.child
    involved = None
    for organisation in user.organisations:
        if organisation.kind not in CONTRIBUTING_SECTORS or organisation.pk == referral.referrer_id:
            continue
        looked_after_here = child.looked_after and child.looked_after_by_id == organisation.area_id
        if organisation.kind == OrganisationKind.VIRTUAL_SCHOOL and looked_after_here:
            return organisation
        if involved is None:
            involved = set(
                _open_involvements(user, date.today())
                .filter(child_id=child.pk)
                .values_list("organisation_id", flat=True)
            )
        if organisation.pk in involved:
            return organisation
    return None


def may_contribute_to_referral(*, user: User, referral) -> bool:
    """Health, social care and the virtual school add their view to a referral of a child they are involved with."""
    return contributing_organisation(user=user, referral=referral) is not None


def may_run_panels(*, user: User, area_id: int | None) -> bool:
    """Panels, their agendas, fast-tracking and decisions: the local authority of the area."""
    return is_la_of(user, area_id)


def can_record_attendance(*, user: User, provider) -> bool:
    """Only the setting itself records its register."""
    return _is_the_provider(user, provider)


def may_manage_calendars(*, user: User, area_id: int | None) -> bool:
    """An area's school calendars, and which one each setting follows, are kept by its local authority."""
    return is_la_of(user, area_id)


def may_view_calendar(*, user: User, calendar) -> bool:
    """The local authority reads all of its area's calendars; anyone else of the area reads the one their
    organisation follows (its own, else the area's default) and those it is based on."""
    if is_la_of(user, calendar.area_id):
        return True
    Calendar = _model("terms.Calendar")
    followed = set()
    for organisation in user.organisations:
        if organisation.area_id != calendar.area_id or organisation.kind == OrganisationKind.INSPECTORATE:
            continue
        link = _model("terms.SettingCalendar").objects.filter(organisation_id=organisation.pk).first()
        current = (
            link.calendar
            if link
            else Calendar.objects.filter(area_id=organisation.area_id, is_area_default=True).first()
        )
        while current is not None and current.pk not in followed:
            followed.add(current.pk)
            current = current.parent
    return calendar.pk in followed


def commissioners_for(*, user: User) -> QuerySet:
    """The organisations a user may name as a placement's commissioner."""
    if is_la_officer(user):
        areas = [o.area_id for o in user.organisations]
        return Organisation.objects.filter(area_id__in=areas).exclude(
            kind__in=[OrganisationKind.AP_PROVIDER, OrganisationKind.INSPECTORATE]
        )
    return Organisation.objects.filter(pk__in=[o.pk for o in user.organisations])


# Inspectors read their inspection's return and tracking packs, under pseudonyms, and write nothing.
# Every other page is closed to them, so that a page added later is closed until it is listed here.
INSPECTOR_PAGES = frozenset(
    {
        "inspection_list",
        "inspection_detail",
        "annex_a_download",
        "tracking",
        "tracking_pack",
        "tracking_pack_pdf",
        "survey_list",
        "survey_detail",
        "survey_results_download",
    }
)


def inspector_may_open(*, url_name: str | None, method: str) -> bool:
    """An inspector reads the pages of their inspection; no form of any kind is theirs to send."""
    return method in ("GET", "HEAD") and url_name in INSPECTOR_PAGES


# People's accounts.


def managed_organisations(*, user: User) -> QuerySet:
    """The organisations whose people this person may add and change: the whole area for the LA, else their own."""
    rule = NOTHING
    for membership in user.memberships.filter(may_manage_accounts=True).select_related("organisation"):
        organisation = membership.organisation
        if organisation.kind == OrganisationKind.LOCAL_AUTHORITY:
            rule |= Q(area_id=organisation.area_id)
        else:
            rule |= Q(pk=organisation.pk)
    return Organisation.objects.filter(rule).order_by("name")


def may_manage_accounts(user: User) -> bool:
    return user.memberships.filter(may_manage_accounts=True).exists()


def may_set_record_access(*, user: User, area_id: int | None) -> bool:
    """How long settings keep sight of a placement after it ends: the area's LA, a manager of its accounts."""
    return user.memberships.filter(
        may_manage_accounts=True,
        organisation__kind=OrganisationKind.LOCAL_AUTHORITY,
        organisation__area_id=area_id,
        user__is_active=True,
    ).exists()


def may_manage_person(*, user: User, person: User) -> bool:
    """Stop, restart or reset the app of someone else: only a manager of every organisation they belong to.

    A person who also works for an organisation with more rights is out of reach of a smaller one's manager.
    """
    if person.pk == user.pk:
        return False
    managed = set(managed_organisations(user=user).values_list("pk", flat=True))
    return set(person.memberships.values_list("organisation_id", flat=True)) <= managed


def may_see_sufficiency(user: User) -> bool:
    """The area's demand for AP against its places: the local authority's to plan (its sufficiency duty)."""
    return is_la_officer(user)


# Providers' safeguarding and compliance checks (issue 13, item 3). Not children's data: the area's record of a
# setting. Inspectors read only their inspection's pages (INSPECTOR_PAGES), and providers are not among them.

# Who commissions AP, and so may ask for a provider's written confirmation of its checks.
CONFIRMATION_COMMISSIONERS = (
    OrganisationKind.LOCAL_AUTHORITY,
    OrganisationKind.SCHOOL,
    OrganisationKind.ACADEMY_TRUST,
)
CHECK_READERS = frozenset(
    {
        OrganisationKind.LOCAL_AUTHORITY,
        OrganisationKind.SCHOOL,
        OrganisationKind.ACADEMY_TRUST,
        OrganisationKind.VIRTUAL_SCHOOL,
        OrganisationKind.HEALTH,
        OrganisationKind.SOCIAL_CARE,
    }
)


def _provider_area_id(provider) -> int:
    return provider.organisation.area_id


def may_see_provider_checks(*, user: User, provider) -> bool:
    """A provider's checks and what was seen: the provider itself, and the LA, schools, trusts and the other
    commissioners of its area. Not another provider, nor an inspector."""
    if not user.is_active or is_inspector(user):
        return False
    return _is_the_provider(user, provider) or any(
        o.kind in CHECK_READERS and o.area_id == _provider_area_id(provider) for o in user.organisations
    )


def may_record_provider_check(*, user: User, provider) -> bool:
    """Recording a check of a provider: the LA of its area, or the provider keeping its own record up to date."""
    if not user.is_active or is_inspector(user):
        return False
    return is_la_of(user, _provider_area_id(provider)) or _is_the_provider(user, provider)


def may_open_check_evidence(*, user: User, provider) -> bool:
    """The evidence files (certificates, the single central record's pages may name staff): the LA of the area
    and the provider. Commissioners read what was seen, as the LA or the provider described it."""
    return may_record_provider_check(user=user, provider=provider)


def may_see_checks_expiring(user: User) -> bool:
    """The area's list of expired and expiring checks across its providers: the local authority."""
    return user.is_active and is_la_officer(user)


def may_set_check_expiry_days(*, user: User, area_id: int | None) -> bool:
    """How many days ahead a check is listed as expiring: the area's LA."""
    return user.is_active and is_la_of(user, area_id)


def check_confirmation_commissioners(*, user: User, provider) -> QuerySet:
    """The commissioners this user may produce a provider's written confirmation of checks for: every LA, school
    and trust of the area for the LA and for the provider itself (it confirms to each commissioner); a school or
    trust, for itself."""
    if not user.is_active or is_inspector(user):
        return Organisation.objects.none()
    area_id = _provider_area_id(provider)
    of_area = Organisation.objects.filter(area_id=area_id, kind__in=CONFIRMATION_COMMISSIONERS)
    if is_la_of(user, area_id) or _is_the_provider(user, provider):
        return of_area.order_by("kind", "name")
    return of_area.filter(pk__in=[o.pk for o in user.organisations]).order_by("name")


def may_produce_check_confirmation(*, user: User, provider) -> bool:
    """A written confirmation of a provider's checks, for a commissioner: see check_confirmation_commissioners."""
    return check_confirmation_commissioners(user=user, provider=provider).exists()


# Quality assurance of providers (issue 13, item 4). A visit is about a setting, not a child: its record is shared
# by the area's commissioners so that each does not repeat the LA's.

COMMISSIONING_SCHOOLS = (OrganisationKind.SCHOOL, OrganisationKind.ACADEMY_TRUST)
# The practitioners who add their sector's strand to a visit, and the strand each writes.
QA_STRAND_SECTORS = {OrganisationKind.HEALTH: "health", OrganisationKind.SOCIAL_CARE: "social_care"}


def _placing_with(organisation: Organisation, today: date) -> QuerySet:
    """The providers with which a school (or trust) has a placement open today that it commissioned."""
    return (
        _model("placements.Placement")
        .objects.filter(open_on(today), commissioner_id=organisation.pk)
        .values("provider_id")
    )


def _qa_visits_rule(user: User, organisation: Organisation, today: date) -> Q:
    """Which quality-assurance visits one membership lets a user read.

    The LA, health, social care and the virtual school: every visit to the area's providers. A school or trust:
    its own visits, and the LA's visits to the providers it places children with today (the shared record). A
    provider: the visits to itself. An inspector: none (the directory's pages are not theirs).
    """
    kind = organisation.kind
    in_area = Q(provider__organisation__area_id=organisation.area_id)
    if kind in (
        OrganisationKind.LOCAL_AUTHORITY,
        OrganisationKind.HEALTH,
        OrganisationKind.SOCIAL_CARE,
        OrganisationKind.VIRTUAL_SCHOOL,
    ):
        return in_area
    if kind in COMMISSIONING_SCHOOLS:
        the_las = Q(organisation__kind=OrganisationKind.LOCAL_AUTHORITY, organisation__area_id=organisation.area_id)
        return Q(organisation_id=organisation.pk) | (the_las & Q(provider_id__in=_placing_with(organisation, today)))
    if kind == OrganisationKind.AP_PROVIDER:
        return Q(provider__organisation_id=organisation.pk)
    return NOTHING


def qa_visits_visible_to(*, user: User, today: date | None = None) -> QuerySet:
    """Every quality-assurance visit this user may read."""
    return _model("providers.QAVisit").objects.filter(_rule_for(user, _qa_visits_rule, today))


def qa_visit_get_for_user(*, user: User, public_id, queryset: QuerySet | None = None):
    """One quality-assurance visit the user may read, or 404 alike for missing and forbidden; a refusal is audited."""
    queryset = queryset if queryset is not None else qa_visits_visible_to(user=user)
    try:
        return queryset.get(public_id=public_id)
    except (queryset.model.DoesNotExist, ValueError):
        refuse(user=user, action=AuditAction.NOT_PERMITTED, object_type="qa_visit", object_id=public_id)


def may_keep_qa_framework(user: User) -> bool:
    """The area's quality-assurance framework, its drafts, publishing and the interval between visits: the LA."""
    return is_la_officer(user) and user.is_active


def may_oversee_qa(user: User) -> bool:
    """The lists of providers whose visit is overdue and of actions past their date: the LA, which oversees AP."""
    return is_la_officer(user) and user.is_active


def qa_visiting_organisation(*, user: User, provider, today: date | None = None) -> Organisation | None:
    """The organisation for which this user records a quality-assurance visit to this provider, or None.

    The LA of the provider's area; a school or trust with a placement there open today that it commissioned, for
    its own visit. Never the provider, a practitioner (who adds a strand to a visit) or an inspector.
    """
    if is_inspector(user) or not user.is_active:
        return None
    today = today or date.today()
    for organisation in user.organisations:
        if (
            organisation.kind == OrganisationKind.LOCAL_AUTHORITY
            and organisation.area_id == provider.organisation.area_id
        ):
            return organisation
    for organisation in user.organisations:
        if (
            organisation.kind in COMMISSIONING_SCHOOLS
            and _placing_with(organisation, today).filter(provider_id=provider.pk).exists()
        ):
            return organisation
    return None


def may_record_qa_visit(*, user: User, provider, today: date | None = None) -> bool:
    """Recording a quality-assurance visit to a provider: see qa_visiting_organisation."""
    return qa_visiting_organisation(user=user, provider=provider, today=today) is not None


def may_change_qa_visit(*, user: User, visit) -> bool:
    """Adding actions to a visit: the organisation whose visit it is. A school reads the LA's and cannot change it."""
    if is_inspector(user) or not user.is_active:
        return False
    return any(o.pk == visit.organisation_id for o in user.organisations)


def qa_strand_organisation(*, user: User, visit) -> Organisation | None:
    """The health or social care organisation of the provider's area through which this user adds their sector's
    strand to a visit (a designated clinical officer, a social worker), or None."""
    if is_inspector(user) or not user.is_active:
        return None
    for organisation in user.organisations:
        if organisation.kind in QA_STRAND_SECTORS and organisation.area_id == visit.provider.organisation.area_id:
            return organisation
    return None


def may_add_qa_strand(*, user: User, visit) -> bool:
    """Health's or social care's strand of a visit: see qa_strand_organisation."""
    return qa_strand_organisation(user=user, visit=visit) is not None


def may_mark_qa_action_done(*, user: User, action) -> bool:
    """Saying a visit's action is done: the organisation whose visit it is, or the provider itself, which carries
    most actions out (who said so and when is kept, and shows to everyone who reads the visit)."""
    if may_change_qa_visit(user=user, visit=action.visit):
        return True
    if is_inspector(user) or not user.is_active:
        return False
    return _is_the_provider(user, action.visit.provider)
