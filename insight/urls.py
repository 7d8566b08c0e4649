from django.urls import path

from insight import views

urlpatterns = [path("", views.dashboard, name="dashboard")]
