"""Pages of resilience (German paths; other languages under their prefix)."""

from django.urls import URLPattern, URLResolver

app_name = "resilience"

urlpatterns: list[URLPattern | URLResolver] = []
