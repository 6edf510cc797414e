"""Survey pages, mounted in the root URLconf under ``beteiligung/<slug>/`` (the paths they always had)."""

from django.urls import path

from konzeptk.surveys import views

app_name = "surveys"

urlpatterns = [
    path("umfragen/<int:pk>/", views.survey, name="survey"),
    path("umfragen/<int:pk>/ergebnisse/", views.survey_results, name="survey_results"),
    path("umfragen/<int:pk>/export.csv", views.survey_export, name="survey_export"),
    path("umfragen/<int:pk>/bearbeiten/", views.survey_edit, name="survey_edit"),
    path("phasen/<int:phase>/umfrage-anlegen/", views.survey_new, name="survey_new"),
]
