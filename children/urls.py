from django.urls import path

from children import views

urlpatterns = [
    path("children/new/", views.child_new, name="child_new"),
    path("children/import/", views.children_import, name="children_import"),
    path("children/import/template.csv", views.children_import_template_download, name="children_import_template"),
    path("children/imports/<uuid:public_id>/", views.children_import_detail, name="children_import_detail"),
    path("children/imports/<uuid:public_id>/confirm/", views.children_import_confirm, name="children_import_confirm"),
    path(
        "children/imports/<uuid:public_id>/problems.csv",
        views.children_import_problems,
        name="children_import_problems",
    ),
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
