"""Pages under /innenstadt/geschaefte/ (German paths; other languages under their prefix)."""

from django.urls import path

from konzeptk.economy import views

app_name = "economy"

#: paths that are not a business (a business never gets one of these slugs)
RESERVED_SLUGS = frozenset({"karte.geojson", "angebote", "passanten", "meine", "verwaltung"})

urlpatterns = [
    path("", views.directory, name="directory"),
    path("karte.geojson", views.map_geojson, name="map_geojson"),
    path("angebote/", views.offers, name="offers"),
    path("passanten/", views.passers, name="passers"),
    path("meine/", views.mine, name="mine"),
    path("verwaltung/", views.claims_queue, name="claims_queue"),
    path("verwaltung/<int:pk>/", views.claim_review, name="claim_review"),
    path("<slug:slug>/", views.business_detail, name="detail"),
    path("<slug:slug>/anspruch/", views.claim, name="claim"),
    path("<slug:slug>/bearbeiten/", views.business_edit, name="edit"),
]
