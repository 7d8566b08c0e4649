from django.urls import path

from core.import_views import import_urls
from placements import views
from placements.imports import PLACEMENTS_IMPORT

urlpatterns = [
    *import_urls(PLACEMENTS_IMPORT),
    path("children/<uuid:child_id>/placements/new/", views.placement_new, name="placement_new"),
    path("placements/<uuid:public_id>/edit/", views.placement_edit, name="placement_edit"),
    path(
        "children/<uuid:child_id>/part-time-timetable/new/",
        views.part_time_timetable_new,
        name="part_time_timetable_new",
    ),
    path(
        "part-time-timetables/<uuid:public_id>/edit/", views.part_time_timetable_edit, name="part_time_timetable_edit"
    ),
    path("told-by-schools/", views.told_by_schools_list, name="told_by_schools"),
]
