"""Pupils on part-time timetables at their own schools, as the schools told the LA.

Mostly phased returns after a placement ended in a return to school, a few for health needs
alongside a part-time placement; some ended, some still running, a few past their time limit or
their review date (the oversight flags these). A random generator of its own, seeded from the
borough's seed, so that adding these changes nothing else the borough holds.
"""

import random
import uuid
from datetime import date, timedelta
from decimal import Decimal

from casework.models import EndReason
from core.models import User
from placements.models import PartTimeReason, PartTimeTimetable, Placement

SESSIONS = 10
PHASED_RETURN_SHARE = 0.35  # of the children who went back to school in the last half year
HEALTH_SHARE = 0.06  # of the children in part-time AP today
DETAIL = {
    PartTimeReason.PHASED_RETURN: [
        "Back from AP: mornings first, building up to full days",
        "Returning after a placement; anxious about the lunch hall and busy corridors",
        "Phased return agreed at the exit review, with a key adult each morning",
    ],
    PartTimeReason.HEALTH: [
        "CAMHS advise shorter days while medication is reviewed",
        "Fatigue after surgery; the consultant's letter is on file",
    ],
}
PLANS = [
    "Add a session each fortnight, reviewed with the family",
    "Full days from the next half term if the review goes well",
    "One more afternoon a week, agreed at each review",
]


def part_time_timetables_build(
    *, seed: int, today: date, placements: list[Placement], recorders: dict[int, User], officer: User
) -> list[PartTimeTimetable]:
    """Part-time timetables for some pupils back at school and some in part-time AP; recorded by their school."""
    rng = random.Random(f"{seed} part-time timetables")
    ids = random.Random(f"{seed} part-time timetable ids")
    last = {}
    for placement in sorted(placements, key=lambda p: p.start_date):
        last[placement.child.upn] = placement
    timetables = []
    for placement in last.values():
        child = placement.child
        if not child.home_school_id:
            continue
        ending = getattr(placement, "ending", None)
        returned = (
            ending is not None
            and ending.reason == EndReason.REINTEGRATED
            and today - timedelta(days=180) <= placement.end_date
        )
        part_time_ap = (
            placement.end_date is None and placement.start_date <= today and placement.timetable.count("1") < 8
        )
        if returned and rng.random() < PHASED_RETURN_SHARE:
            start, reason = placement.end_date + timedelta(days=rng.randint(1, 4)), PartTimeReason.PHASED_RETURN
        elif part_time_ap and rng.random() < HEALTH_SHARE:
            start, reason = placement.start_date, PartTimeReason.HEALTH
        else:
            continue
        timetables.append(
            _timetable(rng, ids, child, start, reason, today, recorders.get(child.home_school_id, officer))
        )
    return timetables


def _timetable(rng, ids, child, start: date, reason, today: date, recorder: User) -> PartTimeTimetable:
    sessions = rng.choice([4, 5, 6, 6, 7, 8])
    chosen = set(rng.sample(range(SESSIONS), k=sessions))
    weeks = rng.choice([4, 6, 6, 8])
    time_limit = start + timedelta(weeks=weeks)
    # Most end on time; one in five is still running past its limit, which the LA should chase.
    ended = time_limit < today and rng.random() < 0.8
    return PartTimeTimetable(
        public_id=uuid.UUID(int=ids.getrandbits(128), version=4),
        child=child,
        school_id=child.home_school_id,
        reason=reason,
        reason_detail=rng.choice(DETAIL[reason]),
        hours_per_week=Decimal(sessions * 25) / 10,
        timetable="".join("1" if i in chosen else "0" for i in range(SESSIONS)),
        start_date=start,
        time_limit=time_limit,
        review_date=start + timedelta(weeks=2),
        parents_agreed_on=min(today, start - timedelta(days=rng.randint(1, 5))),
        plan_to_increase=rng.choice(PLANS),
        end_date=time_limit - timedelta(days=rng.randint(0, 7)) if ended else None,
        created_by=recorder,
    )
