from django.urls import path

from providers import views

urlpatterns = [
    path("providers/", views.provider_list, name="provider_list"),
    path("providers/new/", views.provider_new, name="provider_new"),
    path("providers/<uuid:public_id>/", views.provider_detail, name="provider_detail"),
    path("providers/<uuid:public_id>/edit/", views.provider_edit, name="provider_edit"),
    path("providers/<uuid:public_id>/approval/", views.provider_approval_new, name="provider_approval_new"),
]

# Safeguarding and compliance checks (issue 13, item 3).
urlpatterns += [
    path("providers/checks/expiring/", views.checks_expiring_list, name="checks_expiring"),
    path("providers/checks/expiring/days/", views.check_expiry_days, name="check_expiry_days"),
    path("providers/checks/<uuid:public_id>/evidence/", views.provider_check_evidence, name="provider_check_evidence"),
    path("providers/<uuid:public_id>/checks/", views.provider_checks, name="provider_checks"),
    path("providers/<uuid:public_id>/checks/new/", views.provider_check_new, name="provider_check_new"),
    path(
        "providers/<uuid:public_id>/checks/confirmation/", views.check_confirmation_new, name="check_confirmation_new"
    ),
    path(
        "providers/<uuid:public_id>/checks/confirmation/<uuid:commissioner_id>/",
        views.check_confirmation,
        name="check_confirmation",
    ),
    path(
        "providers/<uuid:public_id>/checks/confirmation/<uuid:commissioner_id>/pdf/",
        views.check_confirmation_pdf,
        name="check_confirmation_pdf",
    ),
]
