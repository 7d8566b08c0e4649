from django.urls import path

from core.import_views import import_urls
from placements import views
from placements.imports import PLACEMENTS_IMPORT

urlpatterns = [
    *import_urls(PLACEMENTS_IMPORT),
    path("children/<uuid:child_id>/placements/new/", views.placement_new, name="placement_new"),
    path("placements/<uuid:public_id>/edit/", views.placement_edit, name="placement_edit"),
]
