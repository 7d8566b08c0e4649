"""The child's record shows their destination after AP: the record's page is the children app's, which may not
import casework (DESIGN.md §4), so the record's template asks for this part by name."""

from datetime import date

from django import template

from casework.selectors.destinations import leavings_of_child

register = template.Library()


@register.inclusion_tag("casework/_destinations_on_record.html", takes_context=True)
def destinations_after_ap(context, child):
    """The young person's checks since leaving AP in Year 11 or later, with the sustained judgement, if the
    reader may see them (core.access.leavings_visible_to); nothing otherwise."""
    today = date.today()
    leavings = leavings_of_child(user=context["request"].user, child=child, today=today)
    return {"leavings": [(leaving, len(leaving.overdue(today))) for leaving in leavings]}
