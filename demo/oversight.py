"""What the oversight flags need that the rest of the borough does not make: a child in care at an unregistered
setting for more than 18 hours a week, which the registration test flags (`insight.oversight.registration_risk`).

The other flags have children behind them from the placements, plans, exclusions and timetables already built.
A random generator of its own, seeded from the borough's seed, so that adding this changes nothing else.
"""

import random
import uuid
from datetime import timedelta
from decimal import Decimal

from children.models import age_on
from demo.context import Borough
from placements.models import AttendancePattern, MainRoll, Placement, ProvisionType, RegistrationType
from placements.rules import derive
from providers.models import Registration

# An unregistered independent AP the demo's looked-after child attends four days a week.
SETTING = "Second Chance Boxing Academy"
HOURS = Decimal(20)
SESSIONS = "1111111100"
REASON = "apc_mental_health"


def registration_risk_placements(b: Borough, placements: list[Placement]) -> list[Placement]:
    """One placement the LA arranges for a looked-after child of 11 to 15 not in AP: 20 hours at an unregistered setting."""
    rng = random.Random(f"{b.seed}-oversight")
    setting = next(i.provider for i in b.providers if i.provider.organisation.name == SETTING)
    assert setting.registration == Registration.INDEPENDENT_UNREGISTERED
    busy = {p.child.pk for p in placements if p.end_date is None or p.end_date >= b.today - timedelta(days=60)}
    candidates = sorted(
        (
            p.child
            for p in placements
            if p.child.looked_after
            and p.child.home_school_id
            and p.child.pk not in busy
            and 11 <= age_on(p.child.date_of_birth, b.today) <= 15
        ),
        key=lambda c: c.upn,
    )
    if not candidates:
        return []
    child = candidates[0]
    start = b.today - timedelta(weeks=3)
    placement = Placement(
        public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
        child=child,
        provider=setting,
        provision_type=ProvisionType.INDEPENDENT_AP,
        commissioner=b.la,
        reason=REASON,
        start_date=start,
        planned_end_date=start + timedelta(weeks=12),
        review_date=start + timedelta(weeks=6),
        attendance_pattern=AttendancePattern.PART_TIME,
        hours_per_week=HOURS,
        timetable=SESSIONS,
        registration_type=RegistrationType.DUAL,
        main_roll=MainRoll.HOME_SCHOOL,
        journey_minutes=rng.randint(15, 35),
        created_by=b.users["la-officer"],
    )
    derive(placement)
    return [placement]
