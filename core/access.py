"""The access policy: the only road to children's data.

Every selector that returns children, or anything about a child, starts from
`children_visible_to` or `placements_visible_to`. A child a user may not see is
answered exactly like one that does not exist.

Domain models are looked up by name so that `core` never imports a domain app.
"""

from datetime import date

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import Http404

from core.audit import audit_record
from core.models import AuditAction, Organisation, OrganisationKind, User

NOTHING = Q(pk__in=[])


def _model(name: str):
    return apps.get_model(name)


def _open_involvements(user: User, today: date) -> QuerySet:
    return _model("children.Involvement").objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today), user=user, started_on__lte=today
    )


def _children_rule(user: User, organisation: Organisation, today: date) -> Q:
    """Which children one membership lets a user see."""
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
        return Q(pk__in=placements.filter(provider__organisation_id=organisation.pk).values("child_id"))
    linked = Q(pk__in=_open_involvements(user, today).values("child_id"))
    if kind == OrganisationKind.VIRTUAL_SCHOOL:
        return linked | Q(looked_after=True, looked_after_by_id=organisation.area_id)
    if kind in (OrganisationKind.HEALTH, OrganisationKind.SOCIAL_CARE):
        return linked
    if kind == OrganisationKind.INSPECTORATE:
        return Q(pk__in=_tracked_children(user, today))
    return NOTHING


def _tracked_children(user: User, today: date) -> QuerySet:
    """The children selected for tracking in the inspections this inspector is on, while they last."""
    return (
        _model("inspection.TrackedChild")
        .objects.filter(
            inspection__inspectors=user, inspection__notified_on__lte=today, inspection__visit_ends_on__gte=today
        )
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
        return Q(provider__organisation_id=organisation.pk)
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
    """Every child this user may see."""
    return _model("children.Child").objects.filter(_rule_for(user, _children_rule, today))


def placements_visible_to(*, user: User, today: date | None = None) -> QuerySet:
    """Every placement this user may see."""
    return _model("placements.Placement").objects.filter(_rule_for(user, _placements_rule, today))


def marks_visible_to(*, user: User, today: date | None = None) -> QuerySet:
    """Every attendance mark this user may see: the marks of the placements they may see."""
    visible = placements_visible_to(user=user, today=today).values("pk")
    return _model("attendance.AttendanceMark").objects.filter(placement_id__in=visible)


def child_get_for_user(*, user: User, public_id, queryset: QuerySet | None = None):
    """One child by public id, or 404 alike for missing and forbidden; a refusal is audited."""
    queryset = queryset if queryset is not None else children_visible_to(user=user)
    try:
        return queryset.get(public_id=public_id)
    except (_model("children.Child").DoesNotExist, ValueError) as missing:
        audit_record(user=user, action=AuditAction.CHILD_VIEW_REFUSED, object_type="child", object_id=str(public_id))
        raise Http404("No child found.") from missing


def placement_get_for_user(*, user: User, public_id):
    """One placement by public id, or 404 alike for missing and forbidden; a refusal is audited."""
    try:
        return (
            placements_visible_to(user=user).select_related("child", "provider__organisation").get(public_id=public_id)
        )
    except (_model("placements.Placement").DoesNotExist, ValueError) as missing:
        audit_record(user=user, action=AuditAction.PLACEMENT_REFUSED, object_type="placement", object_id=str(public_id))
        raise Http404("No placement found.") from missing


# What a user may change. Seeing a child is necessary but not enough.


def is_la_officer(user: User) -> bool:
    return any(o.kind == OrganisationKind.LOCAL_AUTHORITY for o in user.organisations)


def is_la_of(user: User, area_id: int | None) -> bool:
    """A member of the local authority of this area: who keeps the area's own records."""
    return any(o.kind == OrganisationKind.LOCAL_AUTHORITY and o.area_id == area_id for o in user.organisations)


def is_inspector(user: User) -> bool:
    return any(o.kind == OrganisationKind.INSPECTORATE for o in user.organisations)


def can_edit_child(*, user: User, child) -> bool:
    """The LA of the child's area, or the child's home school."""
    return is_la_of(user, child.area_id) or any(
        o.kind == OrganisationKind.SCHOOL and o.pk == child.home_school_id for o in user.organisations
    )


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


def can_edit_placement(*, user: User, placement) -> bool:
    """The LA of the child's area, or the organisation that commissioned the placement."""
    return is_la_of(user, placement.child.area_id) or any(o.pk == placement.commissioner_id for o in user.organisations)


def can_record_attendance(*, user: User, provider) -> bool:
    """Only the setting itself records its register."""
    return any(o.pk == provider.organisation_id for o in user.organisations)


def commissioners_for(*, user: User) -> QuerySet:
    """The organisations a user may name as a placement's commissioner."""
    if is_la_officer(user):
        areas = [o.area_id for o in user.organisations]
        return Organisation.objects.filter(area_id__in=areas).exclude(
            kind__in=[OrganisationKind.AP_PROVIDER, OrganisationKind.INSPECTORATE]
        )
    return Organisation.objects.filter(pk__in=[o.pk for o in user.organisations])
