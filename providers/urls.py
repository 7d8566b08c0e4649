from django.urls import path

from core.import_views import import_urls
from providers import views
from providers.imports import GIAS_IMPORT

urlpatterns = [
    path("providers/", views.provider_list, name="provider_list"),
    path("providers/new/", views.provider_new, name="provider_new"),
    path("providers/<uuid:public_id>/", views.provider_detail, name="provider_detail"),
    path("providers/<uuid:public_id>/edit/", views.provider_edit, name="provider_edit"),
    path("providers/<uuid:public_id>/approval/", views.provider_approval_new, name="provider_approval_new"),
    path("providers/qa-framework/", views.qa_framework, name="qa_framework"),
    path("providers/qa-framework/settings/", views.qa_framework_settings, name="qa_framework_settings"),
    path("providers/qa-framework/draft/", views.qa_draft_new, name="qa_draft_new"),
    path("providers/qa-framework/draft/publish/", views.qa_draft_publish, name="qa_draft_publish"),
    path("providers/qa-framework/themes/<int:theme_id>/criteria/new/", views.qa_criterion_new, name="qa_criterion_new"),
    path("providers/qa-framework/criteria/<int:criterion_id>/", views.qa_criterion_edit, name="qa_criterion_edit"),
    path(
        "providers/qa-framework/criteria/<int:criterion_id>/remove/",
        views.qa_criterion_delete,
        name="qa_criterion_delete",
    ),
    path("providers/qa-framework/scale/<int:point_id>/", views.qa_point_edit, name="qa_point_edit"),
    path("providers/qa-visits/overdue/", views.qa_visits_overdue_list, name="qa_visits_overdue"),
    path("providers/qa-actions/overdue/", views.qa_actions_overdue_list, name="qa_actions_overdue"),
    path("providers/<uuid:public_id>/qa-visits/new/", views.qa_visit_new, name="qa_visit_new"),
    path("providers/qa-visits/<uuid:public_id>/", views.qa_visit_detail, name="qa_visit_detail"),
    path("providers/qa-visits/<uuid:public_id>/report/", views.qa_visit_report, name="qa_visit_report"),
    path("providers/qa-visits/<uuid:public_id>/report.pdf", views.qa_visit_report_pdf, name="qa_visit_report_pdf"),
    path("providers/qa-visits/<uuid:public_id>/strand/", views.qa_strand_new, name="qa_strand_new"),
    path("providers/qa-visits/<uuid:public_id>/actions/new/", views.qa_action_new, name="qa_action_new"),
    path("providers/qa-actions/<uuid:public_id>/done/", views.qa_action_mark_done, name="qa_action_done"),
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
    path("providers/<uuid:public_id>/offer/", views.provider_directory_edit, name="provider_directory_edit"),
    path("providers/<uuid:public_id>/sites/new/", views.provider_site_new, name="provider_site_new"),
    path("providers/<uuid:public_id>/contacts/new/", views.provider_contact_new, name="provider_contact_new"),
    path("providers/<uuid:public_id>/sites/<uuid:part_id>/", views.provider_site_edit, name="provider_site_edit"),
    path(
        "providers/<uuid:public_id>/contacts/<uuid:part_id>/", views.provider_contact_edit, name="provider_contact_edit"
    ),
    *import_urls(GIAS_IMPORT),
]
