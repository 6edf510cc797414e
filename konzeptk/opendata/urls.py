from django.urls import path, re_path

from konzeptk.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("wunsch/", views.requests, name="requests"),
    path("qualitaet/", views.quality_overview, name="quality"),
    re_path(r"^(?P<name>[-\w]+)/$", views.dataset, name="dataset"),
    re_path(r"^(?P<name>[-\w]+)/download/(?P<pk>\d+)/$", views.download, name="download"),
]
