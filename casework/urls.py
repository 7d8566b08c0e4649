from django.urls import path

from casework.views import referrals

urlpatterns = [
    # Referrals (casework/views/referrals.py)
    path("referrals/", referrals.referral_list, name="referral_list"),
    path("referrals/new/", referrals.referral_find, name="referral_find"),
    path("children/<uuid:child_id>/referrals/new/", referrals.referral_new, name="referral_new"),
    path("referrals/<uuid:public_id>/", referrals.referral_detail, name="referral_detail"),
    path("referrals/<uuid:public_id>/edit/", referrals.referral_edit, name="referral_edit"),
    path("referrals/<uuid:public_id>/send/", referrals.referral_send_page, name="referral_send"),
    path("referrals/<uuid:public_id>/withdraw/", referrals.referral_withdraw_page, name="referral_withdraw"),
    path("referrals/<uuid:public_id>/fast-track/", referrals.referral_fast_track_page, name="referral_fast_track"),
    # Panels and decisions (casework/views/panels.py)
    # Personalised plans, placements from decisions, the child's timeline (casework/views/plans.py)
]
