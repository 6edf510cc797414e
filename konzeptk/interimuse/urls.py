"""Mounted in the root URLconf under ``innenstadt/zwischennutzung/``."""

from django.urls import path

from konzeptk.interimuse import jury_views, staff_views, views

app_name = "interimuse"

urlpatterns = [
    path("", views.index, name="index"),
    path("aufrufe/<slug:slug>/", views.call, name="call"),
    path("aufrufe/<slug:slug>/bewerben/", views.apply, name="apply"),
    path("meine-bewerbungen/", views.mine, name="mine"),
    path("meine-bewerbungen/<int:pk>/", views.mine_detail, name="mine_detail"),
    path("meine-bewerbungen/<int:pk>/zurueckziehen/", views.withdraw, name="withdraw"),
    path("berichte/<int:pk>/", views.report, name="report"),
    path("jury/", jury_views.jury_index, name="jury_index"),
    path("jury/<slug:slug>/", jury_views.jury_call, name="jury_call"),
    path("jury/<slug:slug>/<int:pk>/", jury_views.jury_application, name="jury_application"),
    path("verwaltung/", staff_views.staff_index, name="staff_index"),
    path("verwaltung/aufrufe/neu/", staff_views.call_new, name="call_new"),
    path("verwaltung/aufrufe/<slug:slug>/", staff_views.staff_call, name="staff_call"),
    path("verwaltung/aufrufe/<slug:slug>/abgleich/", staff_views.staff_matching, name="staff_matching"),
    path(
        "verwaltung/aufrufe/<slug:slug>/ladenlokale/<int:unit_pk>/",
        staff_views.staff_unit,
        name="staff_unit",
    ),
    path("verwaltung/bewerbungen/<int:pk>/", staff_views.staff_application, name="staff_application"),
    path("verwaltung/berichte/", staff_views.staff_reports, name="staff_reports"),
]
