"""Destination checks for the demo borough's young people who left AP in Year 11 or later (issue 12, item 3).

Each leaver follows a path after AP (college, sixth form, an apprenticeship, a job, NEET, not available), and
some change course: a few drop out of college into NEET by March, a few NEET young people find a place. Most
checks are recorded in their window, some late; about one in six is never recorded, so that the list of checks
due has young people overdue, and those whose window is open today are due. A random generator of its own,
seeded from the borough's seed, so that adding these changes nothing else the borough holds. Bulk-inserted.
"""

import random
import uuid
from datetime import date, timedelta

from casework.destinations import EDUCATION_OR_TRAINING, EMPLOYMENT, destination_measure, destination_schedule
from casework.models import DestinationCheck, DestinationCheckKind, HowKnown
from core.models import User
from placements.models import Placement
from placements.selectors import year_group_on

MISSED_SHARE = 0.16  # checks never recorded: overdue once their window closes
LATE_SHARE = 0.15
# Where young people went after AP, as NCCIS activities, and how often (AP leavers: far more NEET than their peers).
PATHS = {
    ("230",): 30,
    ("210",): 6,
    ("220",): 4,
    ("310",): 8,
    ("330", "340"): 7,
    ("250", "530"): 7,
    ("230", "619"): 8,  # started college, NEET by March
    ("619", "230"): 6,  # NEET in the autumn, a college place by March
    ("619",): 10,
    ("610",): 5,
    ("640", "630"): 4,
    ("810",): 5,
}
HOW_KNOWN = {HowKnown.NCCIS: 40, HowKnown.YOUNG_PERSON: 30, HowKnown.PROVIDER: 20, HowKnown.FAMILY: 10}
NOTES = {
    EDUCATION_OR_TRAINING: ["Enrolled and attending; the college knows the AP's transition plan", ""],
    EMPLOYMENT: ["Working in a local business; told about the traineeship route", ""],
    "": [
        "Referred to the youth service's re-engagement worker",
        "Not at home at two visits; NCCIS adviser to follow up",
        "Offered an interview at the college's foundation course",
    ],
}


def leavings_of(placements: list[Placement], today: date) -> list[Placement]:
    """The placements that ended by today with no later placement of the child, in Year 11 or later."""
    last: dict[int, Placement] = {}
    for p in placements:
        key = id(p.child)
        current = last.get(key)
        if current is None or _later(p, current):
            last[key] = p
    return [
        p
        for p in last.values()
        if p.end_date and p.end_date <= today and year_group_on(p.child.date_of_birth, p.end_date) >= 11
    ]


def _later(p: Placement, than: Placement) -> bool:
    if than.end_date is None:
        return False
    return p.end_date is None or (p.end_date, p.pk) > (than.end_date, than.pk)


def destination_checks_build(*, seed: int, today: date, placements: list[Placement], recorder: User) -> list:
    """Unsaved destination checks of the borough's leavers, recorded by the LA officer."""
    rng = random.Random(f"demo-destinations-{seed}")
    ids = random.Random(f"demo-destinations-ids-{seed}")
    checks = []
    for placement in sorted(leavings_of(placements, today), key=lambda p: p.pk):
        path = rng.choices(list(PATHS), weights=list(PATHS.values()), k=1)[0]
        year = year_group_on(placement.child.date_of_birth, placement.end_date)
        for due in destination_schedule(left_on=placement.end_date, year_group=year):
            if not due.is_open(today) or rng.random() < MISSED_SHARE:
                continue
            late = rng.random() < LATE_SHARE
            first = due.due + timedelta(days=1) if late else due.opens
            last = due.due + timedelta(days=40) if late else due.due
            if first > today:
                continue  # its window is open and it is not made yet: due today
            day = first + timedelta(days=rng.randint(0, (min(last, today) - first).days))
            # The first activity of the path in the autumn, the last from March on.
            autumn = due.kind in (DestinationCheckKind.SEPTEMBER_GUARANTEE, DestinationCheckKind.OCTOBER)
            activity = path[0] if autumn else path[-1]
            checks.append(_check(rng, ids, placement, due.kind, activity, day, path, recorder))
    return checks


def _check(rng, ids, placement, kind, activity, day, path, recorder) -> DestinationCheck:
    check = DestinationCheck(
        public_id=uuid.UUID(int=ids.getrandbits(128), version=4),
        placement=placement,
        kind=kind,
        activity=activity,
        checked_on=day,
        how_known=rng.choices(list(HOW_KNOWN), weights=list(HOW_KNOWN.values()), k=1)[0],
        notes=rng.choice(NOTES[destination_measure(activity)]),
        recorded_by=recorder,
    )
    if kind == DestinationCheckKind.SEPTEMBER_GUARANTEE:
        check.offer_made = destination_measure(path[0]) == EDUCATION_OR_TRAINING or rng.random() < 0.5
    if kind == DestinationCheckKind.MARCH:
        check.months_in_education_or_training, check.months_employed = _months(rng, path)
    return check


def _months(rng, path) -> tuple[int, int]:
    """Months from October to March in education or training, and employed: six (or a few fewer) on a steady
    path; split between the autumn's activity and March's on a path that changed."""
    months = {EDUCATION_OR_TRAINING: 0, EMPLOYMENT: 0, "": 0}
    if len(path) == 1:
        measure = destination_measure(path[0])
        months[measure] = {EDUCATION_OR_TRAINING: 6 if rng.random() < 0.85 else rng.randint(3, 5)}.get(
            measure, rng.choice([4, 5, 6, 6])
        )
    else:
        autumn = rng.randint(2, 4)
        months[destination_measure(path[0])] += autumn
        months[destination_measure(path[-1])] += 6 - autumn
    return months[EDUCATION_OR_TRAINING], months[EMPLOYMENT]
