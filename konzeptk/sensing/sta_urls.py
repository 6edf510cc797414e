"""SensorThings API 1.1 at /sta/v1.1/ (outside the language prefixes: a machine endpoint)."""

from django.urls import path, re_path

from konzeptk.sensing.sta import views

app_name = "sta"
urlpatterns = [
    path("", views.service_root, name="root"),
    path("CreateObservations", views.create_observations, name="create-observations"),
    path("ingest/<str:network>", views.ingest_webhook, name="ingest"),
    re_path(r"^(?P<path>.+)$", views.resource, name="resource"),
]
