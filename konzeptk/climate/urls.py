"""Pages of climate (German paths; other languages under their prefix)."""

from django.urls import URLPattern, URLResolver

app_name = "climate"

urlpatterns: list[URLPattern | URLResolver] = []
