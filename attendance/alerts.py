"""The daily safeguarding check: children in AP with no morning mark, or absent with no reason, by the area's time.

`alerts_raise` is run by `manage.py attendance_alerts`, which the system scheduler
calls through the school day; running it twice raises nothing twice.
"""

import logging
from collections import defaultdict
from datetime import datetime, time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from attendance.models import Alert, AttendanceMark, HomeSchoolMark, Session
from attendance.rules import code_groups
from core.accounts import system_actor
from core.audit import audit_record
from core.models import Area, AuditAction, Organisation, OrganisationKind
from placements.models import Placement
from terms.calendar import Calendars

logger = logging.getLogger(__name__)

# Which codes are unexplained absences (N, O) and which of the home school's mean "at the AP setting"
# (B, K, D) are columns of core/reference/attendance_codes.csv, read through code_groups().
# The afternoon's registers are compared once the afternoon is well under way.
AFTERNOON_CHECK = time(15, 30)


def alerts_raise(*, now: datetime, notify: bool = True) -> list[Alert]:
    """Raise today's alerts in every area whose check time has passed; returns only the new ones.

    The people concerned are emailed once the alerts are stored, unless `notify` is off.
    """
    local = timezone.localtime(now)
    raised = []
    for area in Area.objects.all():
        if local.time() < area.attendance_alert_time:
            continue
        with transaction.atomic():
            new = _raise_for_area(area, local.date()) + _registers_disagree(area, local.date(), Session.AM)
            if local.time() >= AFTERNOON_CHECK:
                new += _registers_disagree(area, local.date(), Session.PM)
            if new:
                audit_record(
                    user=system_actor(),
                    action=AuditAction.ALERTS_RAISED,
                    object_type="area",
                    object_id=area.la_code,
                    detail={"day": local.date().isoformat(), "alerts": len(new)},
                    children=[a.child.public_id for a in new],
                )
        raised += new
    if raised and notify:
        transaction.on_commit(lambda: alerts_notify(alerts=raised))
    return raised


def _open_at_their_setting(placements: list[Placement], day) -> list[Placement]:
    """The placements whose setting is open on the day by its own school calendar (read in three queries)."""
    calendars = Calendars.load(start=day, end=day, organisations={p.provider.organisation_id for p in placements})
    return [p for p in placements if calendars.of_organisation(p.provider.organisation_id).is_school_day(day)]


def _raise_for_area(area: Area, day) -> list[Alert]:
    placements = _open_at_their_setting(
        [
            p
            for p in Placement.objects.filter(child__area=area)
            .open_on(day)
            .select_related("child", "provider__organisation")
            if p.is_timetabled(day, Session.AM)
        ],
        day,
    )
    marks = dict(
        AttendanceMark.objects.filter(
            date=day, session=Session.AM, placement__in=[p.pk for p in placements]
        ).values_list("placement_id", "code")
    )
    wanted = []
    for placement in placements:
        code = marks.get(placement.pk)
        if code is None:
            kind, detail = Alert.Kind.NO_MARK, f"{placement.provider.name} has not marked the morning register"
        elif code in code_groups().unexplained:
            kind, detail = (
                Alert.Kind.UNEXPLAINED_ABSENCE,
                f"{placement.provider.name} marked {code}: absent, no reason given",
            )
        else:
            continue
        wanted.append(
            Alert(child=placement.child, placement=placement, kind=kind, date=day, session=Session.AM, detail=detail)
        )
    return _create_new(wanted, day)


def _registers_disagree(area: Area, day, session: Session) -> list[Alert]:
    """Pupils the home school marks as at AP whom no AP setting marks as there, for one session."""
    at_ap = dict(
        HomeSchoolMark.objects.filter(
            child__area=area, date=day, session=session, code__in=code_groups().at_alternative_provision
        ).values_list("child_id", "code")
    )
    if not at_ap:
        return []
    attended = code_groups().attended
    ap_marks = defaultdict(list)
    for child_id, code in AttendanceMark.objects.filter(
        child_id__in=list(at_ap), date=day, session=session
    ).values_list("child_id", "code"):
        ap_marks[child_id].append(code)
    placements = {
        p.child_id: p
        for p in _open_at_their_setting(
            list(
                Placement.objects.filter(child_id__in=list(at_ap))
                .open_on(day)
                .select_related("child", "provider__organisation")
                .order_by("-registration_type")
            ),
            day,
        )
    }
    wanted = []
    for child_id, school_code in at_ap.items():
        codes = ap_marks.get(child_id, [])
        placement = placements.get(child_id)
        if placement is None or any(code in attended for code in codes):
            continue
        found = f"marked {', '.join(codes)}" if codes else "has no mark"
        detail = f"Home school marked {school_code} ({session.label.lower()}); {placement.provider.name} {found}"
        wanted.append(
            Alert(
                child=placement.child,
                placement=placement,
                kind=Alert.Kind.REGISTERS_DISAGREE,
                date=day,
                session=session,
                detail=detail,
            )
        )
    return _create_new(wanted, day)


def _create_new(wanted: list[Alert], day) -> list[Alert]:
    """Store the alerts not already raised; a second run, or two at once, adds nothing."""
    existing = set(
        Alert.objects.filter(date=day, placement__in=[a.placement_id for a in wanted]).values_list(
            "placement_id", "kind", "session"
        )
    )
    new = [a for a in wanted if (a.placement_id, a.kind, a.session) not in existing]
    Alert.objects.bulk_create(new, ignore_conflicts=True)
    # Read back: ignore_conflicts gives no primary keys, and a concurrent run may have won some.
    return list(
        Alert.objects.filter(public_id__in=[a.public_id for a in new]).select_related(
            "child", "placement__provider__organisation"
        )
    )


def alerts_with_corrections(alerts: list[Alert]) -> list[Alert]:
    """Give each alert `correction`: what the registers say now, if a mark since recorded or corrected answers it.

    An alert keeps what the check found when it ran; a setting that marks the register late, or
    corrects a mark, does not close it (someone must still record what happened), but the alert
    says so. Two queries for any number of alerts.
    """
    for alert in alerts:
        alert.correction = ""
    sessions = [a for a in alerts if a.session]
    if not sessions:
        return alerts
    days = {a.date for a in sessions}
    ap_marks = {
        (placement_id, day, session): code
        for placement_id, day, session, code in AttendanceMark.objects.filter(
            placement_id__in={a.placement_id for a in sessions}, date__in=days
        ).values_list("placement_id", "date", "session", "code")
    }
    home_marks = {
        (child_id, day, session): code
        for child_id, day, session, code in HomeSchoolMark.objects.filter(
            child_id__in={a.child_id for a in sessions}, date__in=days
        ).values_list("child_id", "date", "session", "code")
    }
    attended = code_groups().attended
    for alert in sessions:
        code = ap_marks.get((alert.placement_id, alert.date, alert.session))
        if alert.kind == Alert.Kind.NO_MARK and code:
            alert.correction = f"The setting has since marked {code}."
        elif alert.kind == Alert.Kind.UNEXPLAINED_ABSENCE and code and code not in code_groups().unexplained:
            alert.correction = f"The mark was since corrected to {code}."
        elif alert.kind == Alert.Kind.REGISTERS_DISAGREE:
            school_code = home_marks.get((alert.child_id, alert.date, alert.session))
            if code in attended:
                alert.correction = f"The setting's mark was since corrected to {code}: the registers now agree."
            elif school_code not in code_groups().at_alternative_provision:
                now = f"to {school_code}" if school_code else "by removing it"
                alert.correction = f"The home school's mark was since corrected {now}: the registers now agree."
    return alerts


def alert_recipients(alert: Alert) -> set:
    """Who is told: the local authority, the home school, the setting, and the virtual school for a child in care."""
    child = alert.child
    organisations = Q(kind=OrganisationKind.LOCAL_AUTHORITY, area_id=child.area_id) | Q(
        pk=alert.placement.provider.organisation_id
    )
    if child.home_school_id:
        organisations |= Q(pk=child.home_school_id)
    if child.looked_after and child.looked_after_by_id:
        organisations |= Q(kind=OrganisationKind.VIRTUAL_SCHOOL, area_id=child.looked_after_by_id)
    users = get_user_model().objects.filter(
        memberships__organisation__in=Organisation.objects.filter(organisations), is_active=True
    )
    return set(users.exclude(email=""))


def alerts_notify(*, alerts: list[Alert]) -> int:
    """One email to each person with alerts to look at. It names no child: the link leads to the service."""
    per_person = defaultdict(list)
    for alert in alerts:
        for user in alert_recipients(alert):
            per_person[user].append(alert)
    link = settings.SITE_URL + reverse("alerts")
    for user, theirs in per_person.items():
        count = len(theirs)
        try:
            _send(user, count, link)
        except OSError:
            # The alerts are stored and shown in the service; a mail server that is down must not lose them.
            logger.exception("Could not email %s about %s attendance alerts", user.pk, count)
    return len(per_person)


def _send(user, count: int, link: str) -> None:
    send_mail(
        subject=f"AP Oversight: {count} attendance alert{'s' if count != 1 else ''} to look at today",
        message=(
            f"{count} child{'ren' if count != 1 else ''} in alternative provision "
            f"{'have' if count != 1 else 'has'} an attendance alert today: no mark, an unexplained absence, "
            "registers that disagree, or missed tuition.\n\n"
            f"Sign in to see who and to record what happened: {link}\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )
