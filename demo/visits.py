"""Visits to the demo borough's children where they are taught (issue 12, item 4).

Most placements out of the area had a visit in the last few weeks; about a third did not, so that the flag
"out of area with no review or visit this half term" has children behind it. Some placements in the area have
a visit too. The LA's officer visits, or the commissioning school's lead for its own. A random generator of its
own, seeded from the borough's seed, so that adding these changes nothing else the borough holds.
"""

import random
import uuid
from datetime import date, timedelta

from casework.models import PlacementVisit
from core.models import User
from placements.models import Placement

VISITED_OUT_OF_AREA_SHARE = 0.65
VISITED_IN_AREA_SHARE = 0.2
SEEN = [
    "In a group of five for English; settled and working. Spoke with the key worker about the timetable",
    "Saw the child in the workshop; proud of the work. Attendance log checked with the office",
    "Joined the morning check-in; the child was quiet but spoke about wanting to go back to school",
    "Walked round with the head of centre; the child's timetable matches the plan",
]
NOT_SEEN = [
    "The child was absent on the day; the setting called home while we were there. Register and plan checked",
    "The child was on a college taster day; spoke with the key worker and checked the register",
]


def visits_build(*, seed: int, today: date, placements: list[Placement], officer: User, recorders: dict) -> list:
    """Visits to open placements: recent for most out of the area, earlier for the rest, some in the area."""
    rng = random.Random(f"{seed}-visits")
    organisation_of = {u.pk: u.primary_organisation for u in [officer, *recorders.values()]}
    visits = []
    for placement in placements:
        if placement.start_date > today - timedelta(days=14) or (placement.end_date and placement.end_date < today):
            continue
        share = VISITED_OUT_OF_AREA_SHARE if placement.out_of_area else VISITED_IN_AREA_SHARE
        recent = rng.random() < share
        if not recent and not placement.out_of_area:
            continue
        # Recent: within the last three weeks. Otherwise the last visit was a term or more ago, or never.
        days_ago = rng.randint(1, 20) if recent else rng.randint(90, 200)
        day = today - timedelta(days=days_ago)
        if day < placement.start_date or (not recent and rng.random() < 0.3):
            continue
        visitor = recorders.get(placement.commissioner_id) if rng.random() < 0.3 else None
        visitor = visitor or officer
        seen = rng.random() < 0.85
        visits.append(
            PlacementVisit(
                public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                placement=placement,
                visited_on=day,
                saw_the_child=seen,
                what_was_seen=rng.choice(SEEN if seen else NOT_SEEN),
                organisation=organisation_of[visitor.pk],
                recorded_by=visitor,
            )
        )
    PlacementVisit.objects.bulk_create(visits, batch_size=500)
    return visits
