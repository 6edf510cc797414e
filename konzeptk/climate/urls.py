"""Pages of climate (German paths; other languages under their prefix)."""

from django.urls import URLPattern, URLResolver, path

from konzeptk.climate import staff_views, views

app_name = "climate"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("treibhausgase.csv", views.emissions_csv, name="emissions_csv"),
    path("photovoltaik.csv", views.solar_csv, name="solar_csv"),
    path("photovoltaik-bezirke.csv", views.solar_districts_csv, name="solar_districts_csv"),
    path("ladepunkte.csv", views.charging_csv, name="charging_csv"),
    path("modal-split.csv", views.modal_split_csv, name="modal_split_csv"),
    path("verwaltung/", staff_views.overview, name="staff"),
    path("verwaltung/bilanz/", staff_views.balance_edit, name="staff_balance"),
    path("verwaltung/bilanz/csv/", staff_views.balance_csv, name="staff_balance_csv"),
    path("verwaltung/modal-split/", staff_views.modal_split_edit, name="staff_modal_split"),
]
