from django.urls import path

from insight import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("children/", views.child_list, name="child_list"),
    path("register/", views.register, name="register"),
    path("register/export.csv", views.register_export, name="register_export"),
    path("attendance/", views.attendance_home, name="attendance_home"),
    path("oversight/settings/", views.oversight_settings, name="oversight_settings"),
    path("sufficiency/", views.sufficiency, name="sufficiency"),
    path("oversight/<slug:flag>/", views.oversight_flag, name="oversight_flag"),
]
