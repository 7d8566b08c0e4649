from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.api import api_urls
from core import token_views
from core.forms import SignInForm

urlpatterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/v1/", api_urls()),
    path("api-keys/", token_views.api_keys, name="api_keys"),
    path("api-keys/<uuid:public_id>/revoke/", token_views.api_key_revoke, name="api_key_revoke"),
    path("", include("insight.urls")),
    path("", include("children.urls")),
    path("", include("providers.urls")),
    path("", include("placements.urls")),
    path("", include("terms.urls")),
    path("", include("attendance.urls")),
    path("", include("inspection.urls")),
    path("", include("survey.urls")),
]
