"""Writes to an area's school calendars. The local authority keeps them; each write is audited.

Rules: the terms of one calendar never overlap; every half term or INSET day lies inside
one term of its calendar or of a calendar it is based on; a setting follows one calendar
of its own area.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.access import may_manage_calendars
from core.audit import audit_record
from core.models import AuditAction, Organisation, User
from terms.models import Calendar, Closure, SettingCalendar, Term
from terms.signals import calendars_written

FIELDS = ("name", "starts_on", "ends_on")


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _span(record: Term | Closure) -> str:
    if record.starts_on == record.ends_on:
        return _day(record.starts_on)
    return f"{_day(record.starts_on)} to {_day(record.ends_on)}"


def _values(record: Term | Closure) -> dict:
    return {
        "calendar": record.calendar.name,
        "name": record.name,
        "starts_on": record.starts_on.isoformat(),
        "ends_on": record.ends_on.isoformat(),
    }


def _require_keeper(user: User, calendar: Calendar) -> None:
    if not may_manage_calendars(user=user, area_id=calendar.area_id):
        raise PermissionDenied("Only the local authority keeps the school calendars.")


def _lock_calendar(calendar_id: int) -> None:
    # Writes to one calendar take turns, so two clashing terms cannot both pass the checks below.
    list(Calendar.objects.select_for_update().filter(pk=calendar_id).values_list("pk"))


def _lineage(calendar: Calendar) -> list[int]:
    """The calendar's id and those of every calendar it is based on."""
    ids, current = [], calendar
    while current is not None and current.pk not in ids:
        ids.append(current.pk)
        current = current.parent
    return ids


def _check_term(term: Term) -> None:
    """Terms of one calendar do not overlap; a changed term keeps every closure it held inside it."""
    clash = (
        Term.objects.filter(calendar_id=term.calendar_id, starts_on__lte=term.ends_on, ends_on__gte=term.starts_on)
        .exclude(pk=term.pk)
        .first()
    )
    if clash:
        field = "starts_on" if clash.starts_on <= term.starts_on <= clash.ends_on else "ends_on"
        raise ValidationError(
            {field: f"This term overlaps {clash.name} ({_span(clash)}). Terms cannot overlap: change the dates."}
        )
    if term.pk is None:
        return
    stored = Term.objects.get(pk=term.pk)
    stranded = (
        Closure.objects.filter(
            calendar_id=term.calendar_id, starts_on__gte=stored.starts_on, ends_on__lte=stored.ends_on
        )
        .exclude(starts_on__gte=term.starts_on, ends_on__lte=term.ends_on)
        .first()
    )
    if stranded:
        field = "starts_on" if stranded.starts_on < term.starts_on else "ends_on"
        raise ValidationError(
            {
                field: f"{stranded.name} ({_span(stranded)}) would fall outside the term. "
                "Change or delete it first, or choose dates that include it."
            }
        )


def _check_closure(closure: Closure) -> None:
    """A closure lies inside one term of its calendar or of a calendar it is based on."""
    term = Term.objects.filter(
        calendar_id__in=_lineage(closure.calendar), starts_on__lte=closure.starts_on, ends_on__gte=closure.starts_on
    ).first()
    if term is None:
        raise ValidationError(
            {"starts_on": "The first day must be in a term. Add the term to the calendar first, or check the date."}
        )
    if closure.ends_on > term.ends_on:
        raise ValidationError(
            {
                "ends_on": f"The last day must be in the same term as the first day: {term.name} ends on {_day(term.ends_on)}."
            }
        )


def _create(user: User, record: Term | Closure, check, action: AuditAction) -> Term | Closure:
    """Check and save a new term or closure under the calendar's lock, with its audit event."""
    _require_keeper(user, record.calendar)
    record.full_clean()
    with transaction.atomic():
        _lock_calendar(record.calendar_id)
        check(record)
        record.save()
        calendars_written(record.calendar.area_id)
        audit_record(
            user=user,
            action=action,
            object_type=type(record).__name__.lower(),
            object_id=record.public_id,
            detail=_values(record),
        )
    return record


def _update(user: User, record: Term | Closure, data: dict, check, action: AuditAction) -> Term | Closure:
    """Change a term or closure under the calendar's lock; the audit event keeps its old values."""
    _require_keeper(user, record.calendar)
    with transaction.atomic():
        _lock_calendar(record.calendar_id)
        before = _values(type(record).objects.get(pk=record.pk))
        for name in FIELDS:
            setattr(record, name, data[name])
        record.full_clean()
        check(record)
        record.save()
        calendars_written(record.calendar.area_id)
        audit_record(
            user=user,
            action=action,
            object_type=type(record).__name__.lower(),
            object_id=record.public_id,
            detail={"before": before, "after": _values(record)},
        )
    return record


def term_create(*, user: User, calendar: Calendar, data: dict) -> Term:
    """Add a term to a calendar of the user's area."""
    term = Term(calendar=calendar, **{name: data[name] for name in FIELDS})
    return _create(user, term, _check_term, AuditAction.TERM_CREATED)


def term_update(*, user: User, term: Term, data: dict) -> Term:
    """Change a term's name or dates; it may not come to overlap another, nor leave a closure outside it."""
    return _update(user, term, data, _check_term, AuditAction.TERM_CHANGED)


def term_delete(*, user: User, term: Term) -> None:
    """Delete a term and the half terms and INSET days inside it."""
    _require_keeper(user, term.calendar)
    with transaction.atomic():
        _lock_calendar(term.calendar_id)
        inside = Closure.objects.filter(
            calendar_id=term.calendar_id, starts_on__gte=term.starts_on, ends_on__lte=term.ends_on
        )
        detail = {**_values(term), "closures": [_values(c) for c in inside]}
        inside.delete()
        term.delete()
        calendars_written(term.calendar.area_id)
        audit_record(
            user=user, action=AuditAction.TERM_DELETED, object_type="term", object_id=term.public_id, detail=detail
        )


def closure_create(*, user: User, calendar: Calendar, data: dict) -> Closure:
    """Add a half term or INSET day to a calendar, inside one of its terms or its parent's."""
    closure = Closure(calendar=calendar, **{name: data[name] for name in FIELDS})
    return _create(user, closure, _check_closure, AuditAction.CLOSURE_CREATED)


def closure_update(*, user: User, closure: Closure, data: dict) -> Closure:
    """Change a half term or INSET day; it stays inside a term."""
    return _update(user, closure, data, _check_closure, AuditAction.CLOSURE_CHANGED)


def closure_delete(*, user: User, closure: Closure) -> None:
    """Delete a half term or INSET day: its days become school days again."""
    _require_keeper(user, closure.calendar)
    with transaction.atomic():
        _lock_calendar(closure.calendar_id)
        detail = _values(closure)
        closure.delete()
        calendars_written(closure.calendar.area_id)
        audit_record(
            user=user,
            action=AuditAction.CLOSURE_DELETED,
            object_type="closure",
            object_id=closure.public_id,
            detail=detail,
        )


def calendar_create(*, user: User, area, data: dict) -> Calendar:
    """Add a calendar to the area: standing alone (another LA's term dates) or based on one of the area's calendars."""
    calendar = Calendar(area=area, name=data["name"], parent=data.get("parent"))
    _require_keeper(user, calendar)
    if calendar.parent is not None and calendar.parent.area_id != area.pk:
        raise ValidationError({"parent": "Choose a calendar of this area to base it on."})
    calendar.full_clean()
    with transaction.atomic():
        calendar.save()
        audit_record(
            user=user,
            action=AuditAction.CALENDAR_CREATED,
            object_type="calendar",
            object_id=calendar.public_id,
            detail={"name": calendar.name, "based_on": calendar.parent.name if calendar.parent else ""},
        )
    return calendar


def setting_calendar_set(*, user: User, organisation: Organisation, calendar: Calendar) -> Calendar:
    """Set the calendar a setting follows; choosing the area's default removes its own link.

    A setting follows a calendar of its own area, kept by that area's local authority.
    """
    _require_keeper(user, calendar)
    if organisation.area_id != calendar.area_id:
        raise ValidationError({"calendar": "Choose a calendar of the setting's own area."})
    with transaction.atomic():
        link = SettingCalendar.objects.select_for_update().filter(organisation=organisation).first()
        default = Calendar.objects.get(area_id=calendar.area_id, is_area_default=True)
        before = link.calendar.name if link else default.name
        if calendar.is_area_default:
            if link:
                link.delete()
        elif link:
            link.calendar = calendar
            link.save()
        else:
            SettingCalendar.objects.create(organisation=organisation, calendar=calendar)
        calendars_written(calendar.area_id)
        audit_record(
            user=user,
            action=AuditAction.SETTING_CALENDAR_CHANGED,
            object_type="organisation",
            object_id=organisation.public_id,
            organisation=organisation,
            detail={"setting": organisation.name, "before": before, "after": calendar.name},
        )
    return calendar
