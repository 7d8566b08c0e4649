from django.urls import path

from casework.views import destinations, exits, panels, plans, referrals, reviews

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
    path("referrals/<uuid:public_id>/contribute/", referrals.referral_contribute_page, name="referral_contribute"),
    # Panels and decisions (casework/views/panels.py)
    path("panels/", panels.panel_list, name="panel_list"),
    path("panels/queue/", panels.referral_queue_page, name="referral_queue"),
    path("panels/kinds/", panels.panel_kinds, name="panel_kinds"),
    path("panels/kinds/new/", panels.panel_kind_form, name="panel_kind_new"),
    path("panels/kinds/<int:kind_id>/", panels.panel_kind_form, name="panel_kind_edit"),
    path("panels/new/", panels.panel_new, name="panel_new"),
    path("panels/<uuid:public_id>/", panels.panel_detail, name="panel_detail"),
    path("panels/<uuid:public_id>/members/new/", panels.panel_member_new, name="panel_member_new"),
    path(
        "panels/<uuid:public_id>/members/<int:member_id>/remove/",
        panels.panel_member_remove_view,
        name="panel_member_remove",
    ),
    path("panels/<uuid:public_id>/agenda/", panels.panel_agenda_form, name="panel_agenda"),
    path(
        "panels/<uuid:public_id>/referrals/<uuid:referral_id>/remove/",
        panels.agenda_remove_view,
        name="agenda_remove",
    ),
    path("panels/<uuid:public_id>/referrals/<uuid:referral_id>/decision/", panels.decision_new, name="decision_new"),
    # Personalised plans, placements from decisions, the child's timeline (casework/views/plans.py)
    path("placements/<uuid:public_id>/plan/", plans.placement_plan, name="placement_plan"),
    path("placements/<uuid:public_id>/plan/change/", plans.placement_plan_edit, name="placement_plan_edit"),
    path("decisions/<uuid:public_id>/placement/", plans.placement_from_decision, name="placement_from_decision"),
    path("children/<uuid:child_id>/timeline/", plans.timeline, name="child_timeline"),
    # Reviews (casework/views/reviews.py)
    path("placements/<uuid:public_id>/reviews/", reviews.placement_reviews, name="placement_reviews"),
    path("placements/<uuid:public_id>/reviews/new/", reviews.review_new, name="review_new"),
    path("placements/<uuid:public_id>/visits/new/", reviews.visit_new, name="visit_new"),
    path("reviews/overdue/", reviews.overdue, name="reviews_overdue"),
    path("reviews/<uuid:public_id>/", reviews.review_detail, name="review_detail"),
    # Exits and returns to school (casework/views/exits.py)
    path("placements/<uuid:public_id>/exit/", exits.placement_exit, name="placement_exit"),
    path("children/<uuid:child_id>/returns/new/", exits.reintegration_new, name="reintegration_new"),
    path("returns/<uuid:public_id>/", exits.reintegration_outcome, name="reintegration_outcome"),
    path("returns/", exits.reintegrations_due, name="reintegrations_due"),
    # Destinations after AP (casework/views/destinations.py)
    path("destinations/", destinations.destinations_due, name="destinations_due"),
    path("destinations/<uuid:public_id>/", destinations.leaving_destinations, name="leaving_destinations"),
    path(
        "destinations/<uuid:public_id>/<str:kind>/record/",
        destinations.destination_check_new,
        name="destination_check_new",
    ),
]
