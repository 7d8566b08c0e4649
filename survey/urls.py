from django.urls import path

from survey import views

urlpatterns = [
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/new/", views.survey_new, name="survey_new"),
    path("surveys/<uuid:public_id>/", views.survey_detail, name="survey_detail"),
    path("surveys/<uuid:public_id>/change/", views.survey_change, name="survey_change"),
    path("surveys/<uuid:public_id>/results.csv", views.survey_results_download, name="survey_results_download"),
    # The public links: no account needed.
    path("s/<str:link_key>/", views.survey_start, name="survey_start"),
    path("s/<str:link_key>/<str:language>/", views.survey_start, name="survey_start_in"),
    path("s/<str:link_key>/<str:language>/<slug:audience>/", views.survey_answer, name="survey_answer"),
    path("s/<str:link_key>/<str:language>/<slug:audience>/thanks/", views.survey_thanks, name="survey_thanks"),
]
