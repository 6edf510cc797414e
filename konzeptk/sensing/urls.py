from django.urls import path

from konzeptk.sensing import views

app_name = "sensing"
urlpatterns = [
    path("", views.dashboard_index, name="index"),
    path("api-schluessel/<slug:slug>/", views.api_tokens, name="api_tokens"),
    path("api-schluessel/<slug:slug>/<int:pk>/widerrufen/", views.api_token_revoke, name="api_token_revoke"),
    path("<slug:topic>/", views.dashboard_topic, name="topic"),
    path("<slug:topic>/daten.csv", views.dashboard_csv, name="csv"),
]
