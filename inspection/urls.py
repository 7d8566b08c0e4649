from django.urls import path

from inspection import views

urlpatterns = [
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<uuid:public_id>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<uuid:public_id>/annex-a.<str:fmt>", views.annex_a_download, name="annex_a_download"),
    path("inspections/<uuid:public_id>/visit/", views.visit_record, name="visit_record"),
    path("inspections/<uuid:public_id>/inspectors/", views.inspection_inspector_new, name="inspection_inspector_new"),
    path(
        "inspections/<uuid:public_id>/inspectors/<uuid:user_id>/remove/",
        views.inspector_remove,
        name="inspection_inspector_remove",
    ),
    path("inspections/<uuid:public_id>/tracking/", views.tracking, name="tracking"),
    path("inspections/<uuid:public_id>/tracking/<uuid:child_id>/", views.tracking_pack, name="tracking_pack"),
    path(
        "inspections/<uuid:public_id>/tracking/<uuid:child_id>/pack.pdf",
        views.tracking_pack_pdf,
        name="tracking_pack_pdf",
    ),
    path("evidence/", views.evidence, name="evidence"),
    path("evidence/<uuid:public_id>/download/", views.evidence_download, name="evidence_download"),
]
