"""What placements tells the apps above it, which it cannot import (DESIGN §4: imports go one way).

`placements_changed` is sent inside the transaction that wrote the placements, with `placement_ids`: casework
works out their next reviews again in the same transaction (casework.services.next_reviews).
"""

from django.dispatch import Signal

placements_changed = Signal()


def placements_written(placement_ids) -> None:
    placements_changed.send(sender="placements", placement_ids=list(placement_ids))
