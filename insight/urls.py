from django.urls import path

from insight import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("children/", views.child_list, name="child_list"),
    path("register/", views.register, name="register"),
    path("register/export.csv", views.register_export, name="register_export"),
    path("attendance/", views.attendance_home, name="attendance_home"),
]
