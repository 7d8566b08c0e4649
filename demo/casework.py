"""Suspensions and permanent exclusions for the demo borough.

A random generator of its own, seeded from the borough's seed, so that adding these
changes nothing else the borough holds. Bulk-inserted, like the rest of the borough.
"""

import bisect
import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from children.models import LUNCHTIME_SUSPENSION, PERMANENT_EXCLUSION, Child, Exclusion
from core.models import Organisation, User
from terms.calendar import SchoolCalendar

SUSPENSION = "FIXD"
# Reasons in roughly the national proportions: persistent disruption far ahead, then abuse and assault.
SUSPENSION_REASONS = {
    "DB": 45, "VA": 16, "PP": 9, "PA": 6, "VP": 6, "DM": 3, "DA": 3, "BU": 2, "OW": 2, "MT": 2, "TH": 1.5,
    "RA": 1.5, "SM": 1, "LG": 0.5, "DS": 0.5,
}  # fmt: skip
PERMANENT_REASONS = {"DB": 35, "PA": 18, "PP": 12, "OW": 10, "DA": 10, "VA": 8, "SM": 4, "DM": 3}  # fmt: skip
# Half days: most suspensions are one to three days.
SUSPENSION_SESSIONS = [1, 2, 2, 2, 4, 4, 6, 6, 8, 10]
# How likely a child is to have been suspended in two years, by why they are in AP.
SUSPENDED_SHARE = {"behaviour": 0.45, "pex": 0.3, "mental": 0.06, "physical": 0.02}


@dataclass(frozen=True)
class ChildInAp:
    child: Child
    school: Organisation  # their home school, or the school that permanently excluded them
    permanently_excluded: bool
    category: str  # why they are in AP: pex, behaviour, mental or physical
    first_start: date  # when their first placement began


class _Casework:
    def __init__(self, seed: int, today: date, days: list[date]):
        self.rng = random.Random(f"demo-casework-{seed}")
        self.ids = random.Random(f"demo-casework-ids-{seed}")
        self.today = today
        self.days = days

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.ids.getrandbits(128), version=4)

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()), k=1)[0]

    def school_day_before(self, day: date) -> date | None:
        at = bisect.bisect_left(self.days, day)
        return self.days[at - 1] if at else None


def exclusions_build(*, seed: int, today: date, area, children: list[ChildInAp], recorder: User) -> list[Exclusion]:
    """Suspensions for a small share of children, and the permanent exclusion of those on no school's roll."""
    since = today - timedelta(days=730)
    days = SchoolCalendar.load(area=area, start=since, end=today).days(since, today - timedelta(days=1))
    work = _Casework(seed, today, days)
    exclusions = []

    def add(c: ChildInAp, category: str, day: date, sessions, reasons: dict):
        exclusions.append(
            Exclusion(
                public_id=work.uuid(),
                child=c.child,
                school=c.school,
                category=category,
                start_date=day,
                sessions=sessions,
                reason=work.pick(reasons),
                recorded_by=recorder,
            )
        )

    for c in children:
        excluded_on = None
        if c.permanently_excluded:
            excluded_on = work.school_day_before(c.first_start - timedelta(days=work.rng.randint(3, 20)))
            if excluded_on:
                add(c, PERMANENT_EXCLUSION, excluded_on, None, PERMANENT_REASONS)
        if work.rng.random() >= SUSPENDED_SHARE[c.category] or not days:
            continue
        for day in sorted(work.rng.sample(days, k=work.rng.choice([1, 1, 1, 2, 2, 3]))):
            if excluded_on and day >= excluded_on:
                continue  # not suspended by a school they have already left
            if work.rng.random() < 0.05:
                add(c, LUNCHTIME_SUSPENSION, day, work.rng.randint(1, 3), SUSPENSION_REASONS)
            else:
                add(c, SUSPENSION, day, work.rng.choice(SUSPENSION_SESSIONS), SUSPENSION_REASONS)
    return exclusions
