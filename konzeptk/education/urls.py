"""Pages of education (German paths; other languages under their prefix)."""

from django.urls import URLPattern, URLResolver

app_name = "education"

urlpatterns: list[URLPattern | URLResolver] = []
