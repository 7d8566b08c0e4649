from django.urls import path

from placements import views

urlpatterns = [
    path("placements/import/", views.placements_import, name="placements_import"),
    path(
        "placements/import/template.csv",
        views.placements_import_template_download,
        name="placements_import_template",
    ),
    path("placements/imports/<uuid:public_id>/", views.placements_import_detail, name="placements_import_detail"),
    path(
        "placements/imports/<uuid:public_id>/confirm/",
        views.placements_import_confirm,
        name="placements_import_confirm",
    ),
    path(
        "placements/imports/<uuid:public_id>/problems.csv",
        views.placements_import_problems,
        name="placements_import_problems",
    ),
    path("children/<uuid:child_id>/placements/new/", views.placement_new, name="placement_new"),
    path("placements/<uuid:public_id>/edit/", views.placement_edit, name="placement_edit"),
    path("placements/<uuid:public_id>/agreement/", views.commissioning_agreement, name="commissioning_agreement"),
]
