from django.urls import path

from insight import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("children/", views.child_list, name="child_list"),
]
