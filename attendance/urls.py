from django.urls import path

from attendance.imports import ATTENDANCE_UPLOAD
from attendance.views import home_school, oversight, registers
from core.import_views import import_urls

urlpatterns = [
    path("attendance/register/", registers.register_day, name="attendance_register"),
    path("attendance/template.csv", registers.register_template, name="attendance_template"),
    *import_urls(ATTENDANCE_UPLOAD),
    path("attendance/home-school/", home_school.home_school_register_day, name="home_school_register"),
    path("attendance/home-school/upload/", home_school.home_school_upload, name="home_school_upload"),
    path("attendance/settings/", oversight.area_settings, name="attendance_settings"),
    path("attendance/children/<uuid:child_id>/", oversight.child_attendance, name="child_attendance"),
    path("attendance/tuition/", registers.tuition, name="tuition"),
    path("alerts/", oversight.alerts, name="alerts"),
    path("alerts/<uuid:public_id>/", oversight.alert_detail, name="alert_detail"),
]
