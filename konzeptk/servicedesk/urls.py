"""Resident and staff pages under /maengel/ (German paths; other languages under their prefix)."""

from django.urls import path

from konzeptk.core.redirects import moved_segment
from konzeptk.servicedesk import staff_views, views

app_name = "servicedesk"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("karte.json", views.map_data, name="map_data"),
    path("meldungen.csv", views.reports_csv, name="reports_csv"),
    path("karte.svg", views.click_map_svg, name="click_map"),
    path("melden/", views.report_new, name="new"),
    path("melden/danke/<str:token>/", views.report_thanks, name="thanks"),
    path("verfolgen/<str:token>/", views.report_follow, name="follow"),
    path("abbestellen/<str:token>/", views.unfollow, name="unfollow"),
    path("bestaetigen/<str:token>/", views.follow_confirm, name="follow_confirm"),
    path("meldung/<str:public_id>/", views.report_detail, name="detail"),
    path("meldung/<str:public_id>/unterstuetzen/", views.report_support, name="support"),
    path("meldung/<str:public_id>/folgen/", views.report_follow_add, name="follow_add"),
    path("foto/<int:pk>/", views.photo, name="photo"),
    path("statistik/", views.statistics, name="statistics"),
    path("verwaltung/", staff_views.queue, name="queue"),
    path("verwaltung/foto/<int:pk>/", staff_views.photo, name="staff_photo"),
    path("verwaltung/<str:public_id>/", staff_views.work, name="work"),
    # staff areas are called "verwaltung" everywhere; the old paths redirect (308)
    moved_segment("bearbeitung/", "verwaltung/"),
]
