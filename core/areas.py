"""An area's own settings: each change checked by the access policy and kept, before and after, on the audit log."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.access import is_la_of, may_set_record_access, may_set_review_intervals
from core.audit import audit_record
from core.models import Area, AuditAction, User
from core.signals import review_intervals_changed


def area_settings_save(*, user: User, area: Area, data: dict, action: AuditAction) -> Area:
    """Save some of an area's settings, recording what they were and what they became. The caller checks who may."""
    # Read what is stored: a bound form has already copied its data onto `area`.
    before = {name: str(value) for name, value in Area.objects.filter(pk=area.pk).values(*data).get().items()}
    for name, value in data.items():
        setattr(area, name, value)
    area.full_clean()
    with transaction.atomic():
        area.save(update_fields=list(data))
        audit_record(
            user=user,
            action=action,
            object_type="area",
            object_id=area.la_code,
            detail={"before": before, "after": {name: str(value) for name, value in data.items()}},
        )
    return area


def area_record_access_update(*, user: User, area: Area, data: dict) -> Area:
    """How long a setting keeps sight of a placement after it ends: set by the LA's managers of accounts."""
    if not may_set_record_access(user=user, area_id=area.pk):
        raise PermissionDenied("Only the local authority's managers of accounts set who sees what.")
    return area_settings_save(user=user, area=area, data=data, action=AuditAction.RECORD_ACCESS_CHANGED)


def area_review_intervals_update(*, user: User, area: Area, data: dict) -> Area:
    """When the area's placements are reviewed: the LA of the area. The second review comes after the first."""
    if not may_set_review_intervals(user=user, area_id=area.pk):
        raise PermissionDenied("Only the local authority sets when its area's placements are reviewed.")
    if data["second_review_weeks"] <= data["first_review_weeks"]:
        raise ValidationError(
            {"second_review_weeks": ["The second review must come more school weeks after the start than the first"]}
        )
    with transaction.atomic():
        area = area_settings_save(user=user, area=area, data=data, action=AuditAction.REVIEW_INTERVALS_CHANGED)
        review_intervals_changed.send(sender="core", area_id=area.pk)
    return area


def area_oversight_settings_update(*, user: User, area: Area, data: dict) -> Area:
    """The oversight flags' settings: minimum hours, the full-time reading, the proposed time limits. LA only."""
    if not is_la_of(user, area.pk):
        raise PermissionDenied("Only the local authority sets the oversight flags.")
    return area_settings_save(user=user, area=area, data=data, action=AuditAction.OVERSIGHT_SETTINGS_CHANGED)
