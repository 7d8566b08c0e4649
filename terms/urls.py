from django.urls import path

from terms import views

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/new/", views.calendar_new, name="calendar_new"),
    path("calendar/settings/", views.setting_calendars, name="setting_calendars"),
    path("calendar/settings/<uuid:public_id>/", views.setting_calendar_edit, name="setting_calendar_edit"),
    path("calendar/<uuid:public_id>/", views.calendar_detail, name="calendar_detail"),
    path("calendar/<uuid:public_id>/terms/new/", views.term_new, name="term_new"),
    path("calendar/<uuid:public_id>/closures/new/", views.closure_new, name="closure_new"),
    path("calendar/terms/<uuid:public_id>/edit/", views.term_edit, name="term_edit"),
    path("calendar/terms/<uuid:public_id>/delete/", views.term_delete_confirm, name="term_delete"),
    path("calendar/closures/<uuid:public_id>/edit/", views.closure_edit, name="closure_edit"),
    path("calendar/closures/<uuid:public_id>/delete/", views.closure_delete_confirm, name="closure_delete"),
]
