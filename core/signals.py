"""What core tells the apps above it, which it cannot import (DESIGN §4: imports go one way).

`review_intervals_changed` is sent inside the transaction that changed when an area's placements are reviewed,
with `area_id`: casework works out the next reviews of the area's children again (casework.services.next_reviews).
"""

from django.dispatch import Signal

review_intervals_changed = Signal()
