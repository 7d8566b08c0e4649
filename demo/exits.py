"""Exits and returns to school for the demo borough (issue 12, item 2).

Every ended placement gets its exit: the reason and destination `demo.placements` chose, a transition plan and
the person who supports the child after the move. A placement whose destination is a return to school (the home
school, another mainstream school, a special school) gets a reintegration attempt, with its 6- and 12-week dates
on the school's calendar and, where they have passed, mostly an outcome: some sustained, some partly, some broke
down (with why); about one in five is not recorded, so that the list of outcomes due has children behind it.
A random generator of its own, seeded from the borough's seed, so that adding these changes nothing else.
"""

import random
import uuid
from datetime import date, timedelta

from casework.models import (
    OUTCOME_WEEKS,
    PlacementExit,
    ReintegrationAttempt,
    ReintegrationOutcome,
    destinations_where,
)
from casework.schedule import school_weeks_on
from casework.selectors.reviews import LOOK_AHEAD, SchoolYears
from core.models import User
from placements.models import Placement

MISSED_SHARE = 0.2  # outcomes due and never recorded
OUTCOMES = {ReintegrationOutcome.SUSTAINED: 60, ReintegrationOutcome.PARTLY: 22, ReintegrationOutcome.BROKE_DOWN: 18}
WHY_FAILED = [
    "Anxiety about the corridors and the size of the classes; attendance fell to two days a week",
    "The support agreed in the plan did not start: no key adult in the first weeks",
    "A fixed-term suspension in week 4 after an incident at lunchtime; the family asked for AP again",
    "The timetable went from part time to full time too fast; the child stopped coming in",
]
PLANS = [
    "Phased return over three weeks: mornings first, full days from week 3; a key adult meets the child at the gate",
    "Two transition visits with the AP key worker before the start; the AP shares the plan and the reading ages",
    "College taster days in July; the AP's careers adviser hands over to the college's learning support",
    "A managed move agreed by the fair access panel; weekly check-ins with the head of year for a half term",
]
SUPPORT = [
    ("Sam Okafor", "Key worker", "the AP setting"),
    ("Priya Shah", "Head of year", "the receiving school"),
    ("Jo Whitfield", "Reintegration officer", "the local authority"),
    ("Chris Dunn", "Learning support tutor", "the college"),
]
SUPPORT_IN_SCHOOL = [
    "A key adult every morning, a safe space at breaks and a part-time timetable for the first two weeks",
    "Weekly mentoring from the AP key worker for six weeks; the SENCO reviews the plan at week 6",
    "A reduced timetable rising to full time by week 4; a daily report card shared with the family",
]


def exits_build(
    *, seed: int, today: date, placements: list[Placement], schools: list, recorder: User
) -> tuple[list[PlacementExit], list[ReintegrationAttempt]]:
    """The exits of the ended placements, and a reintegration attempt for each that returned a child to school."""
    rng = random.Random(f"{seed}-exits")
    returning = set(destinations_where("returns_to_school"))
    ended = [p for p in placements if p.end_date is not None and getattr(p, "ending", None)]
    exits, attempts = [], []
    back = []
    for placement in ended:
        ending = placement.ending
        who = rng.choice(SUPPORT)
        exits.append(
            PlacementExit(
                public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                placement=placement,
                reason=ending.reason,
                destination=ending.destination,
                post16_activity=ending.post16_activity,
                transition_plan=rng.choice(PLANS),
                support_name=who[0],
                support_role=who[1],
                support_organisation=who[2],
                support_until=placement.end_date + timedelta(weeks=rng.choice([6, 12, 26])),
                recorded_by=recorder,
            )
        )
        if ending.destination in returning and placement.end_date < today:
            school = placement.child.home_school
            if ending.destination != "home_school" or school is None:
                school = rng.choice(schools)
            back.append((placement, school))
    if not back:
        return exits, attempts
    first = min(p.end_date for p, _ in back)
    years = SchoolYears(organisations={s.pk for _, s in back}, start=first, end=today + LOOK_AHEAD)
    for placement, school in back:
        returned_on = placement.end_date + timedelta(days=rng.randint(1, 10))
        six, twelve = school_weeks_on(school_year=years.of(school.pk), start=returned_on, weeks=OUTCOME_WEEKS)
        attempt = ReintegrationAttempt(
            public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            child=placement.child,
            placement=placement,
            returned_on=returned_on,
            school=school,
            support=rng.choice(SUPPORT_IN_SCHOOL),
            six_weeks_on=six,
            twelve_weeks_on=twelve,
            recorded_by=recorder,
        )
        for weeks, day in zip(OUTCOME_WEEKS, (six, twelve), strict=True):
            if day is None or day > today or rng.random() < MISSED_SHARE:
                break
            outcome = (
                ReintegrationOutcome.BROKE_DOWN
                if weeks == 12 and attempt.outcome_6_weeks == ReintegrationOutcome.BROKE_DOWN
                else rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
            )
            setattr(attempt, f"outcome_{weeks}_weeks", outcome)
            if outcome == ReintegrationOutcome.BROKE_DOWN and not attempt.why_failed:
                attempt.why_failed = rng.choice(WHY_FAILED)
        attempts.append(attempt)
    return exits, attempts
