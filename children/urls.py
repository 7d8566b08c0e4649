from django.urls import path

from children import views
from children.imports import CHILDREN_IMPORT
from core.import_views import import_urls

urlpatterns = [
    path("children/new/", views.child_new, name="child_new"),
    *import_urls(CHILDREN_IMPORT),
    path("children/recorded-twice/", views.recorded_twice, name="recorded_twice"),
    path("children/<uuid:public_id>/combine/", views.child_combine, name="child_combine"),
    path("children/<uuid:public_id>/", views.child_detail, name="child_detail"),
    path("children/<uuid:public_id>/edit/", views.child_edit, name="child_edit"),
    path("children/<uuid:public_id>/access-log/", views.child_access, name="child_access_log"),
    path("children/<uuid:child_id>/involvements/new/", views.involvement_new, name="involvement_new"),
    path("involvements/<uuid:public_id>/edit/", views.involvement_edit, name="involvement_edit"),
    path("children/<uuid:child_id>/exclusions/new/", views.exclusion_new, name="exclusion_new"),
    path("children/<uuid:child_id>/pen-portrait/new/", views.pen_portrait_new, name="pen_portrait_new"),
    path("children/<uuid:child_id>/documents/new/", views.document_new, name="document_new"),
    path("documents/<uuid:public_id>/", views.document_download, name="document_download"),
]
