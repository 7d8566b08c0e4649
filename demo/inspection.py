"""The demo's inspection: a visit under way today, one inspector's account and three children tracked."""

import random
from datetime import date, timedelta

from children.models import Child
from core.models import Area, User
from inspection.models import Inspection, TrackedChild

TRACKED = 3


def inspection_demo_build(*, area: Area, officer: User, inspector: User, children: list[Child], today: date, seed: int):
    """Notified a week ago, the visit runs from two days ago to two days ahead; the inspector sees three children.

    The three are children in AP today, picked from the seed, so the tracking packs have a placement to show.
    """
    rng = random.Random(f"demo-inspection-{seed}")
    inspection = Inspection.objects.create(
        area=area,
        notified_on=today - timedelta(days=7),
        visit_starts_on=today - timedelta(days=2),
        visit_ends_on=today + timedelta(days=2),
        lead_inspector=f"{inspector.get_full_name()} HMI",
        key=f"{rng.getrandbits(256):064x}",
        created_by=officer,
    )
    inspection.inspectors.add(inspector)
    for child in rng.sample(sorted(children, key=lambda c: c.pk), min(TRACKED, len(children))):
        TrackedChild.objects.create(
            inspection=inspection, child=child, pseudonym=inspection.pseudonym(child.public_id), selected_by=officer
        )
    return inspection
