"""Writes to an area's school calendar. The local authority keeps it; each write is audited.

Rules: the terms of one area never overlap, and every half term or INSET day lies inside
one term of its area.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import audit_record
from core.models import Area, AuditAction, User
from terms.models import Closure, Term
from terms.selectors import calendar_area, can_keep_calendar

FIELDS = ("name", "starts_on", "ends_on")


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _span(record: Term | Closure) -> str:
    if record.starts_on == record.ends_on:
        return _day(record.starts_on)
    return f"{_day(record.starts_on)} to {_day(record.ends_on)}"


def _values(record: Term | Closure) -> dict:
    return {"name": record.name, "starts_on": record.starts_on.isoformat(), "ends_on": record.ends_on.isoformat()}


def _require_keeper(user: User, area: Area | None) -> None:
    if not can_keep_calendar(user=user, area=area):
        raise PermissionDenied("Only the local authority keeps the school calendar.")


def _lock_calendar(area_id: int) -> None:
    # Writes to one area's calendar take turns, so two clashing terms cannot both pass the checks below.
    list(Area.objects.select_for_update().filter(pk=area_id).values_list("pk"))


def _check_term(term: Term) -> None:
    """Terms of one area do not overlap; a changed term keeps every closure it held inside it."""
    clash = (
        Term.objects.filter(area_id=term.area_id, starts_on__lte=term.ends_on, ends_on__gte=term.starts_on)
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
        Closure.objects.filter(area_id=term.area_id, starts_on__gte=stored.starts_on, ends_on__lte=stored.ends_on)
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
    """A closure lies inside one term of its area."""
    term = Term.objects.filter(
        area_id=closure.area_id, starts_on__lte=closure.starts_on, ends_on__gte=closure.starts_on
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
    _require_keeper(user, record.area)
    record.full_clean()
    with transaction.atomic():
        _lock_calendar(record.area_id)
        check(record)
        record.save()
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
    _require_keeper(user, record.area)
    with transaction.atomic():
        _lock_calendar(record.area_id)
        before = _values(type(record).objects.get(pk=record.pk))
        for name in FIELDS:
            setattr(record, name, data[name])
        record.full_clean()
        check(record)
        record.save()
        audit_record(
            user=user,
            action=action,
            object_type=type(record).__name__.lower(),
            object_id=record.public_id,
            detail={"before": before, "after": _values(record)},
        )
    return record


def term_create(*, user: User, data: dict) -> Term:
    """Add a term to the calendar of the user's area."""
    term = Term(area=calendar_area(user=user), **{name: data[name] for name in FIELDS})
    return _create(user, term, _check_term, AuditAction.TERM_CREATED)


def term_update(*, user: User, term: Term, data: dict) -> Term:
    """Change a term's name or dates; it may not come to overlap another, nor leave a closure outside it."""
    return _update(user, term, data, _check_term, AuditAction.TERM_CHANGED)


def term_delete(*, user: User, term: Term) -> None:
    """Delete a term and the half terms and INSET days inside it."""
    _require_keeper(user, term.area)
    with transaction.atomic():
        _lock_calendar(term.area_id)
        inside = Closure.objects.filter(area_id=term.area_id, starts_on__gte=term.starts_on, ends_on__lte=term.ends_on)
        detail = {**_values(term), "closures": [_values(c) for c in inside]}
        inside.delete()
        term.delete()
        audit_record(
            user=user, action=AuditAction.TERM_DELETED, object_type="term", object_id=term.public_id, detail=detail
        )


def closure_create(*, user: User, data: dict) -> Closure:
    """Add a half term or INSET day, inside a term of the user's area."""
    closure = Closure(area=calendar_area(user=user), **{name: data[name] for name in FIELDS})
    return _create(user, closure, _check_closure, AuditAction.CLOSURE_CREATED)


def closure_update(*, user: User, closure: Closure, data: dict) -> Closure:
    """Change a half term or INSET day; it stays inside a term."""
    return _update(user, closure, data, _check_closure, AuditAction.CLOSURE_CHANGED)


def closure_delete(*, user: User, closure: Closure) -> None:
    """Delete a half term or INSET day: its days become school days again."""
    _require_keeper(user, closure.area)
    with transaction.atomic():
        _lock_calendar(closure.area_id)
        detail = _values(closure)
        closure.delete()
        audit_record(
            user=user,
            action=AuditAction.CLOSURE_DELETED,
            object_type="closure",
            object_id=closure.public_id,
            detail=detail,
        )
