from django.urls import path  # noqa: F401 - each part of the journey adds its pages below

urlpatterns = [
    # Referrals (casework/views/referrals.py)
    # Panels and decisions (casework/views/panels.py)
    # Personalised plans, placements from decisions, the child's timeline (casework/views/plans.py)
]
