"""Mounted in the root URLconf under ``beteiligung/<slug>/abstimmung/`` (the paths people know)."""

from django.urls import path

from konzeptk.ballots import views

app_name = "ballots"

urlpatterns = [
    path("", views.ballot, name="ballot"),
    path("ergebnis/", views.ballot_result, name="ballot_result"),
]
