from django.urls import path

from attendance import views

urlpatterns = [
    path("attendance/", views.attendance_home, name="attendance_home"),
    path("attendance/register/", views.register_day, name="attendance_register"),
    path("attendance/template.csv", views.register_template, name="attendance_template"),
    path("attendance/upload/", views.upload, name="attendance_upload_new"),
    path("attendance/uploads/<uuid:public_id>/", views.upload_detail, name="attendance_upload"),
    path("attendance/uploads/<uuid:public_id>/confirm/", views.upload_confirm, name="attendance_upload_confirm"),
    path("attendance/uploads/<uuid:public_id>/problems.csv", views.upload_problems, name="attendance_upload_problems"),
    path("attendance/home-school/", views.home_school_register_day, name="home_school_register"),
    path("attendance/home-school/upload/", views.home_school_upload, name="home_school_upload"),
    path("attendance/settings/", views.area_settings, name="attendance_settings"),
    path("attendance/children/<uuid:child_id>/", views.child_attendance, name="child_attendance"),
    path("attendance/tuition/", views.tuition, name="tuition"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<uuid:public_id>/", views.alert_detail, name="alert_detail"),
]
