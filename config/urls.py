from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.api import api_urls
from core import account_views, area_views, token_views, two_factor_views
from core.forms import SignInForm
from core.two_factor import two_factor_exempt

urlpatterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("sign-out/", two_factor_exempt(auth_views.LogoutView.as_view()), name="logout"),
    path("sign-in/code/", two_factor_views.two_factor_verify_view, name="two_factor_verify"),
    path("sign-in/set-up-app/", two_factor_views.two_factor_setup, name="two_factor_setup"),
    path("password/forgotten/", account_views.password_reset, name="password_reset"),
    path("password/sent/", account_views.password_reset_done, name="password_reset_done"),
    path("password/set/<uidb64>/<token>/", account_views.password_reset_confirm, name="password_reset_confirm"),
    path("password/done/", account_views.password_reset_complete, name="password_reset_complete"),
    path("accounts/", account_views.account_list, name="account_list"),
    path("accounts/new/", account_views.account_new, name="account_new"),
    path("accounts/<uuid:public_id>/", account_views.account_detail, name="account_detail"),
    path("accounts/<uuid:public_id>/stop/", account_views.account_deactivate, name="account_deactivate"),
    path("accounts/<uuid:public_id>/restart/", account_views.account_reactivate, name="account_reactivate"),
    path("accounts/<uuid:public_id>/link/", account_views.account_link, name="account_link"),
    path("accounts/<uuid:public_id>/app/", account_views.account_two_factor_reset, name="account_two_factor_reset"),
    path("accounts/<uuid:public_id>/remove/", account_views.account_remove, name="account_remove"),
    path("accounts/after-a-placement-ends/", area_views.record_access, name="record_access"),
    path("reviews/intervals/", area_views.review_intervals, name="review_intervals"),
    path("api/v1/", api_urls()),
    path("api-keys/", token_views.api_keys, name="api_keys"),
    path("api-keys/<uuid:public_id>/revoke/", token_views.api_key_revoke, name="api_key_revoke"),
    path("", include("insight.urls")),
    path("", include("children.urls")),
    path("", include("providers.urls")),
    path("", include("placements.urls")),
    path("", include("terms.urls")),
    path("", include("attendance.urls")),
    path("", include("casework.urls")),
    path("", include("inspection.urls")),
    path("", include("survey.urls")),
]
