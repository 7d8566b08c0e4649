from django.urls import path

from insight import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("register/", views.register, name="register"),
    path("register/export.csv", views.register_export, name="register_export"),
]
