"""Registers for the demo borough: marks for every placement over its whole span, ended ones too.

An ended placement has its attendance, so the Annex A lists and the tracking packs
show a percentage for every setting a child attended, not only this year's.

Each child has a steady likelihood of attending, so the borough has children above
90%, persistent absentees and a few severe ones. Part-time children are marked only
for their timetabled sessions. A few settings have not sent yesterday's register, so
the LA's view has something to chase.
"""

import bisect
import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from attendance import writer
from attendance.alerts import alerts_raise
from attendance.models import Alert, AttendanceBatch, AttendanceMark, HomeSchoolMark, Session
from core.models import Area, User
from placements.models import Placement, RegistrationType
from terms.calendar import Calendars, last_school_day

ABSENCE_CODES = ["I", "N", "O", "M", "U", "G", "C2", "E"]
ABSENCE_WEIGHTS = [30, 20, 15, 10, 8, 5, 8, 4]


def marks_build(
    *, rng: random.Random, placements: list[Placement], today: date, recorder: User, start: date | None = None
) -> int:
    """Write marks for school days from `start` up to yesterday and this morning; returns how many.

    Without `start`, from the first day of the earliest placement: every placement is
    marked over its whole span, as far back as the area's term dates go.
    """
    if not placements:
        return 0
    start = start or min(p.start_date for p in placements)
    calendars = Calendars.load(start=start, end=today, organisations={p.provider.organisation_id for p in placements})
    providers = sorted({p.provider_id for p in placements})
    # Each setting is marked on its own school days: an out-of-area setting's half terms, a trust's INSET days.
    days_of = {
        p.provider_id: calendars.of_organisation(p.provider.organisation_id).days(start, today) for p in placements
    }
    # The area's last school day is the one whose register some settings have not yet sent.
    days = calendars.of_area(placements[0].child.area_id).days(start, today)
    # Settings that have not yet sent yesterday's register.
    late = set(rng.sample(providers, k=min(3, len(providers))))
    yesterday = days[-2] if days and days[-1] == today else (days[-1] if days else None)
    batches = {
        provider_id: AttendanceBatch.objects.create(
            provider_id=provider_id,
            source=AttendanceBatch.Source.UPLOAD,
            filename="demo-register.csv",
            created_by=recorder,
            organisation_id=next(p.provider.organisation_id for p in placements if p.provider_id == provider_id),
        )
        for provider_id in providers
    }
    total = 0
    for provider_id in providers:
        rows = []
        for placement in (p for p in placements if p.provider_id == provider_id):
            rows += _placement_marks(
                rng, placement, days_of[provider_id], today, skip=yesterday if provider_id in late else None
            )
        writer.insert_marks(rows, provider_id=provider_id, batch_id=batches[provider_id].pk)
        AttendanceBatch.objects.filter(pk=batches[provider_id].pk).update(new_marks=len(rows))
        total += len(rows)
    return total


def _placement_marks(rng, placement: Placement, days: list[date], today: date, skip: date | None) -> list[tuple]:
    end = min(placement.end_date or today, today)
    likelihood = min(0.99, max(0.2, rng.betavariate(6, 1.6)))
    rows = []
    # The placement's own school days, found by bisection in the sorted list of the borough's.
    for day in days[bisect.bisect_left(days, placement.start_date) : bisect.bisect_right(days, end)]:
        if day == skip:
            continue
        for session in Session:
            if not placement.is_timetabled(day, session):
                continue
            if day == today and session == Session.PM:
                continue
            if rng.random() < likelihood:
                code = "/" if session == Session.AM else "\\"
            else:
                code = rng.choices(ABSENCE_CODES, ABSENCE_WEIGHTS)[0]
            rows.append((placement.pk, placement.child_id, day, session, code))
    return rows


def home_school_marks_build(*, placements: list[Placement], today: date, recorder: User, days: int = 10) -> int:
    """The home schools' own registers for their dual-registered pupils in AP, over the last `days` school days.

    The home school marks D (at the AP setting) for each timetabled session, so the LA sees
    both registers side by side and the daily check has something to compare.
    """
    dual = [
        p
        for p in placements
        if p.registration_type == RegistrationType.DUAL
        and p.child.home_school_id
        and p.start_date < today
        and p.is_open_on(today)
    ]
    if not dual:
        return 0
    start, yesterday = today - timedelta(days=days * 3), today - timedelta(days=1)
    calendars = Calendars.load(start=start, end=yesterday, organisations={p.child.home_school_id for p in dual})
    # Each home school marks on its own school days.
    days_of = {
        school: calendars.of_organisation(school).days(start, yesterday)[-days:]
        for school in {p.child.home_school_id for p in dual}
    }
    marks = {
        (p.child_id, day, session): HomeSchoolMark(
            child_id=p.child_id,
            school_id=p.child.home_school_id,
            date=day,
            session=session,
            code="D",
            recorded_by=recorder,
        )
        for p in dual
        for day in days_of[p.child.home_school_id]
        if day >= p.start_date
        for session in Session
        if p.is_timetabled(day, session)
    }
    HomeSchoolMark.objects.bulk_create(marks.values(), batch_size=1000)
    return len(marks)


def alert_correct_one(*, alerts: list) -> None:
    """A setting corrects one unexplained absence it was alerted to (the child was ill), so an alert says so."""
    alert = next((a for a in alerts if a.kind == Alert.Kind.UNEXPLAINED_ABSENCE), None)
    if alert is not None:
        AttendanceMark.objects.filter(placement=alert.placement, date=alert.date, session=alert.session).update(
            code="I"
        )


def yesterdays_alerts_raise(*, area: Area, today: date) -> list:
    """The last school day's check, run at the end of that day, so the demo has alerts to work through."""
    day = last_school_day(area=area, before=today)
    if day is None:
        return []
    return alerts_raise(now=timezone.make_aware(datetime.combine(day, time(16, 0))), notify=False)
