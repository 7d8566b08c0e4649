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
    path("providers/<uuid:public_id>/offer/", views.provider_directory_edit, name="provider_directory_edit"),
    path("providers/<uuid:public_id>/sites/new/", views.provider_site_new, name="provider_site_new"),
    path("providers/<uuid:public_id>/contacts/new/", views.provider_contact_new, name="provider_contact_new"),
    *import_urls(GIAS_IMPORT),
]
