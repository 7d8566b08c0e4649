from django.urls import path

from placements import views

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/export.csv", views.register_export, name="register_export"),
    path("children/<uuid:child_id>/placements/new/", views.placement_new, name="placement_new"),
    path("placements/<uuid:public_id>/edit/", views.placement_edit, name="placement_edit"),
    path("placements/<uuid:public_id>/agreement/", views.commissioning_agreement, name="commissioning_agreement"),
]
