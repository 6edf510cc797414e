from django.urls import path

from konzeptk.core.redirects import moved_segment
from konzeptk.insights import education_views, views

app_name = "insights"

urlpatterns = [
    path("", views.index, name="index"),
    path("meine-angaben/", views.profile, name="profile"),
    path("meine-angaben/widerrufen/<slug:purpose>/", views.profile_withdraw, name="profile_withdraw"),
    path("beteiligte/", views.platform_representation, name="platform"),
    path("zusammenhalt/", views.platform_cohesion, name="platform_cohesion"),
    path("bildung/", education_views.education_reach_page, name="education"),
    path("bildung/reichweite.csv", education_views.education_reach_csv, name="education_csv"),
    path("prozess/<slug:slug>/", views.process_representation, name="process"),
    path("prozess/<slug:slug>/gewichtet/", views.process_weighted, name="weighted"),
    path("prozess/<slug:slug>/zusammenhalt/", views.process_cohesion, name="cohesion"),
    path("meinungsbild/<int:pk>/", views.opine, name="opine"),
    path("meinungsbild/<int:pk>/aussage/", views.statement_submit, name="statement_submit"),
    path("meinungsbild/<int:pk>/ergebnis/", views.landscape, name="landscape"),
    path("meinungsbild/<int:pk>/verwaltung/moderation/", views.moderation, name="moderation"),
    # staff areas are called "verwaltung" everywhere; the old path redirects (308)
    moved_segment("moderation/", "verwaltung/moderation/", before=r"meinungsbild/[0-9]+/"),
]
