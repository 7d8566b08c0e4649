from django.urls import path

from casework.views import plans

urlpatterns = [
    # Referrals (casework/views/referrals.py)
    # Panels and decisions (casework/views/panels.py)
    # Personalised plans, placements from decisions, the child's timeline (casework/views/plans.py)
    path("placements/<uuid:public_id>/plan/", plans.placement_plan, name="placement_plan"),
    path("placements/<uuid:public_id>/plan/change/", plans.placement_plan_edit, name="placement_plan_edit"),
    path("decisions/<uuid:public_id>/placement/", plans.placement_from_decision, name="placement_from_decision"),
    path("children/<uuid:child_id>/timeline/", plans.timeline, name="child_timeline"),
]
