from django.urls import path

from providers import views

urlpatterns = [
    path("providers/", views.provider_list, name="provider_list"),
    path("providers/<uuid:public_id>/", views.provider_detail, name="provider_detail"),
]
