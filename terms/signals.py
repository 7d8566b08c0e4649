"""What terms tells the apps above it, which it cannot import (DESIGN §4: imports go one way).

`calendars_changed` is sent inside the transaction that changed an area's calendars (a term, a closure, the
calendar a setting follows), with `area_id`: casework works out the area's next reviews again, on the school
days as they now are (casework.services.next_reviews).
"""

from django.dispatch import Signal

calendars_changed = Signal()


def calendars_written(area_id: int) -> None:
    calendars_changed.send(sender="terms", area_id=area_id)
