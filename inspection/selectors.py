from core.models import User
from inspection.models import Inspection


def inspections_for(*, user: User):
    """The inspections of the user's areas, newest first."""
    return Inspection.objects.filter(area_id__in=[o.area_id for o in user.organisations]).select_related("area")


def inspection_get(*, user: User, public_id) -> Inspection:
    return inspections_for(user=user).get(public_id=public_id)
