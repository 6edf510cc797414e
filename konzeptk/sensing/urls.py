from django.urls import path

from konzeptk.sensing import views

app_name = "sensing"
urlpatterns = [
    path("", views.dashboard_index, name="index"),
    path("<slug:topic>/", views.dashboard_topic, name="topic"),
    path("<slug:topic>/daten.csv", views.dashboard_csv, name="csv"),
]
